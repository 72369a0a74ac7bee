"""An action's figures, one set of pages for the three kinds (`FIGURES`): add, change, remove (after a
confirmation) an indicator, a budget line or a contribution. Who may do what is the policy's
(policies.py): the coordinator everything; the lead organisation the indicators' actual values and its own
contributions. The services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from maillage.actionplan import policies, services
from maillage.actionplan.forms import BudgetLineForm, ContributionForm, IndicatorActualForm, IndicatorForm
from maillage.actionplan.models import BudgetLine, Contribution, Indicator
from maillage.actionplan.policies import UPDATING_ROLES
from maillage.actionplan.views import action_url, form_page
from maillage.errors import DomainError
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed


def _edits(actor, action, obj=None) -> bool:
    return policies.edits_plan(actor, action.territory_id)


def _contributes(actor, action, obj=None) -> bool:
    if obj is None:
        return policies.can_update(actor, action)
    return policies.can_record_contribution(actor, action, obj.organisation_id)


def _indicator_form(actor, action, obj, data):
    if obj is not None and not policies.edits_plan(actor, action.territory_id):
        return IndicatorActualForm(data, initial={"actual": obj.actual})
    initial = {name: getattr(obj, name) for name in ("label", "unit", "target", "actual")} if obj else None
    return IndicatorForm(data, initial=initial)


def _budget_form(actor, action, obj, data):
    initial = {name: getattr(obj, name) for name in ("year", "label", "planned", "spent")} if obj else None
    return BudgetLineForm(data, initial=initial)


def _contribution_form(actor, action, obj, data):
    initial = None
    if obj is not None:
        initial = {name: getattr(obj, name) for name in ("year", "kind", "amount", "hours", "description")}
        initial["organisation"] = obj.organisation.public_id
    own_only = not policies.edits_plan(actor, action.territory_id)
    return ContributionForm(
        data, initial=initial, territory_id=action.territory_id, own_organisation_only=own_only
    )


def _contribution_values(actor, form) -> dict:
    values = dict(form.cleaned_data)
    values.setdefault("organisation", actor.organisation)
    return values


def _indicator_name(obj) -> str:
    return f"l'indicateur « {obj.label} »"


def _budget_name(obj) -> str:
    return f"la ligne « {obj.label} » ({obj.year})"


def _contribution_name(obj) -> str:
    return f"la contribution de {obj.organisation.name} ({obj.get_kind_display().lower()}, {obj.year})"


@dataclass(frozen=True)
class Figure:
    model: type
    anchor: str  # the section of the action's page
    keyword: str  # the services' keyword for the object
    new_title: str
    added: str
    may_add: Callable
    may_change: Callable
    may_remove: Callable
    form: Callable
    create: Callable
    update: Callable
    remove: Callable
    name: Callable
    values: Callable = lambda actor, form: dict(form.cleaned_data)


FIGURES = {
    "indicator": Figure(
        model=Indicator,
        anchor="indicateurs",
        keyword="indicator",
        new_title="Nouvel indicateur",
        added="Indicateur ajouté.",
        may_add=_edits,
        may_change=lambda actor, action, obj: policies.can_update(actor, action),
        may_remove=_edits,
        form=_indicator_form,
        create=services.indicator_create,
        update=services.indicator_update,
        remove=services.indicator_remove,
        name=_indicator_name,
    ),
    "budget_line": Figure(
        model=BudgetLine,
        anchor="budget",
        keyword="line",
        new_title="Nouvelle ligne budgétaire",
        added="Ligne budgétaire ajoutée.",
        may_add=_edits,
        may_change=_edits,
        may_remove=_edits,
        form=_budget_form,
        create=services.budget_line_create,
        update=services.budget_line_update,
        remove=services.budget_line_remove,
        name=_budget_name,
    ),
    "contribution": Figure(
        model=Contribution,
        anchor="contributions",
        keyword="contribution",
        new_title="Nouvelle contribution",
        added="Contribution enregistrée.",
        may_add=_contributes,
        may_change=_contributes,
        may_remove=_contributes,
        form=_contribution_form,
        create=services.contribution_create,
        update=services.contribution_update,
        remove=services.contribution_remove,
        name=_contribution_name,
        values=_contribution_values,
    ),
}


def _reached(request, public_id, kind, item_id=None):
    """The action (404 if hidden), the figure kind and the object of that action (404 if not there)."""
    action = policies.access_action(request.actor, public_id)
    figure = FIGURES[kind]
    obj = None
    if item_id is not None:
        obj = get_object_or_404(
            figure.model.objects.select_related("action"), action=action, public_id=item_id
        )
    return action, figure, obj


@member(*UPDATING_ROLES)
def figure_add(request, public_id, kind):
    actor = request.actor
    action, figure, _ = _reached(request, public_id, kind)
    if not figure.may_add(actor, action):
        raise PermissionDenied
    form = figure.form(actor, action, None, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            figure.create(actor=actor, action=action, **figure.values(actor, form))
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect(action_url(action, figure.anchor))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, figure.added)
            return redirect(action_url(action, figure.anchor))
    return form_page(
        request,
        form,
        title=f"{figure.new_title} : {action.title}",
        back_url=action_url(action, figure.anchor),
        back_label="Retour à l'action",
    )


@member(*UPDATING_ROLES)
def figure_edit(request, public_id, kind, item_id):
    actor = request.actor
    action, figure, obj = _reached(request, public_id, kind, item_id)
    if not figure.may_change(actor, action, obj):
        raise PermissionDenied
    form = figure.form(actor, action, obj, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            figure.update(actor=actor, **{figure.keyword: obj}, **figure.values(actor, form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Modification enregistrée.")
            return redirect(action_url(action, figure.anchor))
    name = figure.name(obj)
    return form_page(
        request,
        form,
        title=f"Modifier {name}",
        back_url=action_url(action, figure.anchor),
        back_label="Retour à l'action",
    )


@member(*UPDATING_ROLES)
@require_POST
def figure_remove(request, public_id, kind, item_id):
    actor = request.actor
    action, figure, obj = _reached(request, public_id, kind, item_id)
    if not figure.may_remove(actor, action, obj):
        raise PermissionDenied
    name = figure.name(obj)
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Supprimer {name}",
            consequences=[
                f"{name[0].upper()}{name[1:]} disparaît de l'action « {action.title} » et des bilans.",
                "La suppression est inscrite au journal d'audit.",
            ],
            button="Supprimer",
            cancel_url=action_url(action, figure.anchor),
        )
    try:
        figure.remove(actor=actor, **{figure.keyword: obj})
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Suppression enregistrée.")
    return redirect(action_url(action, figure.anchor))
