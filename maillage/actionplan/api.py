"""API: the territory's action plan under the same policy as the pages (policies.py, ADR 0035). Every
member of the territory reads it; an action of another territory answers like a missing one (404).
Progress updates are written through the service, which checks again (the coordination and the lead
organisation's members; 403 otherwise); the same update sent twice answers 409."""

from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from maillage.actionplan import policies, selectors, services
from maillage.actionplan.policies import UPDATING_ROLES
from maillage.actionplan.schemas import (
    ActionDetailOut,
    ActionFilters,
    ActionOut,
    AxisOut,
    ProgressIn,
    ProgressOut,
)
from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import ErrorOut
from maillage.network.models import Organisation

router = Router(tags=["Plan d'action"])

DENIED = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}


def _detail(actor, public_id: UUID):
    action = get_object_or_404(
        selectors.with_progress(policies.actions_visible_to(actor)).select_related(
            "axis", "lead_organisation"
        ),
        public_id=public_id,
    )
    action.detail = selectors.action_detailed(action)
    action.can_update = policies.can_update(actor, action)
    action.statuses_allowed = services.statuses_open_to(actor, action) if action.can_update else []
    return action


@router.get(
    "/action-plan/axes",
    auth=member_auth(),
    response={200: list[AxisOut], **DENIED},
    url_name="action_plan_axes",
    summary="Axes du plan d'action",
)
def axis_list(request: HttpRequest):
    """Les axes du plan d'action du territoire de l'adhésion, dans leur ordre."""
    return policies.axes_visible_to(request.actor).order_by("number")


@router.get(
    "/action-plan/actions",
    auth=member_auth(),
    response={200: list[ActionOut], **DENIED},
    url_name="action_plan_actions",
    summary="Actions du plan d'action",
)
@paginate(LimitOffset)
def action_list(request: HttpRequest, filters: Query[ActionFilters]):
    """Les actions du territoire, par axe, filtrées par axe, état ou organisation pilote ; pour chacune,
    la date du dernier point d'avancement et les cibles atteintes. Tous les membres du territoire."""
    actor = request.actor
    axis = lead = None
    if filters.axis is not None:
        axis = policies.axes_visible_to(actor).filter(public_id=filters.axis).first()
        if axis is None:
            return policies.actions_visible_to(None)
    if filters.lead_organisation is not None:
        lead = Organisation.objects.filter(public_id=filters.lead_organisation).first()
        if lead is None:
            return policies.actions_visible_to(None)
    return selectors.actions_listed(actor, axis=axis, status=filters.status or "", lead=lead)


@router.get(
    "/action-plan/actions/{uuid:public_id}",
    auth=member_auth(),
    response={200: ActionDetailOut, **DENIED, **NOT_FOUND},
    url_name="action_plan_action",
    summary="Une action du plan d'action",
)
def action_detail(request: HttpRequest, public_id: UUID):
    """L'action, ses partenaires, indicateurs, lignes budgétaires, contributions et points d'avancement
    (du plus récent au plus ancien). Inexistante ou d'un autre territoire : 404, sans distinction."""
    return _detail(request.actor, public_id)


@router.post(
    "/action-plan/actions/{uuid:public_id}/progress",
    auth=member_auth(*UPDATING_ROLES),
    response={201: ProgressOut, 400: ErrorOut, **DENIED, **NOT_FOUND, 409: ErrorOut},
    url_name="action_plan_progress",
    summary="Noter l'avancement d'une action",
)
def progress_add(request: HttpRequest, public_id: UUID, payload: ProgressIn):
    """Un point d'avancement daté, qui peut faire avancer l'état de l'action (parmi `statuses_allowed` de
    l'action). Réservé à la coordination et aux membres de l'organisation pilote (403 sinon) ; date dans
    le futur ou changement d'état non permis : 400 ; le même point envoyé deux fois : 409. Exige le droit
    d'écriture."""
    actor = request.actor
    action = policies.access_action(actor, public_id)
    update = services.progress_record(actor=actor, action=action, **payload.dict())
    return Status(201, update)
