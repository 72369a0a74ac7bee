"""The « Droits d'accès » page: grants waiting for the coordinator, and every change of rights that took
effect in the territory (what the coordinators and the DPO are alerted about)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.network import policies, role_changes, selectors
from maillage.network.enums import Role, RoleChangeStatus
from maillage.network.forms import RefusalForm
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member(Role.COORDINATOR, Role.DPO)
def role_change_list(request):
    actor = request.actor
    changes = selectors.role_changes_of(actor.territory)
    pending = list(changes.filter(status=RoleChangeStatus.PENDING)[:PAGE_SIZE])
    for change in pending:
        change.can_decide = policies.can_decide_role_change(actor, change)
    page = Paginator(changes.exclude(status=RoleChangeStatus.PENDING), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # What is new for this reader is marked once, then read.
    unread = set(role_changes.unread_alerts(actor).values_list("change_id", flat=True))
    if unread:
        role_changes.alerts_mark_read(actor=actor)
    return render(
        request,
        "network/role_changes.html",
        {
            "page_title": "Droits d'accès",
            "pending": pending,
            "page": page,
            "query": "",
            "new_change_ids": unread,
            "is_coordinator": actor.has_role(Role.COORDINATOR),
        },
    )


def _change(actor, public_id):
    return get_object_or_404(
        selectors.role_changes_of(actor.territory).filter(status=RoleChangeStatus.PENDING),
        public_id=public_id,
    )


@require_POST
@member(Role.COORDINATOR)
def role_change_approve(request, public_id):
    actor = request.actor
    change = _change(actor, public_id)
    try:
        role_changes.role_change_approve(actor=actor, change=change)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{change.membership.user} a désormais le rôle {change.get_role_display()} "
            f"pour {change.membership.organisation.name}.",
        )
    return redirect("network:role_changes")


@member(Role.COORDINATOR)
def role_change_refuse(request, public_id):
    actor = request.actor
    change = _change(actor, public_id)
    form = RefusalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            role_changes.role_change_refuse(actor=actor, change=change, comment=form.cleaned_data["comment"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"La demande pour {change.membership.user} est refusée.")
            return redirect("network:role_changes")
    return render(
        request,
        "network/role_change_refuse.html",
        {"page_title": f"Refuser une demande — {change.membership.user}", "change": change, "form": form},
    )
