"""The recognition pages and their download under disclosure control: the figures about situations,
referrals and stays are exact for the coordinator alone (« diffusion restreinte »); for every other member
and in the file they are published for ended years only, counts from 1 to 10 shown « < 11 » and a count that
the network's total would give away « secret »."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from maillage.network.enums import Role
from maillage.stats import recognition_disclosure
from maillage.stats.recognition import FIGURES, OrganisationFigures, Period
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.spreadsheets.worlds import assert_neutralised
from tests.stats.worlds import this_year

pytestmark = pytest.mark.django_db

SENSITIVE = set(recognition_disclosure.SENSITIVE)


@pytest.fixture
def world(small_world):
    return small_world


def figure(page, name: str) -> str | None:
    marker = f'data-figure="{name}">'
    if marker not in page.text:
        return None
    return page.text.split(marker, 1)[1].split("<", 1)[0].replace("&lt;", "<")


def test_the_coordinator_reads_exact_figures_marked_restricted(client, world):
    sign_in(client, world.coordinator.user, world.coordinator)
    page = client.get(reverse("recognition:network"), {"annee": world.last_year})
    assert 'data-testid="restricted"' in page.text
    assert figure(page, "referrals_sent") == "3"
    page = client.get(
        reverse("recognition:organisation", args=[world.association.public_id]), {"annee": world.last_year}
    )
    assert figure(page, "referrals_received") == "3"
    assert figure(page, "referrals_accepted") == "2"


@pytest.mark.parametrize("role", [Role.OBSERVER, Role.PROFESSIONAL, Role.REFERENT, Role.DPO])
def test_other_members_read_an_ended_year_protected(client, world, role):
    member = MembershipFactory(territory=world.territory, organisation=world.association, roles=[role])
    sign_in(client, member.user, member)
    page = client.get(reverse("recognition:network"), {"annee": world.last_year})
    assert 'data-testid="protected"' in page.text
    assert figure(page, "referrals_sent") == "< 11"
    assert figure(page, "situations_reported") == "24"  # 3 + 7 + 14, all by the gendarmerie
    page = client.get(
        reverse("recognition:organisation", args=[world.association.public_id]), {"annee": world.last_year}
    )
    assert figure(page, "referrals_received") == "< 11"
    assert figure(page, "referrals_accepted") == "< 11"
    assert figure(page, "trainings_given") == "1"  # the partner's work is not a count of people: exact


@pytest.mark.parametrize("year", ["running", "all"])
def test_other_members_read_no_such_figure_for_the_running_year_nor_all_years(client, world, year):
    sign_in(client, world.observer.user, world.observer)
    asked = this_year() if year == "running" else ""
    for url in (
        reverse("recognition:network"),
        reverse("recognition:organisation", args=[world.gendarmerie.public_id]),
    ):
        page = client.get(url, {"annee": asked})
        assert 'data-testid="omitted"' in page.text
        for name in SENSITIVE:
            assert figure(page, name) is None
        assert figure(page, "meetings") is not None


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_download_is_protected_whoever_asks(client, world, who):
    member = getattr(world, who)
    sign_in(client, member.user, member)
    response = client.get(reverse("recognition:export"), {"annee": world.last_year, "format": "csv"})
    header, *rows = assert_neutralised(response.content, "csv")
    columns = [i for i, title in enumerate(header) if title in {dict(FIGURES)[n] for n in SENSITIVE}]
    assert len(columns) == len(SENSITIVE)
    values = [str(row[i]) for row in rows for i in columns]
    assert "< 11" in values
    assert not [v for v in values if v.isdigit() and 1 <= int(v) <= 10]
    running = client.get(reverse("recognition:export"), {"annee": this_year(), "format": "csv"})
    header, *_ = assert_neutralised(running.content, "csv")
    assert not {dict(FIGURES)[n] for n in SENSITIVE} & set(header)


def _figures(values: list[dict]) -> list[OrganisationFigures]:
    return [
        OrganisationFigures(
            SimpleNamespace(name=f"Partenaire {i}", pk=i), {n: v.get(n, 0) for n, _ in FIGURES}
        )
        for i, v in enumerate(values)
    ]


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.fixed_dictionaries({name: counts for name in sorted(SENSITIVE)}), min_size=1, max_size=6))
def test_random_partners_publish_no_small_count_nor_a_hidden_one_alone(partners):
    figures = _figures(partners)
    totals = {name: sum(p.get(name, 0) for p in partners) for name, _ in FIGURES}
    totals["situations_followed"] = max(p["situations_followed"] for p in partners)  # not additive
    shown = recognition_disclosure.shown(
        figures, totals, period=Period(2025), threshold=11, exact=False, today=datetime.date(2026, 12, 1)
    )
    for name in SENSITIVE:
        column = [f[name] for f in shown.figures]
        published = [*column, shown.totals[name]]
        assert not [v for v in published if isinstance(v, int) and 1 <= v <= 10]
        if recognition_disclosure.SENSITIVE[name] and isinstance(shown.totals[name], int):
            # With the total published, never a single hidden count in the column.
            assert sum(1 for v in column if isinstance(v, str)) != 1


def test_a_total_that_is_not_the_partners_sum_is_hidden():
    figures = _figures([{"stays": 14}, {"stays": 3}])
    totals = {name: 0 for name, _ in FIGURES} | {"stays": 20}
    shown = recognition_disclosure.shown(
        figures, totals, period=Period(2025), threshold=11, exact=False, today=datetime.date(2026, 12, 1)
    )
    assert [f["stays"] for f in shown.figures] == [14, "< 11"]
    assert shown.totals["stays"] == "secret"
