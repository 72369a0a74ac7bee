"""Alert pages: the list, opening one (the link of its e-mail), marking all read."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.notifications import registry, selectors, services
from maillage.notifications.models import Notification
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


class FilterForm(forms.Form):
    """The list's filters, in the address (GET) and repeated by the « mark read » form (POST)."""

    type = forms.ChoiceField(label="Type", required=False)
    non_lues = forms.BooleanField(label="Non lues seulement", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            ("", "Tous les types"),
            *((k.value, k.label) for k in registry.kinds()),
        ]

    def filters(self) -> dict:
        """{"kind": …, "unread": …}; an unknown kind is left out, as if not asked."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"kind": data.get("type") or None, "unread": bool(data.get("non_lues"))}

    def query(self) -> str:
        """The active filters as a query string, for the pagination links."""
        filters = self.filters()
        return urlencode(
            {
                name: value
                for name, value in (("type", filters["kind"]), ("non_lues", filters["unread"] and "on"))
                if value
            }
        )


@member()
def notification_list(request):
    actor = request.actor
    form = FilterForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.notifications_of(actor, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.described(actor, page.object_list)
    return render(
        request,
        "notifications/list.html",
        {
            "page_title": "Notifications",
            "page": page,
            "form": form,
            "filtered": bool(filters["kind"] or filters["unread"]),
            "kind_label": registry.label(filters["kind"]) if filters["kind"] else "",
            "query": form.query(),
        },
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
    """Marks read every unread alert, or those of the kind the list was filtered on; back to that list."""
    form = FilterForm(request.POST)
    kind = form.filters()["kind"]
    count = services.notifications_mark_all_read(actor=request.actor, kind=kind)
    if not count:
        messages.info(request, "Aucune notification à marquer comme lue.")
    elif kind:
        s = "s" if count > 1 else ""
        label = registry.label(kind)
        messages.success(request, f"{count} notification{s} « {label} » marquée{s} comme lue{s}.")
    else:
        messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    query = form.query()
    return redirect(reverse("notifications:list") + (f"?{query}" if query else ""))


@member()
def former_address(request, public_id=None):
    """Alerts lived under /situations/notifications/ until November 2026: e-mails already sent link there."""
    if public_id is None:
        return redirect("notifications:list")
    return redirect("notifications:open", public_id=public_id)
