"""`small_world`: the published statistics' territory of small counts (tests/stats/worlds.py::SmallWorld),
built once per module; what a test writes is undone after it (tests/db.py)."""

import copy

import pytest

from tests.stats.worlds import SmallWorld


@pytest.fixture(scope="module")
def shared_small_world(built_once):
    with built_once(SmallWorld) as world:
        yield world


@pytest.fixture
def small_world(shared_small_world, db):
    return copy.deepcopy(shared_small_world)
