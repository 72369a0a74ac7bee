"""API: the coordination meetings under the same policy as the pages (policies.py). A meeting missing and
one the caller may not see answer the same 404; its agenda is empty behind the charter gate; what was said
about a situation is given only to whoever may open the situation now, each read recorded. Writes are the
coordinator's, through the services (an illegal move answers 400, a stale version 409)."""

import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import Day, ErrorOut, Version
from maillage.errors import DomainError
from maillage.meetings import policies, selectors, services
from maillage.meetings.enums import MeetingStatus
from maillage.network.enums import Role
from maillage.situations.policies import SEEING_ROLES

router = Router(tags=["Cellule de suivi"])

DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class MeetingOut(Schema):
    public_id: UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    video_link: str
    status: MeetingStatus
    version: int = Field(description="À renvoyer avec une action : une version dépassée est refusée (409).")


class DecisionOut(Schema):
    public_id: UUID
    text: str
    task: UUID | None = Field(None, description="La tâche de la situation qui porte son action.")

    @staticmethod
    def resolve_task(obj) -> UUID | None:
        return obj.task.public_id if obj.task else None


class AgendaItemOut(Schema):
    public_id: UUID
    pseudonym: str
    situation: UUID | None = Field(description="Identifiant de la situation, si l'adhésion peut l'ouvrir.")
    reasons: list[str] = Field(description="Motifs d'inscription, en toutes lettres.")
    reviewed: bool
    summary: str | None = Field(description="Synthèse, seulement si l'adhésion peut ouvrir la situation.")
    next_review_on: datetime.date | None
    decisions: list[DecisionOut]
    version: int


class MeetingDetailOut(MeetingOut):
    note: str
    agenda_visible: bool = Field(description="Faux tant que la charte en vigueur n'est pas acceptée.")
    agenda: list[AgendaItemOut]


class MeetingIn(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500)
    note: str = Field("", max_length=1000)


class VersionIn(Schema):
    version: Version | None = Field(None, description="La version lue ; une version dépassée est refusée.")


class ItemIn(Schema):
    summary: str = Field("", max_length=3000)
    next_review_on: Day | None = None
    version: Version | None = None


class DecisionIn(Schema):
    text: str = Field(max_length=1000)
    action: str = Field(max_length=200, description="L'action qui en découle : une tâche de la situation.")
    owner: UUID = Field(description="Adhésion d'une personne qui suit la situation.")
    due_on: Day


def _item_out(item) -> dict:
    shown = item.can_open
    return {
        "public_id": item.public_id,
        "pseudonym": item.situation.pseudonym,
        "situation": item.situation.public_id if shown else None,
        "reasons": item.reason_labels,
        "reviewed": item.reviewed_at is not None,
        "summary": item.summary if shown else None,
        "next_review_on": item.next_review_on if shown else None,
        "decisions": list(item.decisions.all()) if shown else [],
        "version": item.version,
    }


def _detail(actor, meeting) -> dict:
    context = services.agenda_read(actor=actor, meeting=meeting)
    return {
        **{name: getattr(meeting, name) for name in MeetingDetailOut.model_fields if hasattr(meeting, name)},
        "agenda_visible": context["sees_agenda"],
        "agenda": [_item_out(item) for item in context["items"]],
    }


@router.get(
    "/meetings",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[MeetingOut], **DENIED},
    url_name="meetings",
    summary="Réunions de la cellule de suivi",
)
@paginate(LimitOffset)
def meeting_list(request: HttpRequest):
    """Les réunions que l'adhésion voit (membres de la cellule et coordination), les plus récentes d'abord."""
    return selectors.meetings_listed(request.actor)


@router.get(
    "/meetings/{uuid:public_id}",
    auth=member_auth(*SEEING_ROLES),
    response={200: MeetingDetailOut, **DENIED, 404: ErrorOut},
    url_name="meeting",
    summary="Une réunion et son ordre du jour",
)
def meeting_detail(request: HttpRequest, public_id: UUID):
    """Date, lieu et ordre du jour (vide tant que la charte en vigueur n'est pas acceptée). Synthèses et
    décisions : pour les situations que l'adhésion peut ouvrir, chaque lecture inscrite au journal."""
    meeting = policies.access_meeting(request.actor, public_id)
    return _detail(request.actor, meeting)


@router.post(
    "/meetings",
    auth=member_auth(Role.COORDINATOR),
    response={201: MeetingDetailOut, **REFUSED},
    url_name="meeting_create",
    summary="Programmer une réunion",
)
def meeting_create(request: HttpRequest, payload: MeetingIn):
    """L'ordre du jour est proposé ; les membres de la cellule sont invités par courriel (fichier .ics)."""
    meeting = services.meeting_schedule(actor=request.actor, **payload.dict())
    return Status(201, _detail(request.actor, meeting))


@router.post(
    "/meetings/{uuid:public_id}/{action}",
    auth=member_auth(Role.COORDINATOR),
    response={200: MeetingDetailOut, **REFUSED},
    url_name="meeting_act",
    summary="Ouvrir, clore ou annuler une réunion",
)
def meeting_act(
    request: HttpRequest, public_id: UUID, action: Literal["open", "close", "cancel"], payload: VersionIn
):
    """`open` : les membres présents qui ont accepté la charte voient les situations de l'ordre du jour ;
    `close` : cet accès prend fin aussitôt ; `cancel` : les invités sont prévenus."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    act = {"open": services.meeting_open, "close": services.meeting_close, "cancel": services.meeting_cancel}
    meeting = act[action](actor=actor, meeting=meeting, version=payload.version)
    return _detail(actor, meeting)


@router.post(
    "/meetings/{uuid:public_id}/items/{uuid:item_id}",
    auth=member_auth(Role.COORDINATOR),
    response={200: MeetingDetailOut, **REFUSED},
    url_name="meeting_item",
    summary="Enregistrer l'examen d'une situation",
)
def item_record(request: HttpRequest, public_id: UUID, item_id: UUID, payload: ItemIn):
    """Synthèse (chiffrée) et date du prochain examen, avec la version lue du point."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    item = policies.access_item(actor, meeting, item_id)
    services.item_record(actor=actor, item=item, **payload.dict())
    return _detail(actor, meeting)


@router.post(
    "/meetings/{uuid:public_id}/items/{uuid:item_id}/decisions",
    auth=member_auth(Role.COORDINATOR),
    response={201: MeetingDetailOut, **REFUSED},
    url_name="meeting_decision",
    summary="Enregistrer une décision",
)
def decision_add(request: HttpRequest, public_id: UUID, item_id: UUID, payload: DecisionIn):
    """Une décision et son action, qui devient une tâche de la situation (personne chargée, échéance)."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    item = policies.access_item(actor, meeting, item_id)
    owner = services.owners_for(item).filter(public_id=payload.owner).first()
    if owner is None:
        raise DomainError("Cette personne ne suit pas la situation : choisissez quelqu'un qui la suit.")
    data = payload.dict()
    data["owner"] = owner
    services.decision_add(actor=actor, item=item, **data)
    return Status(201, _detail(actor, meeting))
