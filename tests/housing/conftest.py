import pytest

from tests.housing.worlds_units import HousingWorld


@pytest.fixture
def units_world(db):
    return HousingWorld()
