"""The `cell` fixture: the small network with its working group and charter (tests/meetings/worlds.py)."""

import pytest

from tests.meetings.worlds import Cell


@pytest.fixture
def cell(db):
    return Cell()
