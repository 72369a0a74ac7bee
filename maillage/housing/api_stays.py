"""API: stay requests and stays under the same policy as the pages (stay_policies.py). Missing and not
visible answer the same 404; a housing manager reads a request as pseudonym + household only (no identity,
no notes); a unit appears by its public id and display name, never its address. Writes go through the
services, which check permissions again: an illegal transition answers 400, an answer read at an older
version 409."""

import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import Day, ErrorOut, Version
from maillage.errors import DomainError
from maillage.housing import stay_policies as policies
from maillage.housing import stay_selectors as selectors
from maillage.housing.enums import ExitSolution, RequestStatus, StayStatus
from maillage.housing.models import HousingUnit, Stay, StayRequest
from maillage.housing.services import stays as services
from maillage.network.enums import Role
from maillage.situations.policies import SEEING_ROLES, access_situation
from maillage.situations.services import situation_view_record

router = Router(tags=["Hébergement : demandes et séjours"])

HOUSING_ROLES = (*SEEING_ROLES, Role.HOUSING_MANAGER)
DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SituationPseudonym(Schema):
    public_id: UUID
    pseudonym: str


class UnitName(Schema):
    public_id: UUID
    name: str = Field(description="Nom affiché du logement (jamais son adresse).")


class StayRequestOut(Schema):
    public_id: UUID
    situation: SituationPseudonym
    adults: int
    children_ages: list[int] = Field(description="Âges des enfants, en années.")
    urgent: bool
    wished_from: datetime.date
    wished_until: datetime.date | None
    status: RequestStatus
    created_at: datetime.datetime
    answered_at: datetime.datetime | None
    version: int = Field(description="À renvoyer avec une réponse : une version dépassée est refusée (409).")


class StayRequestDetailOut(StayRequestOut):
    notes: str | None = Field(
        description="Précisions : pour le côté de la demande seulement (null pour qui gère les logements)."
    )

    @staticmethod
    def resolve_notes(obj: StayRequest, context) -> str | None:
        actor = context["request"].actor
        return obj.notes if policies.sees_requester_side(actor, obj.situation) else None


class StayOut(Schema):
    public_id: UUID
    situation: SituationPseudonym
    unit: UnitName
    request: UUID | None = None
    adults: int
    children: int
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="Le matin du départ : prévu, puis réel après le départ.")
    status: StayStatus
    checked_in_at: datetime.datetime | None
    checked_out_at: datetime.datetime | None
    exit_solution: ExitSolution | Literal[""]
    version: int

    @staticmethod
    def resolve_request(obj: Stay) -> UUID | None:
        return obj.request.public_id if obj.request_id else None


class StayRequestIn(Schema):
    situation: UUID = Field(description="Identifiant de la situation.")
    adults: int = Field(1, ge=1, le=10)
    children_ages: list[int] = Field(default_factory=list, max_length=12)
    urgent: bool = False
    wished_from: Day
    wished_until: Day | None = None
    notes: str = Field("", max_length=2000, description="Pour le côté de la demande seulement.")


class RequestAnswerIn(Schema):
    version: Version | None = Field(None, description="La version lue ; une version dépassée est refusée.")
    unit: UUID | None = Field(None, description="Pour `allocate` : le logement attribué.")
    starts_on: Day | None = Field(None, description="Pour `allocate` : la première nuit.")
    ends_on: Day | None = Field(None, description="Pour `allocate` : le matin du départ.")


class StayActionIn(Schema):
    version: Version | None = Field(None, description="La version lue ; une version dépassée est refusée.")
    ends_on: Day | None = Field(None, description="Pour `extend` : la nouvelle date de départ.")
    exit_solution: ExitSolution | None = Field(None, description="Pour `check_out` : la solution de sortie.")
    on: Day | None = Field(None, description="Pour `check_out` : le jour du départ (aujourd'hui).")


class RequestFilters(Schema):
    status: Literal["open", "pending", "waiting_list", "allocated", "refused", "cancelled", "all"] = Field(
        "open", description="`open` (en attente ou en liste d'attente, par défaut), un état, ou `all`."
    )


@router.get(
    "/housing/requests",
    auth=member_auth(*HOUSING_ROLES),
    response={200: list[StayRequestOut], **DENIED},
    url_name="stay_requests",
    summary="Demandes d'hébergement",
)
@paginate(LimitOffset)
def request_list(request: HttpRequest, filters: Query[RequestFilters]):
    """Les demandes visibles, urgentes d'abord puis les plus anciennes : pseudonyme et foyer seulement."""
    return selectors.requests_listed(request.actor, "" if filters.status == "all" else filters.status)


@router.get(
    "/housing/requests/{uuid:public_id}",
    auth=member_auth(*HOUSING_ROLES),
    response={200: StayRequestDetailOut, **DENIED, 404: ErrorOut},
    url_name="stay_request",
    summary="Une demande d'hébergement",
)
def request_detail(request: HttpRequest, public_id: UUID):
    """Une demande visible ; inexistante ou non visible : 404, sans distinction. Lecture enregistrée."""
    stay_request = policies.access_request(request.actor, public_id)
    situation_view_record(actor=request.actor, situation=stay_request.situation, part="housing")
    return stay_request


@router.post(
    "/housing/requests",
    auth=member_auth(*HOUSING_ROLES),
    response={201: StayRequestDetailOut, **REFUSED},
    url_name="stay_request_create",
    summary="Demander un hébergement",
)
def request_create(request: HttpRequest, payload: StayRequestIn):
    """Depuis une situation que l'adhésion suit (coordination, personne référente, organisation qui la
    suit). Les personnes qui gèrent les logements du territoire sont prévenues sans donnée personnelle."""
    actor = request.actor
    situation = access_situation(actor, payload.situation)
    stay_request = services.stay_request_create(
        actor=actor,
        situation=situation,
        adults=payload.adults,
        children_ages=payload.children_ages,
        urgent=payload.urgent,
        wished_from=payload.wished_from,
        wished_until=payload.wished_until,
        notes=payload.notes,
    )
    return Status(201, policies.access_request(actor, stay_request.public_id))


@router.post(
    "/housing/requests/{uuid:public_id}/{action}",
    auth=member_auth(*HOUSING_ROLES),
    response={200: StayRequestDetailOut, **REFUSED},
    url_name="stay_request_act",
    summary="Répondre à une demande d'hébergement",
)
def request_act(
    request: HttpRequest,
    public_id: UUID,
    action: Literal["waitlist", "refuse", "allocate", "cancel"],
    payload: RequestAnswerIn,
):
    """`waitlist`, `refuse`, `allocate` (avec `unit`, `starts_on`, `ends_on`) : qui gère les logements du
    territoire, ou la coordination ; `cancel` : le côté de la demande. La personne qui a demandé est
    prévenue de la réponse, sans donnée personnelle."""
    actor = request.actor
    stay_request = policies.access_request(actor, public_id)
    version = payload.version
    if action == "allocate":
        if payload.unit is None or payload.starts_on is None or payload.ends_on is None:
            raise DomainError(
                "Indiquez le logement (`unit`), l'arrivée (`starts_on`) et le départ (`ends_on`)."
            )
        unit = HousingUnit.objects.filter(
            territory_id=stay_request.territory_id, public_id=payload.unit
        ).first()
        if unit is None:
            raise DomainError("Ce logement ne fait pas partie des logements de votre territoire.")
        services.stay_allocate(
            actor=actor,
            request=stay_request,
            unit=unit,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            version=version,
        )
    else:
        call = {
            "waitlist": services.stay_request_waitlist,
            "refuse": services.stay_request_refuse,
            "cancel": services.stay_request_cancel,
        }[action]
        call(actor=actor, request=stay_request, version=version)
    return StayRequest.objects.select_related("situation").get(pk=stay_request.pk)


@router.get(
    "/housing/stays",
    auth=member_auth(*HOUSING_ROLES),
    response={200: list[StayOut], **DENIED},
    url_name="stays",
    summary="Séjours",
)
@paginate(LimitOffset)
def stay_list(request: HttpRequest, current: bool = False):
    """Les séjours visibles (ceux des logements de son organisation pour qui les gère), par date
    d'arrivée ; `current=true` : prévus et en cours seulement."""
    return selectors.stays_listed(request.actor, current_only=current).select_related("request")


@router.get(
    "/housing/stays/{uuid:public_id}",
    auth=member_auth(*HOUSING_ROLES),
    response={200: StayOut, **DENIED, 404: ErrorOut},
    url_name="stay",
    summary="Un séjour",
)
def stay_detail(request: HttpRequest, public_id: UUID):
    """Un séjour visible ; inexistant ou non visible : 404, sans distinction. Lecture enregistrée."""
    stay = policies.access_stay(request.actor, public_id)
    situation_view_record(actor=request.actor, situation=stay.situation, part="housing")
    return stay


@router.post(
    "/housing/stays/{uuid:public_id}/{action}",
    auth=member_auth(*HOUSING_ROLES),
    response={200: StayOut, **REFUSED},
    url_name="stay_act",
    summary="Faire avancer un séjour",
)
def stay_act(
    request: HttpRequest,
    public_id: UUID,
    action: Literal["check_in", "extend", "check_out", "cancel"],
    payload: StayActionIn,
):
    """`check_in`, `extend` (avec `ends_on`), `check_out` (avec `exit_solution`, et `on`), `cancel` (un
    séjour prévu : ses nuits redeviennent libres) : qui gère le logement, ou la coordination."""
    actor = request.actor
    stay = policies.access_stay(actor, public_id)
    version = payload.version
    if action == "check_in":
        services.stay_check_in(actor=actor, stay=stay, version=version)
    elif action == "extend":
        if payload.ends_on is None:
            raise DomainError("Indiquez la nouvelle date de départ (`ends_on`).")
        services.stay_extend(actor=actor, stay=stay, ends_on=payload.ends_on, version=version)
    elif action == "check_out":
        services.stay_check_out(
            actor=actor, stay=stay, exit_solution=payload.exit_solution or "", on=payload.on, version=version
        )
    else:
        services.stay_cancel(actor=actor, stay=stay, version=version)
    return Stay.objects.select_related("situation", "unit", "request").get(pk=stay.pk)
