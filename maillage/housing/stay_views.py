"""Stay request and stay pages (ADR 0029): requesting a stay from a situation, the requests inbox (urgent
first), a request with its answers (waiting list, refusal, allocation of a free unit), a stay with its
lifecycle (check-in, new departure date, check-out with an exit solution, cancellation after confirmation).

Housing managers read a request as pseudonym + household only; the requester's side reads its notes.
Nobody reads a unit's address here: these pages show its display name only."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.housing import stay_forms as forms
from maillage.housing import stay_policies as policies
from maillage.housing import stay_selectors as selectors
from maillage.housing.services import stays as services
from maillage.network.enums import Role
from maillage.situations.policies import SEEING_ROLES, access_situation
from maillage.situations.services import situation_view_record
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed
from maillage.web.pagination import PAGE_SIZE

HOUSING_ROLES = (*SEEING_ROLES, Role.HOUSING_MANAGER)


@member(*SEEING_ROLES)
def request_create(request, public_id):
    actor = request.actor
    situation = access_situation(actor, public_id)
    if not policies.can_request(actor, situation):
        raise Http404
    form = forms.StayRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            stay_request = services.stay_request_create(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Demande d'hébergement envoyée. Les personnes qui gèrent les logements du territoire sont "
                "prévenues ; vous le serez de leur réponse.",
            )
            return redirect("housing_stays:request", public_id=stay_request.public_id)
    return render(
        request,
        "housing/request_create.html",
        {
            "page_title": f"Demander un hébergement pour {situation.pseudonym}",
            "situation": situation,
            "form": form,
        },
    )


@member(*HOUSING_ROLES)
def request_list(request):
    actor = request.actor
    form = forms.RequestFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else "open"
    page = Paginator(selectors.requests_listed(actor, status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "housing/request_list.html",
        {
            "page_title": "Demandes d'hébergement",
            "form": form,
            "page": page,
            "stays": selectors.stays_listed(actor, current_only=True)[:50],
        },
    )


def _request_context(actor, stay_request, query=None, allocate_form=None) -> dict:
    """`query`: the dates typed to look for free units (GET), else the wished dates."""
    situation = stay_request.situation
    can_answer = policies.can_answer(actor, stay_request)
    context = {
        "page_title": f"Demande d'hébergement — {situation.pseudonym}",
        "stay_request": stay_request,
        "requester_side": policies.sees_requester_side(actor, situation),
        "can_answer": can_answer,
        "can_cancel": policies.can_cancel_request(actor, stay_request),
        "allowed": {
            name: services.request_allowed(stay_request, name) for name in services.REQUEST_TRANSITIONS
        },
        "action_form": forms.ActionForm(initial={"version": stay_request.version}),
        "stay": policies.stays_visible_to(actor).filter(request=stay_request).first(),
    }
    if can_answer and services.request_allowed(stay_request, "allocate"):
        starts_on, ends_on = forms.default_dates(stay_request)
        dates = forms.DatesForm(query if query and "starts_on" in query else None)
        if dates.is_bound and dates.is_valid():
            starts_on, ends_on = dates.cleaned_data["starts_on"], dates.cleaned_data["ends_on"]
        context["dates_form"] = (
            dates if dates.is_bound else forms.DatesForm(initial={"starts_on": starts_on, "ends_on": ends_on})
        )
        free = selectors.free_units(actor, stay_request, starts_on, ends_on)
        context["free_units"] = free
        context["allocate_form"] = allocate_form or forms.AllocateForm(
            initial={"version": stay_request.version, "starts_on": starts_on, "ends_on": ends_on},
            units=free,
        )
    return context


@member(*HOUSING_ROLES)
def request_detail(request, public_id):
    actor = request.actor
    stay_request = policies.access_request(actor, public_id)
    situation_view_record(actor=actor, situation=stay_request.situation, part="housing")
    return render(request, "housing/request_detail.html", _request_context(actor, stay_request, request.GET))


REQUEST_SUCCESS = {
    "waitlist": "Demande mise en liste d'attente. La personne qui l'a faite est prévenue.",
    "refuse": "Demande refusée. La personne qui l'a faite est prévenue.",
    "cancel": "Demande annulée.",
    "allocate": "Logement attribué : le séjour est prévu. La personne qui a fait la demande est prévenue.",
}


@member(*HOUSING_ROLES)
@require_POST
def request_act(request, public_id, action):
    actor = request.actor
    stay_request = policies.access_request(actor, public_id)
    if action == "allocate":
        form = forms.AllocateForm(
            request.POST, units=policies.allocatable_units(actor, stay_request.territory_id)
        )
    else:
        form = forms.ActionForm(request.POST)
    if not form.is_valid():
        if action == "allocate":
            context = _request_context(actor, stay_request, allocate_form=form)
            return render(request, "housing/request_detail.html", context, status=400)
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return redirect("housing_stays:request", public_id=stay_request.public_id)
    data = form.cleaned_data
    try:
        if action == "allocate":
            stay = services.stay_allocate(
                actor=actor,
                request=stay_request,
                unit=data["unit"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                version=data["version"],
            )
        else:
            call = {
                "waitlist": services.stay_request_waitlist,
                "refuse": services.stay_request_refuse,
                "cancel": services.stay_request_cancel,
            }[action]
            call(actor=actor, request=stay_request, version=data["version"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("housing_stays:request", public_id=stay_request.public_id)
    messages.success(request, REQUEST_SUCCESS[action])
    if action == "allocate":
        return redirect("housing_stays:stay", public_id=stay.public_id)
    return redirect("housing_stays:request", public_id=stay_request.public_id)


def _stay_context(actor, stay, forms_with_errors=None) -> dict:
    initial = {"version": stay.version}
    return {
        "page_title": f"Séjour — {stay.situation.pseudonym}",
        "stay": stay,
        "requester_side": policies.sees_requester_side(actor, stay.situation),
        "can_run": policies.can_run_stay(actor, stay),
        "allowed": {name: services.stay_allowed(stay, name) for name in services.STAY_TRANSITIONS},
        "action_form": forms.ActionForm(initial=initial),
        "extend_form": forms.ExtendForm(initial={**initial, "ends_on": stay.ends_on}),
        "check_out_form": forms.CheckOutForm(initial={**initial, "on": timezone.localdate()}),
        **(forms_with_errors or {}),
    }


@member(*HOUSING_ROLES)
def stay_detail(request, public_id):
    actor = request.actor
    stay = policies.access_stay(actor, public_id)
    situation_view_record(actor=actor, situation=stay.situation, part="housing")
    return render(request, "housing/stay_detail.html", _stay_context(actor, stay))


STAY_FORMS = {"extend": forms.ExtendForm, "check_out": forms.CheckOutForm}
STAY_SUCCESS = {
    "check_in": "Arrivée enregistrée : le séjour est en cours.",
    "extend": "Date de départ prévue modifiée.",
    "check_out": "Départ enregistré : le séjour est terminé.",
    "cancel": "Séjour annulé : ses nuits sont de nouveau libres. La personne qui l'a demandé est prévenue.",
}


@member(*HOUSING_ROLES)
@require_POST
def stay_act(request, public_id, action):
    """Check-in, new departure date, check-out, cancellation. Cancelling frees a booking: the page says so
    and asks first."""
    actor = request.actor
    stay = policies.access_stay(actor, public_id)
    form = STAY_FORMS.get(action, forms.ActionForm)(request.POST)
    if not form.is_valid():
        if action in STAY_FORMS:
            context = _stay_context(actor, stay, {f"{action}_form": form})
            return render(request, "housing/stay_detail.html", context, status=400)
        messages.error(request, "Rechargez la page puis recommencez : rien n'a été modifié.")
        return redirect("housing_stays:stay", public_id=stay.public_id)
    data = form.cleaned_data
    if action == "cancel" and not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Annuler le séjour — {stay.situation.pseudonym}",
            consequences=[
                f"La réservation de {stay.unit.name} du {stay.starts_on:%d/%m/%Y} au {stay.ends_on:%d/%m/%Y} "
                "est supprimée : ces nuits redeviennent libres pour un autre foyer.",
                "La demande d'hébergement est annulée ; la personne qui l'a faite est prévenue.",
            ],
            button="Annuler le séjour",
            cancel_url=reverse("housing_stays:stay", args=[stay.public_id]),
            form=form,
        )
    version = data["version"]
    try:
        if action == "check_in":
            services.stay_check_in(actor=actor, stay=stay, version=version)
        elif action == "extend":
            services.stay_extend(actor=actor, stay=stay, ends_on=data["ends_on"], version=version)
        elif action == "check_out":
            services.stay_check_out(
                actor=actor, stay=stay, exit_solution=data["exit_solution"], on=data["on"], version=version
            )
        else:
            services.stay_cancel(actor=actor, stay=stay, version=version)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("housing_stays:stay", public_id=stay.public_id)
    messages.success(request, STAY_SUCCESS[action])
    return redirect("housing_stays:stay", public_id=stay.public_id)
