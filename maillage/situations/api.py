"""API: the situations the caller may see, under the same policy as the pages (policies.py).

Every look-up goes through `Situation.objects.visible_to(actor)`: a situation that is missing and one the
caller may not see answer the same 404. Lists carry pseudonyms only; identities appear in a detail answer
only on request (`identities=true`) and where `can_view_identity` allows, and each read of a situation (and
of its identities) is audited like the page. Writes go through the services, which check permissions again.
"""

from datetime import date
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from maillage.api.auth import member_auth
from maillage.api.schemas import ErrorOut
from maillage.errors import DomainError
from maillage.network.models import Membership, Organisation
from maillage.situations import policies, services
from maillage.situations.enums import PersonRole, SituationStatus
from maillage.situations.models import Consent, Participation, Person, Situation, Task, TimelineEntry
from maillage.situations.schemas import (
    NoteIn,
    SituationDetailOut,
    SituationIn,
    SituationPageOut,
    SituationReportedOut,
    TaskIn,
    TaskOut,
    TimelineEntryOut,
)
from maillage.situations.selectors import situation_detailed
from maillage.territories.models import Commune

router = Router(tags=["Situations"])

MAX_LIMIT = settings.NINJA_PAGINATION_MAX_LIMIT
PAGE_SIZE = settings.NINJA_PAGINATION_PER_PAGE
SEEING = tuple(role.value for role in policies.SEEING_ROLES)
DENIED = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}
REFUSED = {400: ErrorOut, 403: ErrorOut}


class SituationFilters(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_LIMIT, description="Nombre de situations par page.")
    offset: int = Field(0, ge=0, description="Nombre de situations à sauter.")
    q: str | None = Field(None, max_length=20, description="Partie du pseudonyme, par exemple « 2026-004 ».")
    commune: UUID | None = Field(None, description="Identifiant d'une commune du territoire.")
    status: SituationStatus | None = None
    urgent: bool | None = Field(None, description="Danger immédiat signalé, ou non.")
    date_from: date | None = Field(None, description="Repérées depuis le (inclus).")
    date_to: date | None = Field(None, description="Repérées jusqu'au (inclus).")


# ------------------------------------------------------------------------------------------ reading


def _member_ref(membership: Membership) -> dict:
    return {
        "public_id": membership.public_id,
        "name": membership.user.get_full_name() or membership.user.email,
        "organisation": membership.organisation.name,
    }


def _list_data(situation: Situation) -> dict:
    return {
        "public_id": situation.public_id,
        "pseudonym": situation.pseudonym,
        "commune": situation.commune,
        "detected_on": situation.detected_on,
        "status": situation.status,
        "status_label": situation.get_status_display(),
        "urgent": situation.urgent,
        "restricted": situation.restricted,
        "sources": situation.sources,
        "violence_types": situation.violence_types,
        "updated_at": situation.updated_at,
    }


def _entry_data(entry: TimelineEntry) -> dict:
    return {
        "public_id": entry.public_id,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "visibility": entry.visibility,
        "visibility_label": entry.get_visibility_display(),
        "medical": entry.medical,
        "channel": entry.channel or None,
        "body": entry.body,
        "occurred_on": entry.occurred_on,
        "author": _member_ref(entry.author),
        "created_at": entry.created_at,
    }


def _task_data(task: Task, today: date) -> dict:
    return {
        "public_id": task.public_id,
        "title": task.title,
        "owner": _member_ref(task.owner),
        "due_on": task.due_on,
        "done": task.done_at is not None,
        "overdue": task.done_at is None and task.due_on < today,
        "created_at": task.created_at,
    }


def _person_data(person: Person, show_identity: bool) -> dict:
    identity = None
    if show_identity:
        identity = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_name": person.birth_name,
            "birth_date": person.birth_date,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
        }
    return {
        "public_id": person.public_id,
        "role": person.role,
        "role_label": person.get_role_display(),
        "sex": person.sex,
        "age": person.age,
        "identity": identity,
        "safe_contacts": [
            {
                "channel": contact.channel,
                "channel_label": contact.get_channel_display(),
                "allowed": contact.allowed,
                "safe_hours": contact.safe_hours,
                "code_word": contact.code_word if show_identity else None,
            }
            for contact in sorted(person.safe_contacts.all(), key=lambda c: c.channel)
        ],
    }


PERSON_ORDER = {role: index for index, role in enumerate(PersonRole.values)}


def _person_order(person: Person) -> tuple[int, int]:
    """Victims first, then children, then alleged perpetrators, each in the order they were recorded."""
    return PERSON_ORDER[person.role], person.pk


def _consent_data(consent: Consent | None) -> dict | None:
    if consent is None:
        return None
    return {
        "answer": consent.answer,
        "answer_label": consent.get_answer_display(),
        "organisations": sorted(consent.organisations.all(), key=lambda o: o.name),
        "recorded_on": consent.recorded_on,
        "recorded_by": _member_ref(consent.recorded_by),
    }


def _participation_data(participation: Participation) -> dict:
    return {
        "organisation": participation.organisation,
        "reason": participation.reason,
        "reason_label": participation.get_reason_display(),
        "legal_ground": participation.legal_ground,
        "legal_ground_label": participation.get_legal_ground_display(),
        "added_at": participation.added_at,
    }


def _tasks(situation: Situation):
    return situation.tasks.select_related("owner__user", "owner__organisation")


def _detail_data(actor, situation: Situation, *, show_identity: bool) -> dict:
    today = timezone.localdate()
    timeline = TimelineEntry.objects.visible_to(actor, situation).select_related(
        "author__user", "author__organisation"
    )
    consents = list(situation.consents.all())
    closure = situation.closure_reason
    return {
        **_list_data(situation),
        "closure_reason": closure or None,
        "closure_reason_label": situation.get_closure_reason_display() if closure else "",
        "closed_at": situation.closed_at,
        "version": situation.version,
        "referent": _member_ref(situation.referent) if situation.referent else None,
        "participations": [_participation_data(p) for p in situation.participations.all()],
        "identities_visible": show_identity,
        "persons": [
            _person_data(p, show_identity) for p in sorted(situation.persons.all(), key=_person_order)
        ],
        "consent": _consent_data(consents[0] if consents else None),
        "timeline": [_entry_data(e) for e in timeline],
        "tasks": [_task_data(t, today) for t in _tasks(situation)],
    }


@router.get(
    "/situations",
    auth=member_auth(*SEEING),
    response={200: SituationPageOut, **DENIED},
    url_name="situations",
    summary="Mes situations",
)
def situation_list(request: HttpRequest, filters: Query[SituationFilters]):
    """Les situations que l'adhésion active peut voir, les plus récemment repérées d'abord, par pages
    (`limit`, 50 par défaut, et `offset`).

    Chaque situation n'apparaît que sous son pseudonyme : aucune identité dans une liste.
    Filtres : `q` (partie du pseudonyme), `commune` (identifiant), `status`, `urgent`,
    `date_from` et `date_to` (période de repérage, bornes incluses).
    """
    situations = (
        Situation.objects.visible_to(request.actor).select_related("commune").order_by("-detected_on", "-pk")
    )
    if filters.q:
        situations = situations.filter(pseudonym__icontains=filters.q.strip())
    if filters.commune is not None:
        situations = situations.filter(commune__public_id=filters.commune)
    if filters.status is not None:
        situations = situations.filter(status=filters.status)
    if filters.urgent is not None:
        situations = situations.filter(urgent=filters.urgent)
    if filters.date_from is not None:
        situations = situations.filter(detected_on__gte=filters.date_from)
    if filters.date_to is not None:
        situations = situations.filter(detected_on__lte=filters.date_to)
    page = situations[filters.offset : filters.offset + filters.limit]
    return {"count": situations.count(), "items": [_list_data(situation) for situation in page]}


@router.get(
    "/situations/{uuid:public_id}",
    auth=member_auth(*SEEING),
    response={200: SituationDetailOut, **DENIED, **NOT_FOUND},
    url_name="situation",
    summary="Une situation",
)
def situation_detail(
    request: HttpRequest,
    public_id: UUID,
    identities: bool = Query(
        False, description="Afficher les identités (consultation enregistrée au journal)."
    ),
):
    """Une situation visible par l'adhésion active : état, organisations qui la suivent, référent·e,
    personnes, consentement, préférences de contact sûr, entrées du suivi visibles selon leur niveau, tâches.

    Les identités des personnes (et les mots de passe convenus) ne sont renvoyées qu'avec
    `identities=true`, et seulement à qui a le droit de les voir ; sinon `identity` vaut null.
    Chaque lecture est enregistrée au journal d'audit, comme la consultation de la page ; l'affichage des
    identités l'est aussi. Une situation inexistante ou non visible répond 404, sans distinction.
    """
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    show_identity = identities and policies.can_view_identity(actor, situation)
    emergency = policies.reads_through_emergency(actor, situation)
    services.record_view(actor, situation, "page", emergency=emergency)
    if show_identity:
        services.record_view(actor, situation, "identity", emergency=emergency)
    return _detail_data(actor, situation, show_identity=show_identity)


# ------------------------------------------------------------------------------------------ writing


def _commune(actor, public_id: UUID) -> Commune:
    commune = Commune.objects.filter(territory=actor.territory, public_id=public_id).first()
    if commune is None:
        raise DomainError("Cette commune ne fait pas partie de votre territoire.")
    return commune


def _organisations(actor, public_ids: list[UUID]) -> list[Organisation]:
    found = list(
        Organisation.objects.filter(territories=actor.territory, is_active=True, public_id__in=public_ids)
    )
    if len(found) != len(set(public_ids)):
        raise DomainError("Une des organisations indiquées ne fait pas partie du réseau de votre territoire.")
    return found


@router.post(
    "/situations",
    auth=member_auth(*SEEING),
    response={201: SituationReportedOut, **REFUSED, 401: ErrorOut},
    url_name="situation_report",
    summary="Signaler une situation",
)
def situation_report(request: HttpRequest, payload: SituationIn):
    """Enregistre une nouvelle situation (repérage), comme le formulaire « Signaler une situation ».

    L'organisation de l'adhésion active suit la situation ; la coordination et les référent·es de la
    commune sont prévenu·es (dans l'application, et par un courriel qui ne nomme personne).
    En cas de danger immédiat (`urgent`), appelez le 17 ou le 112 (SMS : 114) sans attendre.
    N'écrivez que le strict nécessaire. Réponse : l'identifiant et le pseudonyme attribués.
    Exige un jeton avec le droit d'écriture.
    """
    actor = request.actor
    data = payload.dict()
    consent = data.pop("consent")
    situation = services.situation_report(
        actor=actor,
        commune=_commune(actor, data.pop("commune")),
        persons=data.pop("persons"),
        consent={
            "answer": consent["answer"],
            "organisations": _organisations(actor, consent["organisations"]),
        },
        **data,
    )
    visible = Situation.objects.visible_to(actor).filter(pk=situation.pk).exists()
    return Status(
        201,
        {
            "public_id": situation.public_id,
            "pseudonym": situation.pseudonym,
            "urgent": situation.urgent,
            "visible": visible,
        },
    )


@router.post(
    "/situations/{uuid:public_id}/notes",
    auth=member_auth(*SEEING),
    response={201: TimelineEntryOut, **REFUSED, 401: ErrorOut, **NOT_FOUND},
    url_name="situation_notes",
    summary="Ajouter une entrée au suivi",
)
def note_add(request: HttpRequest, public_id: UUID, payload: NoteIn):
    """Ajoute une note, un contact, un rendez-vous ou une décision au suivi de la situation.

    `visibility` : `organisation` (votre organisation seulement), `participants` (les organisations qui
    suivent la situation) ou `coordination` (la coordination et le ou la référent·e). L'information
    médicale d'un établissement de santé reste dans votre organisation tant que la victime n'a pas donné
    son accord. Un contact par un moyen non indiqué comme sûr est refusé. Exige le droit d'écriture.
    """
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    data = payload.dict()
    data["channel"] = data["channel"] or ""
    entry = services.timeline_add(actor=actor, situation=situation, **data)
    entry = TimelineEntry.objects.select_related("author__user", "author__organisation").get(pk=entry.pk)
    return Status(201, _entry_data(entry))


@router.get(
    "/situations/{uuid:public_id}/tasks",
    auth=member_auth(*SEEING),
    response={200: list[TaskOut], **DENIED, **NOT_FOUND},
    url_name="situation_tasks",
    summary="Tâches d'une situation",
)
def task_list(request: HttpRequest, public_id: UUID):
    """Les tâches de la situation, celles à faire d'abord, par échéance ; `overdue` signale un retard.
    Chaque lecture est enregistrée au journal d'audit."""
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    emergency = policies.reads_through_emergency(actor, situation)
    services.record_view(actor, situation, "page", emergency=emergency, part="tasks")
    today = timezone.localdate()
    return [_task_data(task, today) for task in _tasks(situation)]


@router.post(
    "/situations/{uuid:public_id}/tasks",
    auth=member_auth(*SEEING),
    response={201: TaskOut, **REFUSED, 401: ErrorOut, **NOT_FOUND},
    url_name="situation_task_add",
    summary="Ajouter une tâche",
)
def task_add(request: HttpRequest, public_id: UUID, payload: TaskIn):
    """Confie une tâche, avec une échéance, à une personne qui a accès à la situation (`owner` : identifiant
    de son adhésion). Réservé à la coordination et aux organisations qui suivent la situation.
    Exige le droit d'écriture."""
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    owner = Membership.objects.filter(territory=actor.territory, public_id=payload.owner).first()
    if owner is None:
        raise DomainError("Cette personne n'a pas accès à la situation : choisissez quelqu'un qui la suit.")
    task = services.task_add(
        actor=actor, situation=situation, title=payload.title, owner=owner, due_on=payload.due_on
    )
    task = _tasks(situation).get(pk=task.pk)
    return Status(201, _task_data(task, timezone.localdate()))
