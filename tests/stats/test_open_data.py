"""The open-data file of the statistics (/statistiques/donnees-ouvertes.csv and .json): protected whoever
downloads it — no count from 1 to threshold − 1, ended years only, the whole territory — the same figures in
both shapes and in the observer's API, a dated attachment, an audit entry, and a link from the dashboard."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from maillage.stats.indicators import INDICATORS
from maillage.stats.open_data import HEADER
from tests.api.helpers import bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.spreadsheets.worlds import assert_neutralised
from tests.stats.worlds import small_counts, strings, this_year

pytestmark = pytest.mark.django_db

CSV = "statistics:open_data_csv"
JSON = "statistics:open_data_json"


@pytest.fixture
def world(small_world):
    return small_world


def signed_in(membership) -> Client:
    return sign_in(Client(), membership.user, membership)


def csv_values(content: bytes) -> list[list]:
    rows = assert_neutralised(content, "csv")
    assert tuple(rows[0]) == HEADER
    return rows[1:]


def json_values(document: dict) -> dict:
    """{(indicator, row key, column key): figure} of the JSON document, totals included."""
    values = {}
    for table in document["indicators"]:
        for row in table["rows"]:
            for column, value in zip(table["columns"], row["cells"], strict=True):
                values[(table["name"], row["key"], column["key"])] = value
            if table["row_total"]:
                values[(table["name"], row["key"], "total")] = row["total"]
        if table["total_row"]:
            for column, value in zip(table["columns"], table["total_row"]["cells"], strict=True):
                values[(table["name"], "total", column["key"])] = value
            if table["total_row"]["total"] is not None:
                values[(table["name"], "total", "total")] = table["total_row"]["total"]
    return values


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_csv_is_protected_for_everyone(world, who):
    for year in (world.last_year, world.years_before):
        response = signed_in(getattr(world, who)).get(reverse(CSV), {"annee": year})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        today = timezone.localdate()
        assert response["Content-Disposition"] == (
            f'attachment; filename="donnees-ouvertes-territoire-publie-{year}-{today:%Y-%m-%d}.csv"'
        )
        rows = csv_values(response.content)
        figures = [row[6] for row in rows]
        assert "< 11" in figures and ("secret" in figures or year != world.last_year)
        assert not [v for v in figures if v.isdigit() and 1 <= int(v) <= 10], year
        # Every indicator has lines; the year before had no referral to list by receiving organisation.
        missing = set() if year == world.last_year else {"referrals_by_organisation"}
        assert {row[0] for row in rows} == {indicator.name for indicator in INDICATORS} - missing
        small = [row for row in rows if row[2] == str(world.small.public_id)]
        assert small and {row[3] for row in small} == {"Petite-Commune"}
        assert all(row[6] in ("0", "< 11", "secret") for row in small)


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_json_is_protected_for_everyone_and_says_how_to_read_it(world, who):
    response = signed_in(getattr(world, who)).get(reverse(JSON), {"annee": world.last_year})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="donnees-ouvertes-territoire-publie-{world.last_year}-{today:%Y-%m-%d}.json"'
    )
    document = response.json()
    assert small_counts(document) == []
    assert {"< 11", "secret"} <= set(strings(document))
    metadata = document["metadata"]
    assert metadata["territory"] == "Territoire publié"
    assert metadata["year"] == world.last_year and metadata["threshold"] == 11
    assert metadata["generated_on"] == today.isoformat()
    assert metadata["licence"] == "Licence Ouverte / Open Licence 2.0"
    assert (
        "de 1 à 10" in metadata["note"]
        and "« < 11 »" in metadata["note"]
        and "« secret »" in metadata["note"]
    )
    assert [table["name"] for table in document["indicators"]] == [i.name for i in INDICATORS]
    assert not any(table["restricted"] for table in document["indicators"])


def test_the_csv_the_json_and_the_observers_api_carry_the_same_figures(world):
    client = signed_in(world.coordinator)
    document = client.get(reverse(JSON), {"annee": world.last_year}).json()
    from_json = json_values(document)
    from_csv = {(row[0], row[2], row[4]): row[6] for row in csv_values(client.get(reverse(CSV)).content)}
    assert from_csv == {key: str(value) for key, value in from_json.items()}
    _, key = create_token(world.observer)
    api = Client(headers=bearer(key)).get("/api/v1/statistics/indicators", {"year": world.last_year}).json()
    assert api["indicators"] == document["indicators"]


def test_each_download_is_recorded_without_its_figures(world):
    client = signed_in(world.observer)
    client.get(reverse(CSV), {"annee": world.last_year})
    client.get(reverse(JSON), {"annee": world.last_year})
    spreadsheet = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_EXPORTED)
    open_data = AuditEntry.objects.get(action=AuditAction.OPEN_DATA_EXPORTED)
    for entry, file_format in ((spreadsheet, "csv"), (open_data, "json")):
        assert entry.actor_membership_id == world.observer.pk
        assert entry.territory_id == world.territory.pk
        assert {k: v for k, v in entry.changes.items() if k != "rows"} == {
            "name": f"donnees ouvertes Territoire publié {world.last_year}",
            "format": file_format,
            "kind": "open_data",
            "year": world.last_year,
            "threshold": 11,
        }
    assert spreadsheet.changes["rows"] == open_data.changes["rows"] > 100


def test_without_a_year_the_file_is_the_last_ended_years(world):
    response = signed_in(world.observer).get(reverse(JSON))
    assert response.json()["metadata"]["year"] == world.last_year


@pytest.mark.parametrize("route", [CSV, JSON])
@pytest.mark.parametrize("asked", ["running", "2003", "1999", "deux-mille"])
def test_a_year_that_may_not_be_published_is_refused(world, route, asked):
    year = this_year() if asked == "running" else asked
    response = signed_in(world.coordinator).get(reverse(route), {"annee": year})
    assert response.status_code == 400
    assert "année terminée" in response.text and "CSV ou JSON" in response.text
    assert "Content-Disposition" not in response
    assert not AuditEntry.objects.filter(
        action__in=[AuditAction.SPREADSHEET_EXPORTED, AuditAction.OPEN_DATA_EXPORTED]
    ).exists()


@pytest.mark.parametrize("role", [r for r in MEMBERSHIP_ROLES if r not in (Role.COORDINATOR, Role.OBSERVER)])
def test_other_roles_are_refused(world, role):
    client = signed_in(MembershipFactory(territory=world.territory, roles=[role]))
    for route in (CSV, JSON):
        assert client.get(reverse(route), {"annee": world.last_year}).status_code == 403


def test_another_territory_publishes_only_its_own(world):
    document = signed_in(world.other_coordinator).get(reverse(JSON), {"annee": world.last_year}).json()
    assert document["metadata"]["territory"] == "Territoire voisin"
    assert not set(strings(document)) & {"Petite-Commune", "Moyenne-Commune", "Grande-Ville"}


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_dashboard_links_the_open_data(world, who):
    page = signed_in(getattr(world, who)).get(reverse("statistics:dashboard"), {"annee": world.last_year})
    assert "Licence Ouverte / Open Licence 2.0" in page.text
    for route in (CSV, JSON):
        assert f'href="{reverse(route)}?annee={world.last_year}" download' in page.text
