"""Reads of situations shared by pages and the API, always through the one access policy."""

from django.db.models import Case, Exists, OuterRef, Prefetch, Value, When, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.situations import policies
from maillage.situations.enums import EmergencyAccessReview, PersonRole, SituationStatus
from maillage.situations.models import (
    WITHOUT_REFERENT_ORDER,
    Consent,
    Participation,
    Person,
    SafeContact,
    Situation,
    Task,
    TimelineEntry,
)

# Victims first, then children, then alleged perpetrators, each in the order they were recorded.
PERSON_ORDER = Case(*(When(role=role, then=Value(rank)) for rank, role in enumerate(PersonRole.values)))


def situation_detailed(actor: Actor, public_id, *, follow_up: bool = False) -> Situation:
    """`access_situation` with every row a situation page or API detail shows, in a fixed number of queries.

    Http404 when the situation is missing or hidden from this actor: the same answer. It carries the actor's
    grounds (policies.grounds) without another query. With `follow_up`, also the timeline entries this
    actor may read (`situation.visible_timeline`) and the tasks with their owners (`situation.tasks`): what
    the situation page and the API detail show (services.situation_read)."""
    situation = get_object_or_404(
        Situation.objects.visible_to(actor)
        .with_grounds(actor)
        .select_related("commune", "referent__user", "referent__organisation", "created_by__organisation")
        .defer("referent__user__password")  # names and addresses, never a password hash: here and below
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by("added_at", "pk"),
            ),
            Prefetch(
                "persons",
                queryset=Person.objects.prefetch_related("safe_contacts").order_by(PERSON_ORDER, "pk"),
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by__user", "recorded_by__organisation")
                .defer("recorded_by__user__password")
                .prefetch_related("organisations")
                .order_by("-recorded_at", "-pk"),
            ),
        ),
        public_id=public_id,
    )
    situation.grounds_actor = actor.membership_pk_or_none()
    if follow_up:
        situation.visible_timeline = list(
            TimelineEntry.objects.visible_to(actor, situation)
            .select_related("author__user", "author__organisation", "organisation")
            .defer("author__user__password")
        )
        prefetch_related_objects([situation], Prefetch("tasks", queryset=tasks_with_owners()))
    return situation


def tasks_with_owners():
    """Tasks with their owners and organisations; to do first, by due date (Task.Meta.ordering)."""
    return Task.objects.select_related("owner__user", "owner__organisation").defer("owner__user__password")


# The list page's sort orders (`?tri=`), a whitelist: a name, or "-" and a name for the reverse order. Each
# ends with the primary key so that pages never overlap.
SORTS = {
    "reperage": ("detected_on", "pk"),
    "pseudonyme": ("pseudonym", "pk"),
    "commune": ("commune__name", "-detected_on", "-pk"),
    "etat": (
        Case(*(When(status=s, then=Value(rank)) for rank, s in enumerate(SituationStatus.values))),
        "-detected_on",
        "-pk",
    ),
}
DEFAULT_SORT = "-reperage"


def sort_order(sort: str) -> tuple:
    """The ORDER BY of a whitelisted sort ("commune", "-commune"…); KeyError for anything else."""
    name = sort.removeprefix("-")
    order = SORTS[name]
    if sort == name:
        return order
    return tuple(o.desc() if hasattr(o, "desc") else (o[1:] if o.startswith("-") else f"-{o}") for o in order)


def situations_listed(actor: Actor, filters: dict | None = None, *, sort: str = DEFAULT_SORT):
    """The situations this actor sees, most recently detected first (or in a `SORTS` order), narrowed by the
    list's filters: the page (FilterForm.filters()) and the API (`GET /situations`) alike. Filters, each
    left out when None or empty: `q` (part of the pseudonym), `commune` (its public id), `status` (a status,
    or "open": all but closed), `urgent` (bool), `date_from` and `date_to` (detection dates, both
    included)."""
    filters = {name: value for name, value in (filters or {}).items() if value not in (None, "")}
    situations = (
        Situation.objects.visible_to(actor)
        .select_related("commune", "referent__user")
        .defer("referent__user__password")  # the referent's name and address, never its password hash
        .order_by(*sort_order(sort))
    )
    if "q" in filters:
        situations = situations.filter(pseudonym__icontains=filters["q"].strip())
    if "commune" in filters:
        situations = situations.filter(commune__public_id=filters["commune"])
    if filters.get("status") == "open":
        situations = situations.exclude(status=SituationStatus.CLOSED)
    elif "status" in filters:
        situations = situations.filter(status=filters["status"])
    if "urgent" in filters:
        situations = situations.filter(urgent=filters["urgent"])
    if "date_from" in filters:
        situations = situations.filter(detected_on__gte=filters["date_from"])
    if "date_to" in filters:
        situations = situations.filter(detected_on__lte=filters["date_to"])
    return situations


def with_overdue_tasks(situations):
    """Annotates `has_overdue_task`: a task not done past its due date (the list's « En retard » badge)."""
    overdue = Task.objects.filter(
        situation=OuterRef("pk"), done_at__isnull=True, due_on__lt=timezone.localdate()
    )
    return situations.annotate(has_overdue_task=Exists(overdue))


def current_consent(situation: Situation) -> Consent | None:
    """The victim's latest answer about sharing (Consent.Meta.ordering: latest first), or None. Read from
    the prefetched answers when the situation carries them (situation_detailed), else one query."""
    return situation.consents.first()


def safe_channels(situation: Situation) -> dict[int, dict[str, SafeContact]]:
    """For each victim (pk): its safe-contact rows by channel."""
    victims = situation.persons.filter(role=PersonRole.VICTIM).prefetch_related("safe_contacts")
    return {v.pk: {c.channel: c for c in v.safe_contacts.all()} for v in victims}


# The « À traiter » home: what needs this actor, read through the policy (nothing it cannot open counts).


def situations_without_referent(actor: Actor):
    """Open situations the actor sees that nobody is referent of: urgent first, then new ones, then the most
    recently detected."""
    return (
        Situation.objects.visible_to(actor)
        .filter(referent__isnull=True)
        .exclude(status=SituationStatus.CLOSED)
        .select_related("commune")
        .order_by(*WITHOUT_REFERENT_ORDER)
    )


def overdue_tasks(actor: Actor):
    """Tasks not done past their due date, on situations the actor sees: every one for the coordinator, the
    actor's own for anyone else. Urgent situations first, then the oldest due date."""
    tasks = Task.objects.filter(
        situation__in=Situation.objects.visible_to(actor).values("pk"),
        done_at__isnull=True,
        due_on__lt=timezone.localdate(),
    )
    if not actor.has_role(Role.COORDINATOR):
        tasks = tasks.filter(owner_id=actor.membership_pk_or_none())
    return (
        tasks.select_related("situation", "owner__user")
        .defer("owner__user__password")
        .order_by("-situation__urgent", "due_on", "pk")
    )


def emergency_reviews_pending(actor: Actor):
    """Break-the-glass accesses waiting for this actor's review: those it reaches
    (`policies.emergency_accesses_reviewable_by`), but its own (`policies.can_review_emergency`)."""
    return (
        policies.emergency_accesses_reviewable_by(actor)
        .filter(review=EmergencyAccessReview.PENDING)
        .exclude(user_id=actor.user.pk)
    )


def situations_by_pseudonym(territory_id: int, text: str) -> list:
    """The public ids of the territory's situations bearing this pseudonym (the DPO's audit filter)."""
    return list(
        Situation.objects.filter(territory_id=territory_id, pseudonym__iexact=text.strip()).values_list(
            "public_id", flat=True
        )
    )


def situation_pseudonyms(territory_id: int, public_ids: set) -> dict:
    """Pseudonym of each of these situations of the territory, in one query (the DPO's audit page)."""
    return dict(
        Situation.objects.filter(territory_id=territory_id, public_id__in=public_ids).values_list(
            "public_id", "pseudonym"
        )
    )
