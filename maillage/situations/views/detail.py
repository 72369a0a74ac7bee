"""The situation page, and who accessed the situation (coordinator and DPO)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.audit.models import AuditEntry
from maillage.network.enums import Role
from maillage.situations import history, policies, presentation, selectors, services
from maillage.situations.enums import SituationStatus
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member(*SEEING_ROLES)
def situation_detail(request, public_id):
    actor = request.actor
    situation = services.situation_read(
        actor=actor, public_id=public_id, identities=request.GET.get("identites") == "1"
    )
    emergency = None  # the break-the-glass access this page is read through, for its end time
    if policies.reads_through_emergency(actor, situation):
        emergency = policies.active_emergency_accesses(actor, situation).order_by("-expires_at").first()
    meeting_access = None  # the coordination meeting this page is read during, for its end time
    if policies.reads_through_meeting(actor, situation):
        meeting_access = policies.active_meeting_accesses(actor, situation).order_by("-closes_at").first()
    tasks = list(situation.tasks.all())
    for task in tasks:
        task.can_finish = task.done_at is None and policies.can_finish_task(actor, task, situation)
    can_manage = policies.can_manage(actor, situation)
    accesses = None
    if can_manage:
        accesses = list(
            AuditEntry.objects.filter(
                object_public_id=situation.public_id, action__in=history.ACCESS_ACTIONS
            ).newest_first()[:10]
        )
    return render(
        request,
        "situations/detail.html",
        {
            "page_title": f"Situation {situation.pseudonym}",
            "situation": situation,
            "sources": presentation.describe_value(situation, "sources"),
            "violence_types": presentation.describe_value(situation, "violence_types"),
            "persons": list(situation.persons.all()),
            "consent": selectors.current_consent(situation),
            "timeline": situation.visible_timeline,
            "tasks": tasks,
            "history": history.situation_history(
                actor,
                situation,
                {str(e.public_id) for e in situation.visible_timeline},
                also_named=accesses or [],
            ),
            "accesses": accesses,
            "show_identity": situation.identities_visible,
            "can_view_identity": policies.can_view_identity(actor, situation),
            "can_contribute": policies.can_contribute(actor, situation),
            "can_manage": can_manage,
            "emergency": emergency,
            "meeting_access": meeting_access,
            "is_open": situation.status != SituationStatus.CLOSED,
        },
    )


# ------------------------------------------------------------------------------- who accessed it


@member(Role.COORDINATOR, Role.DPO)
def accesses(request, public_id):
    """Who opened the situation, its identities, or asked an emergency access — and when.

    The coordinator reaches it through the visibility policy; the DPO, who sees no situation, reaches it
    within their territory: the page shows the audit trail only, never the situation's content."""
    actor = request.actor
    situation = policies.access_situation_trail(actor, public_id)
    page = Paginator(history.access_entries(actor, situation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "situations/accesses.html",
        {
            "page_title": f"Consultations — {situation.pseudonym}",
            "situation": situation,
            "page": page,
            "entries": history.with_names(page.object_list),
            "query": "",
            "can_open": actor.has_role(Role.COORDINATOR),
        },
    )
