from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from maillage.accounts.forms import SwitchMembershipForm
from maillage.accounts.sessions import ACTIVE_MEMBERSHIP_SESSION_KEY
from maillage.web.access import member, signed_in


@signed_in
def profile(request):
    return render(request, "accounts/profile.html", {"page_title": "Mon compte"})


@member()
def switch_membership(request):
    actor = request.actor
    form = SwitchMembershipForm(
        request.POST if request.method == "POST" else None,
        memberships=actor.memberships,
        initial={"membership": str(actor.membership.public_id)},
    )
    if request.method == "POST" and form.is_valid():
        request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = form.cleaned_data["membership"]
        chosen = next(m for m in actor.memberships if str(m.public_id) == form.cleaned_data["membership"])
        messages.success(
            request, f"Vous agissez désormais pour {chosen.organisation.name} ({chosen.territory.name})."
        )
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            next_url = "home"
        return redirect(next_url)
    return render(
        request,
        "accounts/switch_membership.html",
        {"form": form, "page_title": "Changer d'adhésion", "next": request.GET.get("next", "")},
    )
