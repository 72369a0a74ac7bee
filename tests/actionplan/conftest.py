import pytest

from tests.actionplan.worlds import PlanWorld


@pytest.fixture
def plan(db):
    return PlanWorld()
