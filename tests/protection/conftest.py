"""`world`: the small network of the situation tests with a situation in Mouchamps followed by the
gendarmerie, and a TGD ending within the reminder period (`MeasureWorld`, tests/protection/worlds.py)."""

import pytest

from tests.protection.worlds import MeasureWorld


@pytest.fixture
def world(db):
    return MeasureWorld()
