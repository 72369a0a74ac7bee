from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from maillage.accounts.models import User
from maillage.network import role_changes
from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.notifications import selectors as notification_selectors
from maillage.referrals import selectors as referral_selectors
from maillage.situations import policies as situation_policies
from maillage.situations import selectors as situation_selectors
from maillage.territories.models import Territory
from maillage.web import keyset
from maillage.web.access import platform_admin, public, signed_in


@signed_in
def home(request):
    actor = request.actor
    if actor.is_platform_admin:
        return redirect("platform_home")
    if actor.roles == {Role.OBSERVER}:
        # An observer sees no situation: the territory's statistics are their first page.
        return redirect("statistics:dashboard")
    return render(request, "web/home.html", {"rights": role_changes.rights_to_review(actor), **_to_do(actor)})


# Lines shown per section of the « À traiter » home; the count says how many there are, up to TO_DO_CAP
# (« plus de 100 »): a to-do list needs the order of magnitude, and a professional's count of 1,000 walked
# ten times the rows (12–25 ms of the home at 1 M situations).
TO_DO_LINES = 5
TO_DO_CAP = 100


def _to_do(actor) -> dict:
    """What needs this actor now, section by section: (count, first lines) pairs, each read through the
    situation policy, so nothing the actor cannot open is counted or named. A section is None for a role it
    does not concern."""
    to_do = {
        "sees_situations": situation_policies.can_report(actor),
        "without_referent": None,
        "overdue_tasks": None,
        "emergency_reviews": None,
        "unread_alerts": None,
        "referrals_to_answer": None,
    }
    if to_do["sees_situations"]:
        # Counted along the partial index's order (keyset.count_capped), where the open situations are.
        to_do["without_referent"] = _section(
            situation_selectors.situations_without_referent(actor), in_order=True
        )
        to_do["overdue_tasks"] = _section(situation_selectors.overdue_tasks(actor))
    referrals = referral_selectors.referrals_to_answer(actor)
    if referrals is not None:
        to_do["referrals_to_answer"] = _section(referrals)
    if actor.has_role(Role.COORDINATOR, Role.DPO):
        to_do["emergency_reviews"] = situation_selectors.emergency_reviews_pending(actor).count()
    if notification_selectors.receives_notifications(actor):
        to_do["unread_alerts"] = {
            "count": notification_selectors.unread_count(actor),
            "lines": notification_selectors.latest_unread(actor, TO_DO_LINES),
        }
    return to_do


def _section(queryset, *, in_order: bool = False) -> dict:
    """The first lines and how many there are, counted up to TO_DO_CAP (`label`: « plus de 100 »)."""
    lines = list(queryset[:TO_DO_LINES])
    total = (
        keyset.Total(len(lines))
        if len(lines) < TO_DO_LINES
        else keyset.count_capped(queryset, TO_DO_CAP, in_order=in_order)
    )
    return {"count": total.value, "label": str(total), "lines": lines}


@public
@require_GET
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")


@platform_admin
def platform_home(request):
    counts = {
        "territories": Territory.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
    }
    return render(request, "web/platform_home.html", {"counts": counts})
