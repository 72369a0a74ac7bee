"""Pages of the danger assessments: a situation's assessments (history and trend), the form, a result, and
the grids of the territory. Every page showing an assessment records a read of its situation
(`situation_view_record`, part « assessments »); a situation the reader may not open answers 404, as if it
did not exist."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import redirect, render

from maillage.assessments import chart, policies, selectors, services
from maillage.assessments.forms import AssessmentForm, GridChoiceForm
from maillage.assessments.models import Assessment, Grid, TerritoryGrid
from maillage.errors import ConflictError, DomainError
from maillage.situations import policies as situation_policies
from maillage.situations import services as situation_services
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member

READ_PART = "assessments"


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _history(situation) -> dict:
    assessments = list(selectors.assessments_of(situation))
    return {"assessments": assessments, "chart": chart.trend_chart(reversed(assessments))}


@member(*SEEING_ROLES)
def situation_assessments(request, public_id):
    actor = request.actor
    situation = situation_policies.access_situation(actor, public_id)
    situation_services.situation_view_record(actor=actor, situation=situation, part=READ_PART)
    return render(
        request,
        "assessments/situation.html",
        {
            "page_title": f"Évaluations du danger — {situation.pseudonym}",
            "situation": situation,
            "grids": list(Grid.objects.for_territory(situation.territory)),
            "can_assess": policies.can_assess(actor, situation),
            **_history(situation),
        },
    )


@member(*SEEING_ROLES)
def assess(request, public_id):
    actor = request.actor
    situation = situation_policies.access_situation(actor, public_id)
    if not policies.can_assess(actor, situation):
        raise PermissionDenied
    grids = list(selectors.grids_with_questions(situation.territory))
    code = request.POST.get("grille") or request.GET.get("grille")
    grid = next((g for g in grids if g.code == code), grids[0] if len(grids) == 1 else None)
    if grid is None:  # several grids and none chosen yet: which one?
        return render(
            request,
            "assessments/choose_grid.html",
            {
                "page_title": f"Évaluer le danger — {situation.pseudonym}",
                "situation": situation,
                "grids": grids,
            },
        )
    form = AssessmentForm(request.POST if request.method == "POST" else None, grid=grid)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The version the form was read with: a newer one loaded meanwhile is told, not silently used.
        posted = Grid.objects.filter(public_id=_uuid(request.POST.get("version"))).first() or grid
        try:
            assessment = services.assessment_record(
                actor=actor,
                situation=situation,
                grid=posted,
                answers=form.answers(),
                assessed_on=data["assessed_on"],
                override_level=data["override_level"],
                override_reason=data["override_reason"],
                submission=data["submission"],
            )
        except ConflictError as error:
            existing = Assessment.objects.filter(submission=data["submission"], situation=situation).first()
            if existing is None:
                raise
            messages.info(request, error.message)
            return redirect("assessments:detail", public_id=existing.public_id)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Évaluation enregistrée.")
            return redirect("assessments:detail", public_id=assessment.public_id)
    return render(
        request,
        "assessments/form.html",
        {
            "page_title": f"Évaluer le danger — {situation.pseudonym}",
            "situation": situation,
            "grid": grid,
            "form": form,
            "can_lower": policies.can_lower_level(actor, situation),
        },
    )


@member(*SEEING_ROLES)
def assessment_detail(request, public_id):
    actor = request.actor
    assessment = selectors.assessment_detailed(actor, public_id)
    situation = assessment.situation
    situation_services.situation_view_record(actor=actor, situation=situation, part=READ_PART)
    questions = list(assessment.grid.questions.all())
    for question in questions:
        question.answer = assessment.answers.get(str(question.number))
    return render(
        request,
        "assessments/detail.html",
        {
            "page_title": f"Évaluation du danger — {situation.pseudonym}",
            "assessment": assessment,
            "situation": situation,
            "questions": questions,
            "can_assess": policies.can_assess(actor, situation),
            **_history(situation),
        },
    )


@member(*SEEING_ROLES)
def grids(request):
    """The grids the territory assesses with, their questions, and (coordinator) the choice of grids."""
    actor = request.actor
    can_choose = policies.can_choose_grids(actor)
    # One choice per code: the territory's own version of it, else the shipped one.
    current = Grid.objects.current().filter(Q(territory__isnull=True) | Q(territory=actor.territory))
    available = list(
        {g.code: g for g in current.order_by("code", F("territory_id").asc(nulls_first=True))}.values()
    )
    form = None
    if can_choose:
        chosen = list(TerritoryGrid.objects.filter(territory=actor.territory).values_list("code", flat=True))
        form = GridChoiceForm(
            request.POST if request.method == "POST" else None,
            grids=available,
            initial={"codes": chosen or [g.code for g in available]},
        )
    elif request.method == "POST":
        raise PermissionDenied
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.territory_grids_choose(actor=actor, codes=form.cleaned_data["codes"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Grilles du territoire enregistrées.")
            return redirect("assessments:grids")
    return render(
        request,
        "assessments/grids.html",
        {
            "page_title": "Grilles d'évaluation du danger",
            "grids": list(selectors.grids_with_questions(actor.territory)),
            "form": form,
        },
    )
