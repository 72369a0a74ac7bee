"""The month calendar: cells, who sees a pseudonym, a fixed number of queries."""

import pytest

from maillage.housing.calendar import FREE, OCCUPIED, OUT_OF_SERVICE, PLANNED, month_calendar, parse_month
from maillage.housing.enums import StayStatus, UnitStatus
from tests.housing.factories_calendar import D, HousingWorld

pytestmark = pytest.mark.django_db

TODAY = D(2026, 5, 15)


@pytest.fixture
def world():
    world = HousingWorld()
    world.ending = world.stay(world.studio, D(2026, 4, 28), D(2026, 5, 3), status=StayStatus.ENDED)
    world.current = world.stay(world.flat, D(2026, 5, 10), D(2026, 5, 20))
    world.planned = world.stay(world.refuge, D(2026, 5, 30), D(2026, 6, 12), status=StayStatus.PLANNED)
    world.stay(world.studio, D(2026, 5, 5), D(2026, 5, 8), status=StayStatus.CANCELLED)
    return world


def states(month, name):
    (row,) = [row for row in month.rows if row.unit.name == name]
    return {cell.day.day: cell.state for cell in row.cells if cell.state != FREE}, row


def test_cells_say_free_planned_occupied_or_out_of_service(world):
    world.studio.status = UnitStatus.OUT_OF_SERVICE
    world.studio.save()
    month = month_calendar(world.actor("coordinator"), D(2026, 5, 1), today=TODAY)
    assert month.title == "mai 2026" and len(month.days) == 31
    assert (month.previous, month.next) == (D(2026, 4, 1), D(2026, 6, 1))
    studio, _ = states(month, "Studio de la place")
    # Occupied 1–2 May (leaves the morning of the 3rd); out of service from today on (its past unknown).
    assert studio == {1: OCCUPIED, 2: OCCUPIED, **{d: OUT_OF_SERVICE for d in range(15, 32)}}
    flat, _ = states(month, "Appartement T3")
    assert flat == {d: OCCUPIED for d in range(10, 20)}
    refuge, row = states(month, "Refuge")
    assert refuge == {30: PLANNED, 31: PLANNED}
    assert row.commune == ""  # a secret unit shows no commune


def test_only_the_coordinator_and_the_units_managers_see_a_pseudonym(world):
    pseudonym = world.current.situation.pseudonym

    def shown(name):
        month = month_calendar(world.actor(name), D(2026, 5, 1), today=TODAY)
        _, row = states(month, "Appartement T3")
        return {cell.pseudonym for cell in row.cells if cell.state == OCCUPIED}, month.named_stays

    assert shown("coordinator")[0] == {pseudonym}
    assert shown("housing_manager")[0] == {pseudonym}  # the CCAS keeps the flat
    assert [s.pseudonym for s in shown("housing_manager")[1]] == [pseudonym, world.ending.situation.pseudonym]
    for name in ("referent", "gendarme"):
        assert shown(name) == ({""}, [])
    # The refuge's managers see the refuge's stays only.
    flat_cells, named = shown("refuge_manager")
    assert flat_cells == {""}
    assert [(s.unit_name, s.pseudonym) for s in named] == [("Refuge", world.planned.situation.pseudonym)]


def test_roles_without_the_calendar_see_no_unit(world):
    for name in ("org_admin", "observer", "dpo"):
        assert month_calendar(world.actor(name), D(2026, 5, 1), today=TODAY).rows == []


def test_built_in_two_queries_whatever_the_stays(world, django_assert_num_queries):
    for day in (1, 3, 5, 21, 23, 25):
        world.stay(world.refuge, D(2026, 5, day), D(2026, 5, day + 2), status=StayStatus.ENDED)
    actor = world.actor("coordinator")
    with django_assert_num_queries(2):
        month_calendar(actor, D(2026, 5, 1), today=TODAY)


def test_the_month_is_read_from_the_address_bar_or_is_this_one():
    assert parse_month("2026-02", TODAY) == D(2026, 2, 1)
    for wrong in (None, "", "2026-13", "février", "2026-02-03"):
        assert parse_month(wrong, TODAY) == D(2026, 5, 1)
