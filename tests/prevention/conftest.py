"""`world`: the prevention tests' small network (tests/prevention/worlds.py), built once per module; what a
test writes is undone after it (tests/db.py)."""

import copy

import pytest

from tests.prevention.worlds import World


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(World) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return copy.deepcopy(shared_world)
