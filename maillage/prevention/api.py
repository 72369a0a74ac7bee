"""API: the prevention events and the trainings, under the pages' policy (policies.py, ADR 0036). Every member
of a territory reads them; a missing record and another territory's answer the same 404. Writes go through
the services, which check again (observers and DPOs: 403)."""

from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import ErrorOut
from maillage.errors import DomainError
from maillage.network.models import Organisation
from maillage.prevention import policies, selectors, services
from maillage.prevention.enums import EventKind, TrainingTopic
from maillage.prevention.policies import WRITER_ROLES
from maillage.prevention.schemas import EventIn, EventOut, TrainingIn, TrainingOut
from maillage.territories.models import Commune

router = Router(tags=["Prévention et formations"])

DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, **DENIED, 409: ErrorOut}


class EventQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Année de l'action.")
    kind: EventKind | None = None
    commune: UUID | Literal["territoire"] | None = Field(
        None, description="Identifiant d'une commune, ou « territoire » pour les actions sans commune."
    )


class TrainingQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Année de la session.")
    topic: TrainingTopic | None = None


def _commune(actor, public_id: UUID | None):
    if public_id is None:
        return None
    commune = Commune.objects.filter(territory_id=actor.membership.territory_id, public_id=public_id).first()
    if commune is None:
        raise DomainError("Choisissez une commune de votre territoire.")
    return commune


def _organisations(actor, public_ids: list[UUID]) -> dict[UUID, Organisation]:
    """The organisations named, by public id, each of the actor's territory (the services check they are
    active partners)."""
    found = {
        organisation.public_id: organisation
        for organisation in Organisation.objects.filter(
            territories=actor.membership.territory_id, public_id__in=set(public_ids)
        )
    }
    if len(found) != len(set(public_ids)):
        raise DomainError("Choisissez des organisations du réseau de votre territoire.")
    return found


@router.get(
    "/prevention/events",
    auth=member_auth(),
    response={200: list[EventOut], **DENIED},
    url_name="prevention_events",
    summary="Actions de prévention",
)
@paginate(LimitOffset)
def event_list(request: HttpRequest, query: Query[EventQuery]):
    """Les actions de prévention et de communication du territoire, les plus récentes d'abord, filtrées par
    année, type et commune. Visibles de tout membre du territoire."""
    filters = selectors.EventFilters(
        year=query.year, kind=query.kind or "", commune=str(query.commune) if query.commune else ""
    )
    return selectors.events_listed(request.actor, filters)


@router.get(
    "/prevention/events/{uuid:public_id}",
    auth=member_auth(),
    response={200: EventOut, **DENIED, 404: ErrorOut},
    url_name="prevention_event",
    summary="Une action de prévention",
)
def event_detail(request: HttpRequest, public_id: UUID):
    """Une action du territoire ; inexistante ou d'un autre territoire : 404, sans distinction."""
    return policies.access_event(request.actor, public_id)


@router.post(
    "/prevention/events",
    auth=member_auth(*WRITER_ROLES),
    response={201: EventOut, **REFUSED},
    url_name="prevention_event_create",
    summary="Enregistrer une action de prévention",
)
def event_create(request: HttpRequest, payload: EventIn):
    """Enregistre une action du territoire. L'organisation de l'adhésion compte toujours parmi ses
    organisations, sauf pour la coordination. Une action passée indique ses personnes touchées ; une action
    à venir, non. Observation et DPO : lecture seule (403)."""
    actor = request.actor
    values = payload.dict(exclude={"organisations", "commune"})
    event = services.event_record(
        actor=actor,
        commune=_commune(actor, payload.commune),
        organisations=list(_organisations(actor, payload.organisations).values()),
        **values,
    )
    return Status(201, policies.access_event(actor, event.public_id))


@router.get(
    "/prevention/trainings",
    auth=member_auth(),
    response={200: list[TrainingOut], **DENIED},
    url_name="prevention_trainings",
    summary="Formations",
)
@paginate(LimitOffset)
def training_list(request: HttpRequest, query: Query[TrainingQuery]):
    """Les formations données aux professionnels du territoire, les plus récentes d'abord, filtrées par
    année et thème, avec leurs participants par organisation."""
    filters = selectors.TrainingFilters(year=query.year, topic=query.topic or "")
    return policies.with_attendance(selectors.trainings_listed(request.actor, filters))


@router.get(
    "/prevention/trainings/{uuid:public_id}",
    auth=member_auth(),
    response={200: TrainingOut, **DENIED, 404: ErrorOut},
    url_name="prevention_training",
    summary="Une formation",
)
def training_detail(request: HttpRequest, public_id: UUID):
    """Une formation du territoire et ses participants par organisation ; inexistante ou d'un autre
    territoire : 404, sans distinction."""
    return policies.access_training(request.actor, public_id)


@router.post(
    "/prevention/trainings",
    auth=member_auth(*WRITER_ROLES),
    response={201: TrainingOut, **REFUSED},
    url_name="prevention_training_create",
    summary="Enregistrer une formation",
)
def training_create(request: HttpRequest, payload: TrainingIn):
    """Enregistre une session déjà tenue, avec au moins une ligne de participants (une organisation une
    seule fois). L'organisation de l'adhésion compte toujours parmi les organisations formatrices, sauf
    pour la coordination. Observation et DPO : lecture seule (403)."""
    actor = request.actor
    named = [row.organisation for row in payload.attendances] + payload.trainer_organisations
    organisations = _organisations(actor, named)
    values = payload.dict(exclude={"trainer_organisations", "attendances", "commune"})
    training = services.training_record(
        actor=actor,
        commune=_commune(actor, payload.commune),
        trainer_organisations=[organisations[public_id] for public_id in payload.trainer_organisations],
        attendances=[(organisations[row.organisation], row.attendees) for row in payload.attendances],
        **values,
    )
    return Status(201, policies.access_training(actor, training.public_id))
