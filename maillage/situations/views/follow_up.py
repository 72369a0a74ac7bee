"""Following a situation: timeline entries and tasks."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from maillage.errors import DomainError
from maillage.situations import policies, services
from maillage.situations.enums import PersonRole
from maillage.situations.forms import TaskForm, TimelineForm
from maillage.situations.models import Task
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.selectors import situation_detailed
from maillage.web.access import member


@member(*SEEING_ROLES)
def timeline_add(request, public_id):
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    form = TimelineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.timeline_add(actor=actor, situation=situation, **data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if entry.visibility != data["visibility"]:
                messages.info(
                    request,
                    "Information médicale : faute d'accord de la victime pour le partage, elle reste "
                    "visible de votre seule organisation.",
                )
            messages.success(request, f"Ajouté au suivi : {entry.get_kind_display().lower()}.")
            return redirect("situations:detail", public_id=situation.public_id)
    victims = [p for p in situation.persons.all() if p.role == PersonRole.VICTIM]
    # The form shows the victims' safe channels and hours: a read of them.
    services.situation_view_record(actor=actor, situation=situation, part="safe_contacts")
    return render(
        request,
        "situations/timeline_form.html",
        {
            "page_title": f"Ajouter au suivi — {situation.pseudonym}",
            "situation": situation,
            "form": form,
            "victims": victims,
        },
    )


@member(*SEEING_ROLES)
def task_add(request, public_id):
    actor = request.actor
    situation = situation_detailed(actor, public_id)
    form = TaskForm(request.POST if request.method == "POST" else None, situation=situation)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_add(actor=actor, situation=situation, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Tâche ajoutée.")
            return redirect("situations:detail", public_id=situation.public_id)
    return render(
        request,
        "situations/task_form.html",
        {"page_title": f"Nouvelle tâche — {situation.pseudonym}", "situation": situation, "form": form},
    )


@require_POST
@member(*SEEING_ROLES)
def task_done(request, public_id, task_id):
    actor = request.actor
    situation = policies.access_situation(actor, public_id)
    task = get_object_or_404(Task.objects.select_related("situation"), situation=situation, public_id=task_id)
    try:
        services.task_done(actor=actor, task=task)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Tâche terminée.")
    return redirect("situations:detail", public_id=situation.public_id)
