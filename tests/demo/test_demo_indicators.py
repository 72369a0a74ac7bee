"""The yearly indicators on the demonstration (issue 15, item 2): each table of stats/indicators checked
against an independent query written here in plain SQL on the apps' tables (SQLite: json_each for the
sources, julianday for the nights) — another way to the same numbers, not a copy of the ORM's. This year and
last year, for the whole territory and for two of its communes. The demo is loaded once for the module
(tests/db.py), with a few dozen situations."""

# ruff: noqa: S608 — the SQL is put together from this module's constants, column names and integers only.

import datetime
import uuid
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.utils import timezone

from maillage.stats.indicators import INDICATORS, Scope, compute
from maillage.territories.models import Territory
from tests.demo.loading import HERBIERS, demo_loaded

pytestmark = pytest.mark.whole_app


@pytest.fixture(scope="module")
def loaded(built_once, tmp_path_factory):
    with demo_loaded(built_once, tmp_path_factory, situations=30):
        yield


@pytest.fixture
def herbiers(loaded, db):
    return Territory.objects.get(name=HERBIERS)


def scopes(territory):
    """This year and last year, whole territory and its first two communes by name."""
    this_year = timezone.localdate().year
    two = [
        pk
        for (pk,) in sql(
            "SELECT id FROM territories_commune WHERE territory_id = %s ORDER BY name, id LIMIT 2",
            territory.pk,
        )
    ]
    return [
        Scope.of(territory, year, communes) for year in (this_year, this_year - 1) for communes in (None, two)
    ]


def sql(query, *params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


class Bounds:
    """The period's bounds as the database stores them: date-times in UTC text (midnight in Paris), dates."""

    def __init__(self, scope):
        utc = datetime.UTC
        start = datetime.datetime(scope.year, 1, 1, tzinfo=timezone.get_current_timezone())
        end = datetime.datetime(scope.year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
        self.start = start.astimezone(utc).strftime("%Y-%m-%d %H:%M:%S")
        self.end = end.astimezone(utc).strftime("%Y-%m-%d %H:%M:%S")
        self.first_day = f"{scope.year}-01-01"
        self.next_year = f"{scope.year + 1}-01-01"
        self.days = (datetime.date(scope.year + 1, 1, 1) - datetime.date(scope.year, 1, 1)).days
        self.territory = scope.territory.pk
        if scope.communes is None:
            self.communes = ""
        else:
            self.communes = "AND {col} IN (" + ",".join(str(pk) for pk in sorted(scope.communes)) + ")"

    def on(self, column):
        return self.communes.format(col=column)


def table_dict(scope, name):
    """The indicator as {row key: {column key: count}}, zeros left out."""
    result = {}
    for row, cells in compute(name, scope).as_dict().items():
        kept = {column: n for column, n in cells.items() if n}
        if kept:
            result[row] = kept
    return result


def public(value) -> str:
    """A public id as the indicators key their rows (a UUID's text with dashes), from the raw column
    (32 hex digits on SQLite, a UUID on PostgreSQL)."""
    return str(uuid.UUID(str(value)))


def grouped(rows):
    """[(row, column, n)] → {row: {column: n}}, zeros left out."""
    result = defaultdict(dict)
    for row, column, n in rows:
        if n:
            result[str(row)][str(column)] = result[str(row)].get(str(column), 0) + n
    return dict(result)


def active(b, alias="s"):
    return (
        f"{alias}.created_at < '{b.end}' AND ({alias}.closed_at IS NULL OR {alias}.closed_at >= '{b.start}')"
    )


def expected_situations(b):
    ((new, act, closed),) = sql(
        f"""SELECT
            SUM(CASE WHEN s.created_at >= %s AND s.created_at < %s THEN 1 ELSE 0 END),
            SUM(CASE WHEN {active(b)} THEN 1 ELSE 0 END),
            SUM(CASE WHEN s.closed_at >= %s AND s.closed_at < %s THEN 1 ELSE 0 END)
        FROM situations_situation s WHERE s.territory_id = %s {b.on("s.commune_id")}""",
        b.start,
        b.end,
        b.start,
        b.end,
        b.territory,
    )
    return grouped(
        [
            ("new", "situations", new or 0),
            ("active", "situations", act or 0),
            ("closed", "situations", closed or 0),
        ]
    )


def expected_situations_by_commune(b):
    rows = sql(
        f"""SELECT c.public_id, s.created_at, s.closed_at FROM situations_situation s
        JOIN territories_commune c ON c.id = s.commune_id
        WHERE s.territory_id = %s {b.on("s.commune_id")}""",
        b.territory,
    )
    counts = []
    for commune_id, created, closed in rows:  # the slow obvious way, per situation
        commune = public(commune_id)
        created, closed = str(created), closed and str(closed)
        counts.append((commune, "new", int(b.start <= created < b.end)))
        counts.append((commune, "active", int(created < b.end and (closed is None or closed >= b.start))))
        counts.append((commune, "closed", int(closed is not None and b.start <= closed < b.end)))
    return grouped(counts)


def band(age):
    if age is None:
        return "unknown"
    for limit, key in (
        (18, "under_18"),
        (25, "18_24"),
        (35, "25_34"),
        (45, "35_44"),
        (55, "45_54"),
        (65, "55_64"),
    ):
        if age < limit:
            return key
    return "65_plus"


def expected_victims(b):
    rows = sql(
        f"""SELECT p.age, p.sex, COUNT(*) FROM situations_person p
        JOIN situations_situation s ON s.id = p.situation_id
        WHERE p.role = 'victim' AND s.territory_id = %s AND {active(b)} {b.on("s.commune_id")}
        GROUP BY p.age, p.sex""",
        b.territory,
    )
    return grouped([(band(age), sex, n) for age, sex, n in rows])


def expected_children(b):
    rows = sql(
        f"""SELECT (SELECT COUNT(*) FROM situations_person p WHERE p.situation_id = s.id AND p.role = 'child')
        FROM situations_situation s WHERE s.territory_id = %s AND {active(b)} {b.on("s.commune_id")}""",
        b.territory,
    )
    counts = []
    for (n,) in rows:
        bucket = str(min(n, 3))
        counts += [(bucket, "situations", 1), (bucket, "children", n)]
    return grouped(counts)


def expected_sources(b):
    rows = sql(
        f"""SELECT j.value, 'situations', COUNT(DISTINCT s.id)
        FROM situations_situation s, json_each(s.sources) j
        WHERE s.territory_id = %s AND s.created_at >= %s AND s.created_at < %s {b.on("s.commune_id")}
        GROUP BY j.value""",
        b.territory,
        b.start,
        b.end,
    )
    return grouped(rows)


def _referrals(b, destination):
    return sql(
        f"""SELECT {destination}, r.status, COUNT(*) FROM referrals_referral r
        JOIN situations_situation s ON s.id = r.situation_id
        JOIN network_organisation o ON o.id = r.receiver_id
        WHERE s.territory_id = %s AND r.created_at >= %s AND r.created_at < %s {b.on("s.commune_id")}
        GROUP BY {destination}, r.status""",
        b.territory,
        b.start,
        b.end,
    )


def expected_referrals_by_kind(b):
    return grouped(_referrals(b, "o.kind"))


def expected_referrals_by_organisation(b):
    return grouped((public(row), column, n) for row, column, n in _referrals(b, "o.public_id"))


def expected_stays(b):
    nights = f"julianday(MIN(st.ends_on, '{b.next_year}')) - julianday(MAX(st.starts_on, '{b.first_day}'))"
    ((stays, adults, children, n, people_nights),) = sql(
        f"""SELECT COUNT(*), SUM(st.adults), SUM(st.children), SUM({nights}),
            SUM(({nights}) * (st.adults + st.children))
        FROM housing_stay st JOIN housing_housingunit u ON u.id = st.unit_id
        JOIN situations_situation s ON s.id = st.situation_id
        WHERE u.territory_id = %s AND st.status IN ('in_progress', 'ended')
          AND st.starts_on < %s AND st.ends_on > %s {b.on("s.commune_id")}""",
        b.territory,
        b.next_year,
        b.first_day,
    )
    ((units,),) = sql("SELECT COUNT(*) FROM housing_housingunit WHERE territory_id = %s", b.territory)
    values = {
        "stays": stays,
        "adults": adults,
        "children": children,
        "nights": n,
        "people_nights": people_nights,
        "available_nights": units * b.days,
    }
    return grouped([(key, "count", int(value or 0)) for key, value in values.items()])


def expected_stay_exits(b):
    return grouped(
        sql(
            f"""SELECT st.exit_solution, 'stays', COUNT(*) FROM housing_stay st
        JOIN housing_housingunit u ON u.id = st.unit_id JOIN situations_situation s ON s.id = st.situation_id
        WHERE u.territory_id = %s AND st.status = 'ended' AND st.ends_on > %s AND st.ends_on <= %s
        {b.on("s.commune_id")} GROUP BY st.exit_solution""",
            b.territory,
            b.first_day,
            b.next_year,
        )
    )


def expected_measures(b):
    return grouped(
        sql(
            f"""SELECT m.kind, m.status, COUNT(*) FROM protection_protectivemeasure m
        JOIN situations_situation s ON s.id = m.situation_id
        WHERE s.territory_id = %s {b.on("s.commune_id")} AND (
            (m.recorded_at >= %s AND m.recorded_at < %s)
            OR (m.status IN ('in_force', 'ended') AND m.starts_on < %s
                AND (m.ends_on IS NULL OR m.ends_on >= %s)))
        GROUP BY m.kind, m.status""",
            b.territory,
            b.start,
            b.end,
            b.next_year,
            b.first_day,
        )
    )


def expected_meetings(b):
    held = "m.territory_id = %s AND m.status = 'closed' AND m.starts_at >= %s AND m.starts_at < %s"
    ((meetings,),) = sql(f"SELECT COUNT(*) FROM meetings_meeting m WHERE {held}", b.territory, b.start, b.end)
    ((items, situations),) = sql(
        f"""SELECT COUNT(*), COUNT(DISTINCT i.situation_id) FROM meetings_agendaitem i
        JOIN meetings_meeting m ON m.id = i.meeting_id WHERE i.reviewed_at IS NOT NULL AND {held}""",
        b.territory,
        b.start,
        b.end,
    )
    return grouped(
        [("meetings", "count", meetings), ("items", "count", items), ("situations", "count", situations)]
    )


def expected_prevention(b):
    rows = sql(
        f"""SELECT kind, COUNT(*), COALESCE(SUM(people_reached), 0) FROM prevention_preventionevent e
        WHERE territory_id = %s AND held_on >= %s AND held_on < %s {b.on("e.commune_id")} GROUP BY kind""",
        b.territory,
        b.first_day,
        b.next_year,
    )
    return grouped(
        [(kind, "events", n) for kind, n, _ in rows] + [(kind, "reached", r) for kind, _, r in rows]
    )


TRAININGS = "t.territory_id = %s AND t.held_on >= %s AND t.held_on < %s"


def expected_trainings(b):
    sessions = sql(
        f"SELECT t.topic, 'sessions', COUNT(*) FROM prevention_training t WHERE {TRAININGS} GROUP BY t.topic",
        b.territory,
        b.first_day,
        b.next_year,
    )
    people = sql(
        f"""SELECT t.topic, 'people', SUM(a.attendees) FROM prevention_trainingattendance a
        JOIN prevention_training t ON t.id = a.training_id WHERE {TRAININGS} GROUP BY t.topic""",
        b.territory,
        b.first_day,
        b.next_year,
    )
    return grouped(sessions + people)


def expected_training_organisations(b):
    ((trainers,),) = sql(
        f"""SELECT COUNT(DISTINCT x.organisation_id) FROM prevention_training_trainer_organisations x
        JOIN prevention_training t ON t.id = x.training_id WHERE {TRAININGS}""",
        b.territory,
        b.first_day,
        b.next_year,
    )
    ((attending,),) = sql(
        f"""SELECT COUNT(DISTINCT a.organisation_id) FROM prevention_trainingattendance a
        JOIN prevention_training t ON t.id = a.training_id WHERE {TRAININGS}""",
        b.territory,
        b.first_day,
        b.next_year,
    )
    return grouped([("trainers", "organisations", trainers), ("attending", "organisations", attending)])


def expected_referents(b):
    rows = sql(
        f"""SELECT c.public_id, r.kind, COUNT(*) FROM network_communereferent r
        JOIN territories_commune c ON c.id = r.commune_id JOIN network_membership m ON m.id = r.membership_id
        WHERE c.territory_id = %s AND m.is_active {b.on("r.commune_id")} GROUP BY c.public_id, r.kind""",
        b.territory,
    )
    return grouped((public(row), column, n) for row, column, n in rows)


EXPECTED = {name[len("expected_") :]: f for name, f in globals().items() if name.startswith("expected_")}
WHOLE_TERRITORY = {"meetings", "trainings", "training_organisations"}


def test_every_indicator_has_its_independent_query():
    assert set(EXPECTED) == {indicator.name for indicator in INDICATORS}


@pytest.mark.parametrize("name", [indicator.name for indicator in INDICATORS])
def test_indicator_matches_its_sql(herbiers, name):
    seen = Counter()
    for scope in scopes(herbiers):
        bounds = Bounds(scope)
        if name in WHOLE_TERRITORY:
            bounds.communes = ""
        expected = EXPECTED[name](bounds)
        assert table_dict(scope, name) == expected, (scope.year, scope.communes)
        seen[scope.communes is None] += sum(n for cells in expected.values() for n in cells.values())
    assert seen[True], f"the demo gives {name} something to count"
