"""The availability search: capacity, out of service, holding stays — in one query."""

import itertools

import pytest

from maillage.housing import capacity
from maillage.housing.availability import units_available
from maillage.housing.enums import StayStatus, UnitStatus
from tests.housing.factories_calendar import D, HousingWorld, make_unit
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return HousingWorld()


def names(units):
    return [unit.name for unit in units]


def test_capacity_decides_which_units_fit(world):
    t = world.territory
    assert names(units_available(t, 1, 0, D(2026, 5, 1), D(2026, 5, 3))) == [
        "Studio de la place",
        "Refuge",
        "Appartement T3",
    ]
    # One adult and two children: not the studio (2 beds).
    assert names(units_available(t, 1, 2, D(2026, 5, 1), D(2026, 5, 3))) == ["Refuge", "Appartement T3"]
    # Two adults: only the flat. Three children: the flat has two children's beds and a cot, so one of them
    # must be under three; four children never fit.
    assert names(units_available(t, 2, 2, D(2026, 5, 1), D(2026, 5, 3))) == ["Appartement T3"]
    assert names(units_available(t, 2, 3, D(2026, 5, 1), D(2026, 5, 3))) == []
    assert names(units_available(t, 2, 3, D(2026, 5, 1), D(2026, 5, 3), under_three=1)) == ["Appartement T3"]
    assert names(units_available(t, 2, 4, D(2026, 5, 1), D(2026, 5, 3), under_three=2)) == []
    assert names(units_available(t, 1, 0, D(2026, 5, 1), D(2026, 5, 3), accessible=True)) == [
        "Appartement T3"
    ]
    assert names(units_available(t, 1, 0, D(2026, 5, 1), D(2026, 5, 3), pets=True)) == []


def test_holding_stays_overlapping_the_nights_make_a_unit_unavailable(world):
    t = world.territory
    world.stay(world.refuge, D(2026, 5, 10), D(2026, 5, 20), status=StayStatus.PLANNED)
    world.stay(world.flat, D(2026, 5, 1), D(2026, 5, 5), status=StayStatus.ENDED)
    world.stay(world.studio, D(2026, 5, 1), D(2026, 6, 1), status=StayStatus.CANCELLED)
    search = lambda a, b: names(units_available(t, 1, 1, a, b))  # noqa: E731
    # Leaving the morning a newcomer arrives is no overlap, either way.
    assert search(D(2026, 5, 5), D(2026, 5, 10)) == ["Studio de la place", "Refuge", "Appartement T3"]
    assert search(D(2026, 5, 4), D(2026, 5, 6)) == ["Studio de la place", "Refuge"]
    assert search(D(2026, 5, 19), D(2026, 5, 22)) == ["Studio de la place", "Appartement T3"]
    assert search(D(2026, 5, 1), D(2026, 6, 1)) == ["Studio de la place"]  # the cancelled stay holds nothing


def test_out_of_service_and_other_territories_are_not_offered(world):
    world.studio.status = UnitStatus.OUT_OF_SERVICE
    world.studio.save()
    elsewhere = TerritoryFactory()
    make_unit(elsewhere, world.ccas, "Ailleurs")
    assert names(units_available(world.territory, 1, 0, D(2026, 5, 1), D(2026, 5, 2))) == [
        "Refuge",
        "Appartement T3",
    ]


def test_the_answer_is_one_query_whatever_the_stays(world, django_assert_num_queries):
    for month in range(1, 7):
        world.stay(world.flat, D(2026, month, 1), D(2026, month, 10), status=StayStatus.ENDED)
        world.stay(world.refuge, D(2026, month, 12), D(2026, month, 20), status=StayStatus.ENDED)
    with django_assert_num_queries(1):
        found = [
            (u.name, u.organisation.name, u.commune.name if u.commune else "")
            for u in units_available(world.territory, 1, 0, D(2026, 3, 5), D(2026, 3, 15))
        ]
    assert found == [("Studio de la place", "CCAS des Herbiers", "Mouchamps")]


def test_the_result_never_reads_the_address(world):
    units = list(units_available(world.territory, 1, 3, D(2026, 5, 1), D(2026, 5, 2), under_three=1))
    assert names(units) == ["Refuge", "Appartement T3"]
    assert all("address" in unit.get_deferred_fields() for unit in units)


def test_an_empty_period_or_more_babies_than_children_is_refused(world):
    with pytest.raises(ValueError):
        units_available(world.territory, 1, 0, D(2026, 5, 2), D(2026, 5, 2))
    with pytest.raises(ValueError):
        units_available(world.territory, 1, 1, D(2026, 5, 1), D(2026, 5, 2), under_three=2)


def test_the_search_offers_exactly_the_units_an_allocation_accepts(world):
    """One rule (capacity.py): for every household up to the largest unit, the search's SQL filter and the
    allocation's check under the lock give the same answer on every unit."""
    units = [world.studio, world.refuge, world.flat]
    for adults, children in itertools.product(range(1, 4), range(0, 5)):
        for under_three in range(children + 1):
            ages = [1] * under_three + [8] * (children - under_three)
            searched = set(
                names(
                    units_available(
                        world.territory,
                        adults,
                        children,
                        D(2026, 5, 1),
                        D(2026, 5, 2),
                        under_three=under_three,
                    )
                )
            )
            allowed = {
                u.name for u in units if capacity.fits(u, adults, len(ages), capacity.older_children(ages))
            }
            assert searched == allowed, (adults, children, under_three)
