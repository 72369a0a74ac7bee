"""The score of a danger grid, as a pure function: the grid's thresholds and the answers in, the counts and
the level out. No database, no clock: tests/assessments/test_scoring.py checks every boundary."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from maillage.assessments.enums import LEVEL_RANK, Level


@dataclass(frozen=True)
class Thresholds:
    """From the grid's data: high at `high_at_yes` "yes" (and/or `high_at_red` red questions answered
    "yes"); medium at `medium_at_yes` "yes". None: no such rule in this grid."""

    high_at_yes: int
    high_at_red: int | None = None
    medium_at_yes: int | None = None


@dataclass(frozen=True)
class Score:
    yes: int
    red: int
    level: str


def score(*, thresholds: Thresholds, red_numbers: Iterable[int], answers: Mapping[int, bool]) -> Score:
    """`answers`: question number → "yes" (True) or "no" (False); `red_numbers`: the red questions."""
    yes = sum(1 for answer in answers.values() if answer)
    red = sum(1 for number in set(red_numbers) if answers.get(number))
    if yes >= thresholds.high_at_yes or (
        thresholds.high_at_red is not None and red >= thresholds.high_at_red
    ):
        level = Level.HIGH
    elif thresholds.medium_at_yes is not None and yes >= thresholds.medium_at_yes:
        level = Level.MEDIUM
    else:
        level = Level.LOW
    return Score(yes=yes, red=red, level=level)


def final_level(computed: str, override: str) -> str:
    """The level that counts: the professional's override when given, else the computed one."""
    return override or computed


def lowers(computed: str, override: str) -> bool:
    """An override below the computed level (which needs the coordinator's recorded decision)."""
    return bool(override) and LEVEL_RANK[override] < LEVEL_RANK[computed]
