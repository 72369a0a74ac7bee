"""The coordinator's actions on one situation: organisations, referent, restriction, exclusions, closing and
reopening."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.accounts.models import User
from maillage.errors import DomainError
from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.situations import access_changes, policies, services
from maillage.situations.coordination_forms import (
    CloseForm,
    ExclusionForm,
    ParticipantForm,
    ReferentForm,
    RestrictForm,
)
from maillage.situations.enums import SituationStatus
from maillage.situations.models import Situation
from maillage.situations.selectors import situation_detailed
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed

COORDINATION_FORMS = {
    "participant": ParticipantForm,
    "referent": ReferentForm,
    "restrict": RestrictForm,
    "exclusion": ExclusionForm,
    "close": CloseForm,
}

# The form actions that take access away from someone: each says what will change before it is done.
CONFIRMED_ACTIONS = {
    "restrict": access_changes.restriction,
    "exclusion": access_changes.exclusion,
}


def _coordination_situation(actor, public_id) -> Situation:
    situation = situation_detailed(actor, public_id)
    if not policies.can_manage(actor, situation):
        raise Http404
    return situation


def _apply(action: str, actor, situation, data: dict) -> str:
    """Runs one coordination action; returns the confirmation shown to the coordinator."""
    if action == "participant":
        services.participant_add(actor=actor, situation=situation, **data)
        return f"{data['organisation'].name} suit désormais la situation."
    if action == "referent":
        services.referent_assign(actor=actor, situation=situation, membership=data["membership"])
        return "La personne référente de la situation est enregistrée."
    if action == "restrict":
        services.situation_restrict(
            actor=actor, situation=situation, named_users=data["named_users"], reason=data["reason"]
        )
        return "L'accès à la situation est restreint à la coordination et aux personnes nommées."
    if action == "exclusion":
        services.exclusion_add(actor=actor, situation=situation, user=data["user"], reason=data["reason"])
        return f"{data['user']} est mis à l'écart de cette situation."
    services.situation_close(actor=actor, situation=situation, reason=data["reason"])
    return "La situation est clôturée."


@member(Role.COORDINATOR)
def coordination(request, public_id, action=None):
    """The coordinator's actions on one situation; each form posts to its own address, and a refused
    one comes back here with what was typed."""
    actor = request.actor
    situation = _coordination_situation(actor, public_id)
    if action is not None and request.method != "POST":
        return redirect("situations:coordination", public_id=situation.public_id)
    forms = {
        name: form_class(
            request.POST if name == action else None,
            prefix=name,
            **({} if name == "close" else {"situation": situation}),
        )
        for name, form_class in COORDINATION_FORMS.items()
    }
    if action is not None:
        form = forms[action]
        confirmation = None
        if form.is_valid() and action in CONFIRMED_ACTIONS and not is_confirmed(request):
            confirmation = CONFIRMED_ACTIONS[action](situation, form.cleaned_data)
        if confirmation is not None:
            title, consequences, button = confirmation
            return confirm_remove_access(
                request,
                page_title=title,
                consequences=consequences,
                button=button,
                cancel_url=reverse("situations:coordination", args=[situation.public_id]),
                form=form,
            )
        if form.is_valid():
            try:
                message = _apply(action, actor, situation, form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, message)
                if policies.can_open(actor, situation):
                    return redirect("situations:coordination", public_id=situation.public_id)
                return redirect("situations:list")
    if situation.restricted and action != "restrict":
        forms["restrict"].initial = {
            "reason": situation.restriction_reason,
            "named_users": [a.user.public_id for a in situation.named_accesses.select_related("user")],
        }
    return render(
        request,
        "situations/coordination.html",
        {
            "page_title": f"Coordination — {situation.pseudonym}",
            "situation": situation,
            "forms": forms,
            "exclusions": list(situation.exclusions.select_related("user")),
            "named": list(situation.named_accesses.select_related("user")),
            "is_open": situation.status != SituationStatus.CLOSED,
        },
    )


def _coordination_post(request, public_id, run, success: str, confirmation=None):
    """Runs one POST-only action; when it removes access (`confirmation` gives the page's title,
    consequences and button for the situation), the first POST only asks to confirm."""
    actor = request.actor
    situation = _coordination_situation(actor, public_id)
    if confirmation is not None and not is_confirmed(request):
        return confirm_remove_access(
            request,
            cancel_url=reverse("situations:coordination", args=[situation.public_id]),
            **confirmation(situation),
        )
    try:
        run(actor, situation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("situations:coordination", public_id=situation.public_id)


@require_POST
@member(Role.COORDINATOR)
def participant_remove(request, public_id, organisation_id):
    organisation = get_object_or_404(Organisation, public_id=organisation_id)
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.participant_remove(
            actor=actor, situation=situation, organisation=organisation
        ),
        f"{organisation.name} ne suit plus la situation.",
        confirmation=lambda situation: {
            "page_title": f"Retirer {organisation.name} de {situation.pseudonym}",
            "consequences": access_changes.participant_removal(situation, organisation),
            "button": "Retirer cette organisation",
        },
    )


@require_POST
@member(Role.COORDINATOR)
def exclusion_remove(request, public_id, user_id):
    user = get_object_or_404(User, public_id=user_id)
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.exclusion_remove(actor=actor, situation=situation, user=user),
        f"La mise à l'écart de {user} est levée.",
    )


@require_POST
@member(Role.COORDINATOR)
def unrestrict(request, public_id):
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.situation_unrestrict(actor=actor, situation=situation),
        "La restriction est levée : la situation suit de nouveau les règles habituelles.",
        confirmation=lambda situation: {
            "page_title": f"Lever la restriction de {situation.pseudonym}",
            "consequences": access_changes.restriction_lift(situation),
            "button": "Lever la restriction",
        },
    )


@require_POST
@member(Role.COORDINATOR)
def reopen(request, public_id):
    return _coordination_post(
        request,
        public_id,
        lambda actor, situation: services.situation_reopen(actor=actor, situation=situation),
        "La situation est rouverte.",
    )
