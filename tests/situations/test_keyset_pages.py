"""Keyset pagination (maillage/web/keyset.py) on the situation list, in every sort order: walking the pages
forwards and backwards gives every visible situation once, in the list's order, with many ties."""

import base64
import datetime
import json
import random

import pytest
from django.utils import timezone

from maillage.situations import selectors
from maillage.situations.enums import SituationStatus
from maillage.web import keyset
from tests.situations.factories import SituationFactory


@pytest.fixture
def crowded(net):
    """23 situations over 3 dates, 2 communes and 3 states: most rows tie on every column but the pk."""
    rng = random.Random(7)
    today = timezone.localdate()
    for _ in range(23):
        SituationFactory(
            territory=net.territory,
            commune=rng.choice([net.mouchamps, net.vendrennes]),
            detected_on=today - datetime.timedelta(days=rng.choice([0, 1, 40])),
            status=rng.choice([SituationStatus.NEW, SituationStatus.FOLLOWED, SituationStatus.CLOSED]),
            created_by=net["coordinator"],
        )
    return net


def walk(queryset, size: int) -> tuple[list, list]:
    """Every page from the first by `next`; then every page from the last by `previous`."""
    pages = [keyset.paginate(queryset, None, size=size)]
    while pages[-1].next_cursor is not None:
        pages.append(keyset.paginate(queryset, pages[-1].next_cursor, size=size))
    back = [pages[-1]]
    while back[0].previous_cursor is not None:
        back.insert(0, keyset.paginate(queryset, back[0].previous_cursor, size=size))
    assert back[0].is_first and not any(page.is_first for page in pages[1:])
    return [s.pk for page in pages for s in page.items], [s.pk for page in back for s in page.items]


@pytest.mark.parametrize("sort", [*selectors.SORTS, *(f"-{name}" for name in selectors.SORTS)])
@pytest.mark.parametrize("size", [1, 4, 50])
def test_every_page_in_order_once_forwards_and_backwards(crowded, sort, size):
    listed = selectors.situations_listed(crowded.actor("coordinator"), sort=sort)
    expected = list(listed.values_list("pk", flat=True))
    forward, backward = walk(listed, size)
    assert forward == expected and backward == expected


def test_pages_only_move_inside_what_the_actor_sees(crowded):
    """A cursor made on the coordinator's list and replayed by a referent of one commune: only that
    referent's situations come back."""
    coordinator = selectors.situations_listed(crowded.actor("coordinator"))
    cursor = keyset.paginate(coordinator, None, size=2).next_cursor
    referent = selectors.situations_listed(crowded.actor("referent"))
    page = keyset.paginate(referent, cursor, size=50)
    assert page.items and {s.commune_id for s in page.items} == {crowded.mouchamps.pk}


def cursor_of(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!",
        "bm90IGpzb24",
        cursor_of({"a": 1}),
        cursor_of(["a", ["2026-01-01"]]),  # one value for two columns
        cursor_of(["z", ["2026-01-01", 1]]),
        cursor_of(["a", ["2026-02-30", 1]]),
        cursor_of(["a", ["2026-01-01", 2**70]]),  # more than a bigint
        cursor_of(["a", ["2026-01-01", True]]),
        cursor_of(["a", ["2026-01-01", [1]]]),
        "A" * (keyset.MAX_CURSOR_LENGTH + 1),
    ],
)
def test_a_cursor_it_did_not_write_is_refused(crowded, cursor):
    with pytest.raises(keyset.InvalidCursor):
        keyset.paginate(selectors.situations_listed(crowded.actor("coordinator")), cursor, size=5)


def test_the_total_is_counted_up_to_the_cap(crowded):
    listed = selectors.situations_listed(crowded.actor("coordinator"))
    assert keyset.count_capped(listed) == keyset.Total(23, capped=False)
    assert keyset.count_capped(listed, cap=23) == keyset.Total(23, capped=False)
    assert keyset.count_capped(listed, cap=22) == keyset.Total(22, capped=True)
    assert str(keyset.Total(1000, capped=True)) == "plus de 1\u00a0000"
    assert str(keyset.Total(1234)) == "1\u00a0234"


def test_one_query_a_page(crowded, django_assert_num_queries):
    listed = selectors.situations_listed(crowded.actor("referent"))
    cursor = keyset.paginate(listed, None, size=2).next_cursor
    with django_assert_num_queries(1):
        keyset.paginate(listed, cursor, size=2)


@pytest.mark.parametrize("sort", ["-reperage", "etat"])
def test_a_cursor_at_a_row_starts_the_page_just_after_it(crowded, sort):
    """`cursor_at` gives the page a reader would reach by walking to that row, ties included."""
    listed = selectors.situations_listed(crowded.actor("coordinator"), sort=sort)
    expected = list(listed.values_list("pk", flat=True))
    for position in (0, 9, 21):
        cursor = keyset.cursor_at(listed[position], listed)
        page = keyset.paginate(listed, cursor, size=5)
        assert [s.pk for s in page.items] == expected[position + 1 : position + 6]
        assert page.previous_cursor is not None and not page.is_first
