"""Shared by the assessment tests (test modules never import each other)."""

from maillage.assessments.loading import shipped_grids
from maillage.assessments.models import Grid
from maillage.assessments.services import assessment_record, grid_load
from maillage.audit.services import console_actor
from maillage.situations import services as situation_services
from tests.situations.factories import report_situation

FRENCH = "grille-danger-fr"
DASH = "dash-2009"


def load_shipped_grids() -> dict[str, Grid]:
    return {data.code: grid_load(actor=console_actor(), data=data)[0] for data in shipped_grids()}


def situation_of(net):
    """A situation of Mouchamps reported by the gendarmerie (which follows it), its referent assigned."""
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    situation_services.referent_assign(
        actor=net.actor("coordinator"), situation=situation, membership=net["referent"]
    )
    situation.refresh_from_db()
    return situation


def answers(grid: Grid, *, yes: int = 0, red: int = 0) -> dict[int, bool]:
    """`red` red questions and `yes - red` other questions answered "yes", the rest "no"."""
    questions = list(grid.questions.order_by("number"))
    reds = [q.number for q in questions if q.red][:red]
    others = [q.number for q in questions if not q.red][: yes - red]
    assert len(reds) == red and len(others) == yes - red, "not enough questions for these answers"
    chosen = set(reds) | set(others)
    return {q.number: q.number in chosen for q in questions}


def assess(actor, situation, grid, **kwargs):
    kwargs.setdefault("answers", answers(grid))
    return assessment_record(actor=actor, situation=situation, grid=grid, **kwargs)
