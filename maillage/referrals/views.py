"""Referral pages: refer a situation (from its page), the « Orientations » list (received, sent), one
referral with its actions. A receiving organisation sees a summary without identities nor notes until it
accepts; the situation's own page answers it 404 until then (the situation policy)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.referrals import policies, selectors, services
from maillage.referrals.enums import ReferralNeed, ReferralStatus
from maillage.referrals.forms import ActionForm, DeclineForm, FilterForm, ReferralForm
from maillage.situations.policies import SEEING_ROLES, access_situation
from maillage.situations.services import situation_view_record
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pagination import PAGE_SIZE


@member(*SEEING_ROLES)
def referral_create(request, public_id):
    actor = request.actor
    situation = access_situation(actor, public_id)
    if not policies.can_refer(actor, situation):
        raise Http404
    form = ReferralForm(request.POST if request.method == "POST" else None, situation=situation, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_propose(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Orientation proposée à {referral.receiver.name}. Ses professionnels sont prévenus ; "
                "ils verront la situation s'ils acceptent.",
            )
            return redirect("referrals:detail", public_id=referral.public_id)
    return render(
        request,
        "referrals/create.html",
        {
            "page_title": f"Orienter {situation.pseudonym} vers un partenaire",
            "situation": situation,
            "form": form,
        },
    )


@member(*SEEING_ROLES)
def referral_list(request):
    actor = request.actor
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(selectors.referrals_listed(actor, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page.object_list:
        referral.need_labels = _need_labels(referral)
    return render(
        request,
        "referrals/list.html",
        {
            "page_title": "Orientations",
            "form": form,
            "page": page,
            "direction": filters.get("direction") or "received",
        },
    )


def _need_labels(referral) -> list[str]:
    return [ReferralNeed(need).label for need in referral.needs if need in ReferralNeed.values]


def _detail_context(actor, referral, decline_form=None) -> dict:
    receiver = policies.is_receiver(actor, referral)
    return {
        "page_title": f"Orientation de {referral.situation.pseudonym} vers {referral.receiver.name}",
        "referral": referral,
        "need_labels": _need_labels(referral),
        "can_open_situation": policies.can_open_situation(actor, referral),
        "can_answer": receiver and policies.can_answer(actor, referral),
        "can_cancel": policies.can_cancel(actor, referral),
        "allowed": {name: services.allowed(referral, name) for name in services.TRANSITIONS},
        "action_form": ActionForm(initial={"version": referral.version}),
        "decline_form": decline_form or DeclineForm(initial={"version": referral.version}),
        "is_receiver": receiver,
        "unanswered_days": services.unanswered_after().days,
    }


@member(*SEEING_ROLES)
def referral_detail(request, public_id):
    actor = request.actor
    referral = policies.access_referral(actor, public_id)
    # The summary (commune, needs, free-text reason) is a read of the situation's data: recorded.
    situation_view_record(actor=actor, situation=referral.situation, part="referral")
    return render(request, "referrals/detail.html", _detail_context(actor, referral))


CONFIRMATIONS = {
    "cancel": "Annuler l'orientation",
    "decline": "Refuser l'orientation",
}


@member(*SEEING_ROLES)
@require_POST
def referral_act(request, public_id, action):
    """Accept, decline (with a reason), done, cancel. Cancelling, and declining an accepted referral, take
    the situation away from the receiving organisation: the page says so and asks first."""
    actor = request.actor
    referral = policies.access_referral(actor, public_id)
    form_class = DeclineForm if action == "decline" else ActionForm
    form = form_class(request.POST)
    if not form.is_valid():
        if action == "decline":
            return render(
                request, "referrals/detail.html", _detail_context(actor, referral, form), status=400
            )
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return redirect("referrals:detail", public_id=referral.public_id)
    data = form.cleaned_data
    removes_access = action == "cancel" or (
        action == "decline" and referral.status == ReferralStatus.ACCEPTED
    )
    if removes_access and not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"{CONFIRMATIONS[action]} — {referral.situation.pseudonym}",
            consequences=_consequences(referral),
            button=CONFIRMATIONS[action],
            cancel_url=reverse("referrals:detail", args=[referral.public_id]),
            form=form,
        )
    try:
        if action == "accept":
            services.referral_accept(actor=actor, referral=referral, version=data["version"])
        elif action == "decline":
            services.referral_decline(
                actor=actor, referral=referral, reason=data["reason"], version=data["version"]
            )
        elif action == "done":
            services.referral_done(actor=actor, referral=referral, version=data["version"])
        else:
            services.referral_cancel(actor=actor, referral=referral, version=data["version"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("referrals:detail", public_id=referral.public_id)
    messages.success(request, SUCCESS[action].format(receiver=referral.receiver.name))
    if action == "accept":
        return redirect("situations:detail", public_id=referral.situation.public_id)
    return redirect("referrals:detail", public_id=referral.public_id)


SUCCESS = {
    "accept": "Orientation acceptée : votre organisation suit désormais la situation.",
    "decline": "Orientation refusée. L'organisation qui l'a proposée est prévenue.",
    "done": "Orientation marquée comme réalisée.",
    "cancel": "Orientation annulée : {receiver} n'y a plus accès par elle.",
}


def _consequences(referral) -> list[str]:
    if referral.status == ReferralStatus.ACCEPTED:
        return [
            f"{referral.receiver.name} ne verra plus la situation {referral.situation.pseudonym}, "
            "dès maintenant, sauf si elle la suit à un autre titre (signalement, ajout par la coordination, "
            "autre orientation).",
            "L'orientation ne pourra plus être acceptée.",
        ]
    return [
        f"{referral.receiver.name} ne pourra plus accepter cette orientation ni voir son résumé comme une "
        "demande en attente.",
    ]
