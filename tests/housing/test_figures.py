"""The figures on a hand-computed example whose stays cross the period's boundaries."""

import pytest

from maillage.housing import figures
from maillage.housing.enums import ExitSolution
from maillage.housing.enums import StayStatus as S
from maillage.housing.models import HousingUnit
from tests.housing.factories_calendar import D, HousingWorld

pytestmark = pytest.mark.django_db

START, END = D(2026, 3, 1), D(2026, 4, 1)  # March 2026: 31 nights, 1 April excluded


@pytest.fixture
def world():
    world = HousingWorld()
    stay = world.stay
    # Studio (1 adult + 1 child beds)
    stay(
        world.studio,
        D(2026, 2, 25),
        D(2026, 3, 5),
        status=S.ENDED,
        children=1,
        exit_solution=ExitSolution.RELATIVES,
    )  # A
    stay(world.studio, D(2026, 3, 28), D(2026, 4, 10), status=S.IN_PROGRESS)  # B
    stay(world.studio, D(2026, 3, 10), D(2026, 3, 12), status=S.PLANNED)  # C
    # Flat
    stay(
        world.flat,
        D(2026, 1, 20),
        D(2026, 3, 1),
        status=S.ENDED,
        adults=2,
        children=2,
        exit_solution=ExitSolution.SIAO,
    )  # D
    stay(
        world.flat,
        D(2026, 3, 10),
        D(2026, 3, 20),
        status=S.ENDED,
        children=2,
        exit_solution=ExitSolution.SOCIAL_HOUSING,
    )  # E
    stay(world.flat, D(2026, 3, 20), D(2026, 3, 25), status=S.CANCELLED)  # F
    stay(world.flat, D(2026, 3, 25), D(2026, 4, 3), status=S.ENDED, exit_solution=ExitSolution.OTHER)  # G
    # Refuge
    stay(world.refuge, D(2026, 2, 15), D(2026, 4, 5), status=S.IN_PROGRESS, children=3)  # H
    return world


def test_nights_people_nights_and_occupancy_rate_per_unit(world, django_assert_num_queries):
    """March 2026, [1 March, 1 April): 31 nights available per unit.

    Studio: A (25 Feb → 5 Mar, 1 adult + 1 child) keeps 1, 2, 3, 4 March = 4 nights, 4 × 2 = 8
    people-nights; B (28 Mar → 10 Apr, in progress, 1 adult) keeps 28–31 March = 4 nights, 4 people-nights;
    C is only planned: 0. Studio: 8 nights, 12 people-nights, rate 8/31.
    Flat: D (20 Jan → 1 Mar) leaves the morning of 1 March: 0; E (10 → 20 Mar, 1 + 2) 10 nights, 30
    people-nights; F cancelled: 0; G (25 Mar → 3 Apr, 1 adult) keeps 25–31 March = 7 nights, 7
    people-nights. Flat: 17 nights, 37 people-nights, rate 17/31.
    Refuge: H (15 Feb → 5 Apr, 1 + 3) covers the whole month: 31 nights, 31 × 4 = 124 people-nights,
    rate 31/31 = 1.
    Totals: 8 + 17 + 31 = 56 nights, 12 + 37 + 124 = 173 people-nights, rate 56 / 93."""
    units = HousingUnit.objects.filter(territory=world.territory)
    with django_assert_num_queries(1):
        rows = figures.units_figures(units, START, END)
    got = {f.unit.name: (f.nights, f.people_nights, f.available_nights) for f in rows}
    assert got == {
        "Studio de la place": (8, 12, 31),
        "Appartement T3": (17, 37, 31),
        "Refuge": (31, 124, 31),
    }
    rates = {f.unit.name: f.occupancy_rate for f in rows}
    assert rates == {"Studio de la place": 8 / 31, "Appartement T3": 17 / 31, "Refuge": 1.0}
    assert figures.totals(rows) == {
        "nights": 56,
        "people_nights": 173,
        "available_nights": 93,
        "occupancy_rate": 56 / 93,
    }
    assert rows[0].occupancy_percent == "54,8 %"  # Appartement T3: 17/31 = 0.548…


def test_stays_by_exit_solution_count_the_stays_whose_last_night_is_in_the_period(world):
    """A leaves on 5 March (relatives), E on 20 March (social housing): counted. D left the morning of
    1 March (its last night is 28 February) and G leaves on 3 April: not in March. B and H are not over."""
    units = HousingUnit.objects.filter(territory=world.territory)
    counts = figures.stays_by_exit_solution(units, START, END)
    assert counts == {
        "home_after_eviction": 0,
        "relatives": 1,
        "siao": 0,
        "social_housing": 1,
        "other": 0,
    }
    assert figures.stays_by_exit_solution(units, D(2026, 2, 1), START)["siao"] == 1
    assert figures.stays_count(units, START, END) == 5  # A, B, E, G, H


def test_a_period_must_end_after_it_starts(world):
    with pytest.raises(ValueError):
        figures.units_figures(HousingUnit.objects.all(), END, START)
