"""Fixtures of the assessment tests: the shipped grids loaded through the real command's service, the small
network of the situation tests, and a situation of Mouchamps reported by the gendarmerie."""

import pytest

from tests.assessments.helpers import load_shipped_grids, situation_of
from tests.situations.worlds import Network


@pytest.fixture
def net(db):
    return Network()


@pytest.fixture
def grids(db):
    return load_shipped_grids()


@pytest.fixture
def situation(net, grids):
    return situation_of(net)
