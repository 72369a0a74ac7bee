"""The plan's pages under /plan-d-action/: the plan (axes and their actions, filtered), an action's page,
the action's form, the progress update form and the axes (policies.py says who does what). The figures'
forms (indicators, budget lines, contributions) are in `views_figures.py`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.actionplan import policies, selectors, services
from maillage.actionplan.enums import ActionStatus
from maillage.actionplan.forms import ActionForm, AxisForm, FilterForm, ProgressForm
from maillage.actionplan.models import Action
from maillage.actionplan.policies import UPDATING_ROLES
from maillage.errors import ConflictError, DomainError
from maillage.network.enums import Role
from maillage.web.access import member
from maillage.web.confirm import confirm_remove_access, is_confirmed


def action_url(action, anchor: str = "") -> str:
    return reverse("actionplan:action", args=[action.public_id]) + (f"#{anchor}" if anchor else "")


def form_page(request, form, *, title: str, back_url: str, back_label: str, button: str = "Enregistrer"):
    return render(
        request,
        "actionplan/form.html",
        {"page_title": title, "form": form, "back_url": back_url, "back_label": back_label, "button": button},
    )


@member()
def plan(request):
    """Every axis with its actions, narrowed by axis, status or lead organisation."""
    actor = request.actor
    axes = list(policies.axes_visible_to(actor).order_by("number"))
    organisations = list(
        services.plan.territory_organisations(actor.membership.territory_id).order_by("name")
    )
    filters = FilterForm(request.GET or None, axes=axes, organisations=organisations)
    chosen = filters.chosen() if filters.is_valid() else {}
    shown = [chosen["axis"]] if chosen.get("axis") else axes
    actions = list(selectors.actions_listed(actor, **chosen)) if axes else []
    by_axis = {axis.pk: [] for axis in shown}
    for action in actions:
        by_axis.setdefault(action.axis_id, []).append(action)
    return render(
        request,
        "actionplan/plan.html",
        {
            "page_title": "Plan d'action",
            "filters": filters,
            "filtered": any(chosen.values()),
            "axes": [(axis, by_axis[axis.pk]) for axis in shown],
            "has_axes": bool(axes),
            "count": len(actions),
            "can_edit": policies.edits_plan(actor),
        },
    )


@member()
def action_detail(request, public_id):
    actor = request.actor
    action = policies.access_action(actor, public_id)
    context = selectors.action_detailed(action)
    edits = policies.edits_plan(actor, action.territory_id)
    for contribution in context["contributions"]:
        contribution.editable = policies.can_record_contribution(actor, action, contribution.organisation_id)
    return render(
        request,
        "actionplan/action_detail.html",
        {
            **context,
            "page_title": f"Action : {action.title}",
            "action": action,
            "can_edit": edits,
            "can_update": policies.can_update(actor, action),
            "is_lead": policies.leads(actor, action),
        },
    )


def _action_values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data["partners"] = list(data["partners"])
    return data


@member(Role.COORDINATOR)
def action_add(request):
    actor = request.actor
    territory_id = actor.membership.territory_id
    if not policies.axes_visible_to(actor).exists():
        messages.info(request, "Le plan d'action n'a pas encore d'axe : créez d'abord ses axes.")
        return redirect("actionplan:plan")
    initial = {"status": ActionStatus.PLANNED}
    if request.GET.get("axe"):
        initial["axis"] = request.GET["axe"]
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        territory_id=territory_id,
        statuses=ActionStatus.values,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=actor, **_action_values(form))
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect(action_url(already.existing))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Action « {action.title} » créée.")
            return redirect(action_url(action))
    back = reverse("actionplan:plan")
    return form_page(
        request, form, title="Nouvelle action", back_url=back, back_label="Retour au plan d'action"
    )


@member(Role.COORDINATOR)
def action_edit(request, public_id):
    actor = request.actor
    action = policies.access_action(actor, public_id)
    if not policies.edits_plan(actor, action.territory_id):
        raise PermissionDenied
    initial = {
        name: getattr(action, name) for name in ("title", "description", "starts_on", "ends_on", "status")
    }
    partners = list(action.partners.all())
    initial.update(
        axis=action.axis.public_id,
        lead_organisation=action.lead_organisation.public_id,
        partners=[o.public_id for o in partners],
        version=action.version,
    )
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        territory_id=action.territory_id,
        statuses=services.statuses_open_to(actor, action),
        keep=[action.lead_organisation_id, *(o.pk for o in partners)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=actor, action=action, version=form.cleaned_data["version"] or 0, **_action_values(form)
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            # What was typed stays; saving again (after checking) applies it over the current version.
            form.data = form.data.copy()
            form.data["version"] = Action.objects.values_list("version", flat=True).get(pk=action.pk)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Action mise à jour.")
            return redirect(action_url(action))
    return form_page(
        request,
        form,
        title=f"Modifier l'action : {action.title}",
        back_url=action_url(action),
        back_label="Retour à l'action",
    )


@member(*UPDATING_ROLES)
def progress_add(request, public_id):
    actor = request.actor
    action = policies.access_action(actor, public_id)
    if not policies.can_update(actor, action):
        raise PermissionDenied
    form = ProgressForm(
        request.POST if request.method == "POST" else None,
        initial={"status": action.status},
        statuses=services.statuses_open_to(actor, action),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_record(actor=actor, action=action, **form.cleaned_data)
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect(action_url(action, "avancement"))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Point d'avancement enregistré.")
            return redirect(action_url(action, "avancement"))
    return form_page(
        request,
        form,
        title=f"Noter l'avancement : {action.title}",
        back_url=action_url(action),
        back_label="Retour à l'action",
    )


# --------------------------------------------------------------------------------------------- axes


@member(Role.COORDINATOR)
@require_POST
def axes_default(request):
    """« Créer les axes du contrat »: the contract's commitments, once (a second click creates nothing)."""
    try:
        axes = services.axes_create_default(actor=request.actor)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Le plan d'action compte {len(axes)} axes.")
    return redirect("actionplan:plan")


@member(Role.COORDINATOR)
def axis_add(request):
    form = AxisForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            axis = services.axis_create(actor=request.actor, **form.cleaned_data)
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect("actionplan:plan")
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Axe {axis.number} ajouté.")
            return redirect("actionplan:plan")
    return form_page(
        request,
        form,
        title="Nouvel axe",
        back_url=reverse("actionplan:plan"),
        back_label="Retour au plan d'action",
    )


@member(Role.COORDINATOR)
def axis_edit(request, public_id):
    axis = policies.access_axis(request.actor, public_id)
    form = AxisForm(
        request.POST if request.method == "POST" else None,
        initial={"title": axis.title, "description": axis.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.axis_update(actor=request.actor, axis=axis, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Axe {axis.number} mis à jour.")
            return redirect("actionplan:plan")
    return form_page(
        request,
        form,
        title=f"Modifier l'axe {axis.number}",
        back_url=reverse("actionplan:plan"),
        back_label="Retour au plan d'action",
    )


@member(Role.COORDINATOR)
@require_POST
def axis_remove(request, public_id):
    axis = policies.access_axis(request.actor, public_id)
    if not is_confirmed(request):
        return confirm_remove_access(
            request,
            page_title=f"Supprimer l'axe {axis.number}",
            consequences=[
                f"L'axe « {axis.title} » disparaît du plan d'action.",
                "Seul un axe sans action peut être supprimé ; les numéros des autres axes ne changent pas.",
            ],
            button="Supprimer l'axe",
            cancel_url=reverse("actionplan:plan"),
        )
    try:
        services.axis_remove(actor=request.actor, axis=axis)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Axe {axis.number} supprimé.")
    return redirect("actionplan:plan")
