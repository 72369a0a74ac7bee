"""Reads of assessments, always from a situation the reader may open (the situation's policy)."""

from django.shortcuts import get_object_or_404

from maillage.assessments.models import Assessment, Grid
from maillage.network.actor import Actor


def assessments_of(situation):
    """The situation's assessments, newest first, with what their pages show (one query)."""
    return situation.danger_assessments.select_related(
        "grid", "assessor__user", "assessor__organisation"
    ).order_by("-assessed_on", "-pk")


def assessment_detailed(actor: Actor, public_id) -> Assessment:
    """Http404 for a missing assessment and for one of a situation the actor may not open, alike."""
    return get_object_or_404(
        Assessment.objects.visible_to(actor).select_related(
            "situation__commune", "grid", "assessor__user", "assessor__organisation"
        ),
        public_id=public_id,
    )


def grids_with_questions(territory):
    return Grid.objects.for_territory(territory).prefetch_related("questions")


def grid_for(territory, code: str) -> Grid | None:
    return grids_with_questions(territory).filter(code=code).first()
