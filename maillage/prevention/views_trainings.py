"""The trainings' pages under /formations/: the list with its filters and totals (sessions, hours, attendees,
organisations), a training's page with its attendance, its form (with a row per attending organisation) and
its deletion after a confirmation page. Who may do what: policies.py."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maillage.errors import ConflictError, DomainError
from maillage.network.enums import Role
from maillage.prevention import policies, selectors, services
from maillage.prevention.forms import DeleteForm, TrainingFilterForm, TrainingForm, attendance_formset
from maillage.prevention.models import Training
from maillage.prevention.policies import WRITER_ROLES
from maillage.prevention.views import (
    counted_page,
    delete_with_confirmation,
    own_organisation_kept,
    query_without_page,
    record_saved,
    show_refusal,
)
from maillage.web.access import member


@member()
def training_list(request):
    actor = request.actor
    form = TrainingFilterForm(request.GET or None, years=selectors.training_years(actor))
    chosen = form.filters()
    filters = selectors.TrainingFilters(year=chosen.get("year"), topic=chosen.get("topic") or "")
    totals = selectors.training_totals(actor, filters)
    page = counted_page(request, selectors.trainings_listed(actor, filters), totals["sessions"])
    return render(
        request,
        "prevention/training_list.html",
        {
            "page_title": "Formations des professionnels",
            "form": form,
            "filtered": any(chosen.values()),
            "totals": totals,
            "page": page,
            "query": query_without_page(request),
            "can_record": policies.can_record(actor),
        },
    )


@member()
def training_detail(request, public_id):
    actor = request.actor
    training = policies.access_training(actor, public_id)
    attendances = list(training.attendances.all())
    return render(
        request,
        "prevention/training_detail.html",
        {
            "page_title": f"Formation : {training.title}",
            "training": training,
            "attendances": attendances,
            "attendees": sum(a.attendees for a in attendances),
            "can_edit": policies.can_edit_training(actor, training),
            "can_delete": policies.can_delete(actor, training),
            "delete_form": DeleteForm(initial={"version": training.version}),
        },
    )


def _form_page(request, form, formset, training=None, current=None):
    return render(
        request,
        "prevention/training_form.html",
        {
            "page_title": f"Modifier la formation : {training.title}"
            if training
            else "Enregistrer une formation",
            "training": training,
            "current": current,
            "form": form,
            "formset": formset,
        },
    )


@member(*WRITER_ROLES)
def training_add(request):
    actor = request.actor
    own = own_organisation_kept(actor)
    data = request.POST if request.method == "POST" else None
    territory_id = actor.membership.territory_id
    form = TrainingForm(
        data,
        initial={} if own else {"trainer_organisations": [actor.membership.organisation.public_id]},
        territory_id=territory_id,
        own_organisation=own,
    )
    formset = attendance_formset(data, territory_id=territory_id)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            training = services.training_record(
                actor=actor,
                submission=form.cleaned_data["submission"],
                attendances=formset.rows(),
                **form.values(),
            )
        except services.AlreadyRecorded as already:
            messages.info(request, already.message)
            return redirect("trainings:detail", public_id=already.record.public_id)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return record_saved(request, "Formation", training, created=True, url_name="trainings:detail")
    return _form_page(request, form, formset)


@member(*WRITER_ROLES)
def training_edit(request, public_id):
    actor = request.actor
    training = policies.access_training(actor, public_id)
    if not policies.can_edit_training(actor, training):
        raise Http404
    own = own_organisation_kept(actor)
    kept = list(training.trainer_organisations.all())
    initial = {name: getattr(training, name) for name in services.TRAINING_FIELDS}
    initial["commune"] = training.commune.public_id if training.commune else None
    initial["trainer_organisations"] = [o.public_id for o in kept]
    initial["version"] = training.version
    data = request.POST if request.method == "POST" else None
    form = TrainingForm(
        data, initial=initial, territory_id=training.territory_id, own_organisation=own, kept=kept
    )
    formset = attendance_formset(data, territory_id=training.territory_id, training=training)
    current = None
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            training = services.training_update(
                actor=actor,
                training=training,
                version=form.cleaned_data["version"] or 0,
                attendances=formset.rows(),
                **form.values(),
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            current = policies.access_training(actor, public_id)
            form.data = form.data.copy()
            form.data["version"] = current.version
        except DomainError as error:
            show_refusal(form, error)
        else:
            return record_saved(request, "Formation", training, created=False, url_name="trainings:detail")
    return _form_page(request, form, formset, training, current)


def _training_consequences(training: Training) -> list[str]:
    return [
        f"La formation du {training.held_on:%d/%m/%Y} disparaît de la liste, avec ses participants par "
        "organisation : elle ne compte plus dans les bilans ni sur la page de chaque organisation.",
        "Le journal d'audit garde la trace de sa suppression.",
    ]


@member(Role.COORDINATOR)
@require_POST
def training_delete(request, public_id):
    return delete_with_confirmation(
        request,
        access=lambda: policies.access_training(request.actor, public_id),
        delete=lambda actor, record, version: services.training_delete(
            actor=actor, training=record, version=version
        ),
        what="La formation",
        consequences=_training_consequences,
        list_url=reverse("trainings:list"),
        detail_url=lambda training: reverse("trainings:detail", args=[training.public_id]),
    )
