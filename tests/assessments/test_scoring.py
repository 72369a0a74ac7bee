"""The scoring function at every boundary of both grids, and with a professional-judgement override."""

import pytest

from maillage.assessments.enums import Level
from maillage.assessments.scoring import Thresholds, final_level, lowers, score

FRENCH = Thresholds(high_at_yes=12, high_at_red=2)
DASH = Thresholds(high_at_yes=14, medium_at_yes=10)
RED = [2, 12, 14, 17, 19]


def answers(total: int, yes: int, red_yes: int = 0) -> dict[int, bool]:
    """`red_yes` of the red questions and `yes - red_yes` others answered "yes", out of `total`."""
    reds = RED[:red_yes]
    others = [n for n in range(1, total + 1) if n not in RED][: yes - red_yes]
    return {n: n in reds or n in others for n in range(1, total + 1)}


@pytest.mark.parametrize(
    ("yes", "red", "level"),
    [
        (0, 0, Level.LOW),
        (11, 0, Level.LOW),  # 11 "yes", no red: not established
        (12, 0, Level.HIGH),  # 12 "yes": established
        (11, 1, Level.LOW),  # 11 "yes" with one red among them: still not
        (1, 1, Level.LOW),  # one red question: not established
        (2, 2, Level.HIGH),  # two red questions: established, whatever the total
        (23, 5, Level.HIGH),
    ],
)
def test_french_grid_boundaries(yes, red, level):
    result = score(thresholds=FRENCH, red_numbers=RED, answers=answers(23, yes, red))
    assert (result.yes, result.red, result.level) == (yes, red, level)


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (0, Level.LOW),
        (9, Level.LOW),
        (10, Level.MEDIUM),
        (13, Level.MEDIUM),
        (14, Level.HIGH),
        (24, Level.HIGH),
    ],
)
def test_dash_boundaries(yes, level):
    result = score(thresholds=DASH, red_numbers=[], answers={n: n <= yes for n in range(1, 25)})
    assert (result.yes, result.red, result.level) == (yes, 0, level)


def test_unanswered_and_no_answers_count_as_no():
    assert score(thresholds=FRENCH, red_numbers=RED, answers={2: False, 12: False}).level == Level.LOW


def test_override_replaces_the_computed_level_and_lowering_is_told_apart():
    assert final_level(Level.LOW, "") == Level.LOW
    assert final_level(Level.LOW, Level.HIGH) == Level.HIGH
    assert final_level(Level.HIGH, Level.MEDIUM) == Level.MEDIUM
    assert lowers(Level.HIGH, Level.MEDIUM) and lowers(Level.MEDIUM, Level.LOW)
    assert (
        not lowers(Level.LOW, Level.HIGH)
        and not lowers(Level.HIGH, Level.HIGH)
        and not lowers(Level.HIGH, "")
    )
