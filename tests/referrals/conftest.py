"""The `net` fixture: the situation tests' small network (tests/situations/worlds.py), for referrals."""

import pytest

from tests.situations.worlds import Network


@pytest.fixture
def net(db):
    return Network()
