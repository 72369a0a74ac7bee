"""The « Mesures de protection » page of a situation, and adding or changing a measure.

Reached from the situation page by URL name (the situations app imports nothing of this one). Every page
starts from the situation's policy (`access_situation`: missing and hidden give the same 404) and records
the read of the measures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from maillage.errors import ConflictError, DomainError
from maillage.protection import policies, selectors, services
from maillage.protection.forms import MeasureForm
from maillage.protection.models import ProtectiveMeasure
from maillage.situations import policies as situation_policies
from maillage.situations.enums import SituationStatus
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.services import situation_view_record
from maillage.web.access import member


def _situation(actor, public_id, *, to_record: bool = False):
    """The situation through its policy (404 when hidden); 403 to a reader who may not record measures
    (a break-the-glass reader) when the page is a form."""
    situation = situation_policies.access_situation(actor, public_id)
    if not policies.can_view_measures(actor, situation):
        raise Http404
    if to_record and not policies.can_record_measures(actor, situation):
        raise PermissionDenied
    return situation


@member(*SEEING_ROLES)
def measure_list(request, public_id):
    actor = request.actor
    situation = _situation(actor, public_id)
    measures = selectors.measures_of(situation)
    situation_view_record(actor=actor, situation=situation, part="measures")
    return render(
        request,
        "protection/list.html",
        {
            "page_title": f"Mesures de protection — {situation.pseudonym}",
            "situation": situation,
            "measures": measures,
            "can_record": policies.can_record_measures(actor, situation)
            and situation.status != SituationStatus.CLOSED,
        },
    )


def _form_page(request, situation, form, measure=None):
    return render(
        request,
        "protection/form.html",
        {
            "page_title": (
                f"Modifier une mesure — {situation.pseudonym}"
                if measure
                else f"Nouvelle mesure de protection — {situation.pseudonym}"
            ),
            "situation": situation,
            "measure": measure,
            "form": form,
        },
    )


@member(*SEEING_ROLES)
def measure_add(request, public_id):
    actor = request.actor
    situation = _situation(actor, public_id, to_record=True)
    form = MeasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version")
        try:
            services.measure_record(actor=actor, situation=situation, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Mesure de protection enregistrée.")
            return redirect("protection:list", public_id=situation.public_id)
    return _form_page(request, situation, form)


@member(*SEEING_ROLES)
def measure_edit(request, public_id, measure_id):
    actor = request.actor
    situation = _situation(actor, public_id, to_record=True)
    measure = policies.access_measure(actor, situation, measure_id)
    initial = {name: getattr(measure, name) for name in services.FIELDS}
    initial["version"] = measure.version
    form = MeasureForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version") or 0
        try:
            services.measure_update(actor=actor, measure=measure, version=version, **data)
        except ConflictError as error:
            form.add_error(None, error.message)
            # What was typed stays; saving again (after checking) applies it over the current version.
            form.data = form.data.copy()
            form.data["version"] = ProtectiveMeasure.objects.values_list("version", flat=True).get(
                pk=measure.pk
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Mesure de protection à jour.")
            return redirect("protection:list", public_id=situation.public_id)
    situation_view_record(actor=actor, situation=situation, part="measures")
    return _form_page(request, situation, form, measure)
