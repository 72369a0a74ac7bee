"""Danger assessments in the demonstration's history, written through the assessments service at the
moment they happen (the demo clock of `DemoSituations`' history).

About a third of the ordinary situations are assessed by the professional who reported them, the day after,
then re-assessed a month and three months later while they are followed: most results are low or medium,
some rise, and the situations reported in immediate danger mostly reach « danger grave » (alerting their
coordination and proposing them for the next meeting). One assessment in ten is raised by professional
judgement, with its reason. Draws come from their own seed, so the situations' draws do not move."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from maillage.assessments import services
from maillage.assessments.enums import Level
from maillage.assessments.loading import shipped_grids
from maillage.assessments.models import Grid
from maillage.audit.services import console_actor
from maillage.network.actor import Actor

if TYPE_CHECKING:
    from maillage.demo.situations import DemoSituations

SEED = 20191125  # the day the French danger grid was presented
ASSESSED_SHARE = 0.35
URGENT_DANGER_SHARE = 0.8
RAISED_SHARE = 0.1
RE_ASSESSMENTS = (30, 90)  # days after the first assessment
FRENCH, DASH = "grille-danger-fr", "dash-2009"
RAISED_REASON = (
    "Jugement professionnel : la victime minimise les faits ; reprise de contact de l'auteur malgré la "
    "séparation."
)


@dataclass(frozen=True)
class Planned:
    """What the situations' plan tells this module of an ordinary situation."""

    reported_at: datetime.datetime
    closing: datetime.datetime
    reporter: Actor
    urgent: bool


def load_grids() -> None:
    """The shipped grids, before any situation (as `maillage load_grids` would load them)."""
    for data in shipped_grids():
        services.grid_load(actor=console_actor(), data=data)


def plan_assessments(demo: DemoSituations, planned: dict[str, Planned]) -> None:
    rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
    chosen = [key for key in planned if rng.random() <= ASSESSED_SHARE]
    # The most recently reported of them is in danger whatever the draws: the demo always shows one.
    latest = max(chosen, key=lambda key: planned[key].reported_at, default=None)
    for key in chosen:
        plan = planned[key]
        code = FRENCH if rng.random() < 0.7 else DASH
        danger = key == latest or plan.urgent and rng.random() < URGENT_DANGER_SHARE
        first = plan.reported_at + datetime.timedelta(days=1, hours=3)
        moments = [first] + [first + datetime.timedelta(days=d) for d in RE_ASSESSMENTS]
        # Three results, in a plausible trend: rising towards danger, or easing off once followed.
        target = Level.HIGH if danger else rng.choice([Level.LOW, Level.LOW, Level.MEDIUM])
        levels = [Level.MEDIUM, Level.HIGH, Level.HIGH] if danger else [target, target, Level.LOW]
        for step, (moment, level) in enumerate(zip(moments, levels, strict=True)):
            if moment >= plan.closing:
                break
            raised = step == 0 and not danger and rng.random() < RAISED_SHARE
            draws = random.Random(rng.random())  # noqa: S311
            demo.history.at(moment, _step(demo, key, plan.reporter, code, level, raised, draws))


def _step(demo, key, actor, code, level, raised, draws):
    return lambda: _assess(demo, key, actor, code, level, raised, draws)


def _answers(grid: Grid, level: str, rng: random.Random) -> dict[int, bool]:
    numbers = list(grid.questions.order_by("number").values_list("number", flat=True))
    red = set(grid.questions.filter(red=True).values_list("number", flat=True))
    plain = [n for n in numbers if n not in red]
    if level == Level.HIGH:
        yes = (
            set(rng.sample(plain, grid.high_at_yes))
            if grid.high_at_red is None
            else set(rng.sample(sorted(red), 2))
        )
        yes |= set(rng.sample(plain, rng.randint(3, 8)))
    elif level == Level.MEDIUM and grid.medium_at_yes:
        yes = set(rng.sample(plain, rng.randint(grid.medium_at_yes, grid.high_at_yes - 1)))
    else:
        yes = set(rng.sample(plain, rng.randint(1, min(7, grid.high_at_yes - 3))))
        if grid.high_at_red and rng.random() < 0.4:
            yes.add(rng.choice(sorted(red)))
    return {n: n in yes for n in numbers}


def _assess(demo: DemoSituations, key: str, actor: Actor, code: str, level: str, raised: bool, rng) -> None:
    situation = demo.situation(key)
    grid = Grid.objects.for_territory(situation.territory).get(code=code)
    services.assessment_record(
        actor=actor,
        situation=situation,
        grid=grid,
        answers=_answers(grid, level, rng),
        override_level=Level.HIGH if raised else "",
        override_reason=RAISED_REASON if raised else "",
    )
