"""The list's queries can be answered from their indexes (migration 0011, ADR 0045), checked on PostgreSQL's
plans. A test database is too small for the planner to prefer an index by itself, so sequential scans and
sorts are priced out (`enable_seqscan`, `enable_sort` off): what remains tells whether an index *can* serve
the statement — the property a large database needs. `docs/performance/` keeps the plans at scale."""

import pytest
from django.db import connection

from maillage.situations import names, selectors
from maillage.web import keyset
from tests.situations.factories import report_situation

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


@pytest.fixture
def listed(net):
    for _ in range(5):
        report_situation(net["gendarme"], commune=net.mouchamps)  # the gendarmerie takes part
    return net


def page_query(queryset, cursor=None):
    """The statement `keyset.paginate` sends, without running it."""
    captured = []

    class Capture(Exception):
        pass

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        raise Capture

    with connection.execute_wrapper(capture), pytest.raises(Capture):
        keyset.paginate(queryset, cursor, size=50)
    return captured[0]


def explain(statement) -> str:
    sql, params = statement
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_coordinators_pages_walk_the_list_order_index(listed):
    situations = selectors.situations_listed(listed.actor("coordinator"))
    cursor = keyset.paginate(situations, None, size=2).next_cursor
    for statement in (page_query(situations), page_query(situations, cursor)):
        plan = explain(statement)
        assert "situation_list_order" in plan and "Sort" not in plan, plan


def test_a_professionals_list_reads_participations_by_organisation(listed):
    plan = explain(page_query(selectors.situations_listed(listed.actor("gendarme"))))
    assert "participation_organisation" in plan, plan


def test_the_pseudonym_search_matches_the_trigram_index(listed):
    """The planner picks the trigram index only on a large table (docs/performance/ shows it at scale): here,
    that it exists and is built on the very expression the search sends."""
    sql, _ = page_query(selectors.situations_listed(listed.actor("coordinator"), {"q": "2026-50"}))
    assert 'UPPER("situations_situation"."pseudonym"::text) LIKE UPPER(' in sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'situation_pseudonym_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin (upper((pseudonym)::text) gin_trgm_ops)" in definition


@pytest.mark.parametrize("who", ["coordinator", "gendarme"])
def test_the_homes_situations_without_referent_walk_their_partial_index(listed, who):
    """The « À traiter » home's first lines: read in order from `situation_without_referent`, not sorted."""
    queryset = selectors.situations_without_referent(listed.actor(who))[:5]
    plan = explain(queryset.query.sql_with_params())
    assert "situation_without_referent" in plan and "Sort" not in plan, plan


def test_a_professionals_visibility_is_a_semi_join_not_a_sub_plan(listed):
    """Without an individual access, nothing is OR'ed with the participation: PostgreSQL may walk the list's
    order probing the participation of each row, or start from the organisation's participations, by their
    estimated counts — not build a hash of every participation of the organisation before the first row."""
    plan = explain(page_query(selectors.situations_listed(listed.actor("gendarme"))))
    assert "SubPlan" not in plan and "participation_organisation" in plan, plan


def test_the_name_search_reads_the_words_index_without_visiting_persons(listed, monkeypatch):
    """Both steps of `names.with_name`: the situations bearing the name, from the words' index; and, for a
    name borne more often than SELECTIVE_NAME, the EXISTS probed for each situation, from the same index."""
    name = "Camille Exemple"
    bearing = names._situations_bearing(names.name_words(name))[: names.SELECTIVE_NAME + 1]
    plan = explain(bearing.query.sql_with_params())
    assert "name_token_word" in plan and "situations_person " not in plan, plan
    monkeypatch.setattr(names, "SELECTIVE_NAME", 0)
    for who in ("coordinator", "referent", "gendarme"):
        found = names.with_name(selectors.situations_listed(listed.actor(who)), name)
        for statement in (page_query(found), found.order_by()[:1001].query.sql_with_params()):
            plan = explain(statement)
            assert "name_token_word" in plan and "situations_person " not in plan, plan


def test_the_lists_total_is_counted_along_the_list_order_index(listed):
    """The page's total is its first 1,001 rows in the list's order: at 1 M situations, a walk of the
    primary key reached a professional's open situations (the recent ones) last (docs/performance.md)."""
    captured = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("SELECT COUNT(*)") and "situations_situation" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    session_client = listed.client("gendarme")
    with connection.execute_wrapper(capture):
        assert session_client.get("/situations/?tri=commune").status_code == 200
    (statement,) = captured
    plan = explain(statement)
    assert "ORDER BY" in statement[0] and "situation_list_order" in plan and "Sort" not in plan, plan


def test_the_homes_count_of_situations_without_referent_walks_their_partial_index(listed):
    captured = []

    def capture(execute, sql, params, many, context):
        if sql.startswith("SELECT COUNT(*)") and "situations_situation" in sql and "referent_id" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        assert listed.client("gendarme").get("/").status_code == 200
    (statement,) = captured
    plan = explain(statement)
    assert "situation_without_referent" in plan and "Sort" not in plan, plan
