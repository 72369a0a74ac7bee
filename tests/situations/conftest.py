"""The `net` fixture: a small network for the situation tests (`Network`, tests/situations/worlds.py)."""

import pytest

from tests.situations.worlds import Network


@pytest.fixture
def net(db):
    return Network()
