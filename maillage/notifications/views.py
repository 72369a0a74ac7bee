"""Alert pages: the list, opening one (the link of its e-mail), marking all read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.notifications import selectors, services
from maillage.notifications.models import Notification
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member()
def notification_list(request):
    actor = request.actor
    page = Paginator(selectors.notifications_of(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.described(actor, page.object_list)
    return render(
        request, "notifications/list.html", {"page_title": "Notifications", "page": page, "query": ""}
    )


@member()
def notification_open(request, public_id):
    """Marks the alert read and goes to what it is about, if the reader may still open it."""
    actor = request.actor
    notification = get_object_or_404(Notification, recipient_id=actor.membership.pk, public_id=public_id)
    services.notification_mark_read(actor=actor, notification=notification)
    (notification,) = selectors.described(actor, [notification])
    if notification.url:
        return redirect(notification.url)
    messages.info(request, f"{notification.gone}.")
    return redirect("notifications:list")


@require_POST
@member()
def notifications_read(request):
    services.notifications_mark_all_read(actor=request.actor)
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("notifications:list")


@member()
def former_address(request, public_id=None):
    """Alerts lived under /situations/notifications/ until November 2026: e-mails already sent link there."""
    if public_id is None:
        return redirect("notifications:list")
    return redirect("notifications:open", public_id=public_id)
