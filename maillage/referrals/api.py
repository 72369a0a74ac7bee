"""API: referrals under the same policy as the pages (policies.py). A referral missing and one the caller may
not see answer the same 404; a receiving organisation reads the summary (no identity, no note) until it
accepts. Writes go through the services, which check permissions again; an illegal transition answers 400,
an answer read at an older version 409."""

import datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import CommuneRef, ErrorOut, OrganisationRef, Version
from maillage.errors import DomainError
from maillage.network.models import Organisation
from maillage.referrals import policies, selectors, services
from maillage.referrals.enums import ReferralNeed, ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import LegalGround
from maillage.situations.policies import SEEING_ROLES, access_situation
from maillage.situations.services import situation_view_record

router = Router(tags=["Orientations"])

DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SituationSummary(Schema):
    public_id: UUID
    pseudonym: str
    urgent: bool = Field(description="Danger immédiat signalé.")
    commune: CommuneRef


class ReferralOut(Schema):
    public_id: UUID
    situation: SituationSummary
    sender: OrganisationRef
    receiver: OrganisationRef
    needs: list[ReferralNeed]
    reason: str
    legal_ground: LegalGround
    status: ReferralStatus
    decline_reason: str
    created_at: datetime.datetime
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    unanswered: bool = Field(description="Restée sans réponse au-delà du délai du territoire.")
    version: int = Field(
        description="À renvoyer avec une réponse : une réponse sur une version dépassée est refusée (409)."
    )

    @staticmethod
    def resolve_unanswered(obj: Referral) -> bool:
        return obj.flagged_at is not None and obj.status == ReferralStatus.PROPOSED


class ReferralFilters(Schema):
    direction: Literal["received", "sent", "all"] = Field(
        "received", description="`received` (reçues par mon organisation), `sent` (envoyées), `all`."
    )
    status: ReferralStatus | None = None


class ReferralIn(Schema):
    situation: UUID = Field(description="Identifiant de la situation à orienter.")
    receiver: UUID = Field(description="Identifiant d'une organisation de l'annuaire du territoire.")
    needs: list[ReferralNeed] = Field(min_length=1)
    reason: str = Field(max_length=2000, description="Le strict nécessaire, sans nom.")
    legal_ground: Literal["consent", "immediate_danger"] = "consent"


class AnswerIn(Schema):
    version: Version | None = Field(
        None, description="La version lue ; une réponse sur une version dépassée est refusée."
    )
    reason: str = Field("", max_length=2000, description="Motif du refus (obligatoire pour `decline`).")


@router.get(
    "/referrals",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[ReferralOut], **DENIED},
    url_name="referrals",
    summary="Orientations",
)
@paginate(LimitOffset)
def referral_list(request: HttpRequest, filters: Query[ReferralFilters]):
    """Les orientations reçues (par défaut), envoyées, ou toutes celles que l'adhésion voit, les plus
    récentes d'abord. Une orientation reçue et pas encore acceptée n'est qu'un résumé, sans identité."""
    return selectors.referrals_listed(request.actor, filters.dict())


@router.get(
    "/referrals/{uuid:public_id}",
    auth=member_auth(*SEEING_ROLES),
    response={200: ReferralOut, **DENIED, 404: ErrorOut},
    url_name="referral",
    summary="Une orientation",
)
def referral_detail(request: HttpRequest, public_id: UUID):
    """Une orientation visible ; inexistante ou non visible : 404, sans distinction. Chaque lecture est
    enregistrée au journal d'audit."""
    referral = policies.access_referral(request.actor, public_id)
    situation_view_record(actor=request.actor, situation=referral.situation, part="referral")
    return referral


@router.post(
    "/referrals",
    auth=member_auth(*SEEING_ROLES),
    response={201: ReferralOut, **REFUSED},
    url_name="referral_create",
    summary="Orienter une situation",
)
def referral_create(request: HttpRequest, payload: ReferralIn):
    """Propose la situation à une autre organisation, sur le consentement enregistré qui la nomme ou en cas de
    danger immédiat (inscrit au journal). Ses professionnels sont prévenus sans donnée personnelle."""
    actor = request.actor
    situation = access_situation(actor, payload.situation)
    receiver = Organisation.objects.filter(
        territories=situation.territory_id, is_active=True, public_id=payload.receiver
    ).first()
    if receiver is None:
        raise DomainError("Cette organisation ne fait pas partie du réseau de votre territoire.")
    referral = services.referral_propose(
        actor=actor,
        situation=situation,
        receiver=receiver,
        needs=payload.needs,
        reason=payload.reason,
        legal_ground=payload.legal_ground,
    )
    return Status(201, policies.access_referral(actor, referral.public_id))


@router.post(
    "/referrals/{uuid:public_id}/{action}",
    auth=member_auth(*SEEING_ROLES),
    response={200: ReferralOut, **REFUSED},
    url_name="referral_act",
    summary="Répondre à une orientation",
)
def referral_act(
    request: HttpRequest,
    public_id: UUID,
    action: Literal["accept", "decline", "done", "cancel"],
    payload: AnswerIn,
):
    """`accept`, `decline` (avec `reason`), `done` : l'organisation qui reçoit ; `cancel` : celle qui a
    orienté, ou la coordination. Accepter ouvre la situation à l'organisation ; refuser ou annuler la lui
    retire aussitôt, sauf si elle la suit à un autre titre."""
    actor = request.actor
    referral = policies.access_referral(actor, public_id)
    version = payload.version
    if action == "accept":
        services.referral_accept(actor=actor, referral=referral, version=version)
    elif action == "decline":
        services.referral_decline(actor=actor, referral=referral, reason=payload.reason, version=version)
    elif action == "done":
        services.referral_done(actor=actor, referral=referral, version=version)
    else:
        services.referral_cancel(actor=actor, referral=referral, version=version)
    return Referral.objects.select_related("situation__commune", "sender", "receiver").get(pk=referral.pk)
