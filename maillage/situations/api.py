"""API: the situations the caller may see, under the same policy as the pages (policies.py).

Every look-up goes through `Situation.objects.visible_to(actor)`: a situation that is missing and one the
caller may not see answer the same 404. Lists carry pseudonyms only; identities appear in a detail answer
only on request (`identities=true`) and where `can_view_identity` allows, and each read of a situation (and
of its identities) is audited like the page: the detail is the page's read (`services.situation_read`),
answered by the schemas reading its objects. Writes go through the services, which check permissions again.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import Keyset
from maillage.api.schemas import Day, ErrorOut
from maillage.errors import DomainError
from maillage.network.models import Membership, Organisation
from maillage.situations import policies, selectors, services
from maillage.situations.enums import SituationStatus
from maillage.situations.models import TimelineEntry
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.schemas import (
    NoteIn,
    SituationDetailOut,
    SituationIn,
    SituationListOut,
    SituationReportedOut,
    TaskIn,
    TaskOut,
    TimelineEntryOut,
)
from maillage.territories.models import Commune

router = Router(tags=["Situations"])

DENIED = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}
REFUSED = {400: ErrorOut, 403: ErrorOut}


# The list's filters, as `selectors.situations_listed` takes them (the page's FilterForm gives the same).
class SituationFilters(Schema):
    q: str | None = Field(None, max_length=20, description="Partie du pseudonyme, par exemple « 2026-004 ».")
    commune: UUID | None = Field(None, description="Identifiant d'une commune du territoire.")
    status: SituationStatus | None = None
    urgent: bool | None = Field(None, description="Danger immédiat signalé, ou non.")
    date_from: Day | None = Field(None, description="Repérées depuis le (inclus).")
    date_to: Day | None = Field(None, description="Repérées jusqu'au (inclus).")


# ------------------------------------------------------------------------------------------ reading


@router.get(
    "/situations",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[SituationListOut], 400: ErrorOut, **DENIED},
    url_name="situations",
    summary="Mes situations",
)
@paginate(Keyset)
def situation_list(request: HttpRequest, filters: Query[SituationFilters]):
    """Les situations que l'adhésion active peut voir, les plus récemment repérées d'abord, par pages
    (`limit`, 50 par défaut) : la réponse donne dans `next` le curseur de la page suivante, à passer dans
    `cursor` (et dans `previous` celui de la page précédente). Le total (`count`) est compté jusqu'à 1 000.

    Chaque situation n'apparaît que sous son pseudonyme : aucune identité dans une liste.
    Filtres : `q` (partie du pseudonyme), `commune` (identifiant), `status`, `urgent`,
    `date_from` et `date_to` (période de repérage, bornes incluses).
    """
    return selectors.situations_listed(request.actor, filters.dict())


@router.get(
    "/situations/{uuid:public_id}",
    auth=member_auth(*SEEING_ROLES),
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
    """Une situation visible par l'adhésion active : état, organisations qui la suivent, personne référente,
    personnes, consentement, préférences de contact sûr, entrées du suivi visibles selon leur niveau, tâches.

    Les identités des personnes (et les mots de passe convenus) ne sont renvoyées qu'avec
    `identities=true`, et seulement à qui a le droit de les voir ; sinon `identity` vaut null.
    Chaque lecture est enregistrée au journal d'audit, comme la consultation de la page ; l'affichage des
    identités l'est aussi. Une situation inexistante ou non visible répond 404, sans distinction.
    """
    return services.situation_read(actor=request.actor, public_id=public_id, identities=identities)


@router.get(
    "/situations/{uuid:public_id}/tasks",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[TaskOut], **DENIED, **NOT_FOUND},
    url_name="situation_tasks",
    summary="Tâches d'une situation",
)
def task_list(request: HttpRequest, public_id: UUID):
    """Les tâches de la situation, celles à faire d'abord, par échéance ; `overdue` signale un retard.
    Chaque lecture est enregistrée au journal d'audit."""
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    services.situation_view_record(actor=actor, situation=situation, part="tasks")
    return selectors.tasks_with_owners().filter(situation=situation)


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
    auth=member_auth(*SEEING_ROLES),
    response={201: SituationReportedOut, **REFUSED, 401: ErrorOut},
    url_name="situation_report",
    summary="Signaler une situation",
)
def situation_report(request: HttpRequest, payload: SituationIn):
    """Enregistre une nouvelle situation (repérage), comme le formulaire « Signaler une situation ».

    L'organisation de l'adhésion active suit la situation ; la coordination et les personnes référentes de la
    commune sont prévenues (dans l'application, et par un courriel qui ne nomme personne).
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
    return Status(
        201,
        {
            "public_id": situation.public_id,
            "pseudonym": situation.pseudonym,
            "urgent": situation.urgent,
            "visible": policies.can_open(actor, situation),
        },
    )


@router.post(
    "/situations/{uuid:public_id}/notes",
    auth=member_auth(*SEEING_ROLES),
    response={201: TimelineEntryOut, **REFUSED, 401: ErrorOut, **NOT_FOUND},
    url_name="situation_notes",
    summary="Ajouter une entrée au suivi",
)
def note_add(request: HttpRequest, public_id: UUID, payload: NoteIn):
    """Ajoute une note, un contact, un rendez-vous ou une décision au suivi de la situation.

    `visibility` : `organisation` (votre organisation seulement), `participants` (les organisations qui
    suivent la situation) ou `coordination` (la coordination et la personne référente). L'information
    médicale d'un établissement de santé reste dans votre organisation tant que la victime n'a pas donné
    son accord. Un contact par un moyen non indiqué comme sûr est refusé. Exige le droit d'écriture.
    """
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    data = payload.dict()
    data["channel"] = data["channel"] or ""
    entry = services.timeline_add(actor=actor, situation=situation, **data)
    return Status(
        201, TimelineEntry.objects.select_related("author__user", "author__organisation").get(pk=entry.pk)
    )


@router.post(
    "/situations/{uuid:public_id}/tasks",
    auth=member_auth(*SEEING_ROLES),
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
    return Status(201, selectors.tasks_with_owners().get(pk=task.pk))
