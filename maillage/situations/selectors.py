"""Reads of situations shared by pages and the API, always through the one access policy."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from maillage.accounts.actor import Actor
from maillage.privacy.fields import blind_match
from maillage.situations.enums import PersonRole
from maillage.situations.models import Consent, Participation, Person, SafeContact, Situation


def situation_detailed(actor: Actor, public_id) -> Situation:
    """`access_situation` with every row a situation page or API detail shows, in a fixed number of queries.

    Http404 when the situation is missing or hidden from this actor: the same answer. It carries the actor's
    grounds (policies.grounds) without another query."""
    situation = get_object_or_404(
        Situation.objects.visible_to(actor)
        .with_grounds(actor)
        .select_related("commune", "referent__user", "referent__organisation", "created_by__organisation")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organisation").order_by("added_at", "pk"),
            ),
            Prefetch(
                "persons", queryset=Person.objects.prefetch_related("safe_contacts").order_by("role", "pk")
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("recorded_by__user", "recorded_by__organisation")
                .prefetch_related("organisations")
                .order_by("-recorded_at", "-pk"),
            ),
        ),
        public_id=public_id,
    )
    situation.grounds_actor = actor.membership_pk_or_none()
    return situation


def filtered(situations, filters: dict):
    """Narrows situations by the list's filters (FilterForm.filters(): pseudonym, commune, status…)."""
    if "q" in filters:
        situations = situations.filter(pseudonym__icontains=filters["q"].strip())
    if "commune" in filters:
        situations = situations.filter(commune=filters["commune"])
    if "status" in filters:
        situations = situations.filter(status=filters["status"])
    if "urgent" in filters:
        situations = situations.filter(urgent=filters["urgent"] == "oui")
    if "date_from" in filters:
        situations = situations.filter(detected_on__gte=filters["date_from"])
    if "date_to" in filters:
        situations = situations.filter(detected_on__lte=filters["date_to"])
    return situations


def with_exact_name(situations, name: str):
    """Situations with a person of that exact usage or birth name, found through the blind indexes (the
    names themselves are encrypted): a partial name finds nothing."""
    name = name.strip()
    matching = Person.objects.filter(
        blind_match("last_name_index", name) | blind_match("birth_name_index", name)
    )
    return situations.filter(pk__in=matching.values("situation_id"))


def current_consent(situation: Situation) -> Consent | None:
    """The victim's latest answer about sharing (latest wins), or None if never asked."""
    return situation.consents.order_by("-recorded_at", "-pk").first()


def safe_channels(situation: Situation) -> dict[int, dict[str, SafeContact]]:
    """For each victim (pk): its safe-contact rows by channel."""
    victims = situation.persons.filter(role=PersonRole.VICTIM).prefetch_related("safe_contacts")
    return {v.pk: {c.channel: c for c in v.safe_contacts.all()} for v in victims}
