"""The downloads of the action plan, the events and the trainings: every cell neutralised, the territory's
data only, a year at a time, for every active member (observers included), each one in the audit trail."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.enums import Role
from tests.helpers import audit_entry_queries, sign_in
from tests.network.factories import MembershipFactory
from tests.spreadsheets.worlds import DANGEROUS, assert_neutralised, place, planted

pytestmark = pytest.mark.django_db

EXPORTS = [
    "actionplan_spreadsheets:actions_export",
    "prevention_spreadsheets:events_export",
    "prevention_spreadsheets:trainings_export",
]
FORMATS = ["csv", "xlsx"]


@pytest.fixture
def herbiers():
    herbiers = place()
    planted(herbiers)
    return herbiers


@pytest.fixture
def coordinator_client(client, herbiers):
    return sign_in(client, herbiers.coordinator.user, herbiers.coordinator)


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("route", EXPORTS)
def test_every_cell_of_every_download_is_neutralised(coordinator_client, route, file_format):
    response = coordinator_client.get(reverse(route), {"format": file_format})
    assert response.status_code == 200
    rows = assert_neutralised(response.content, file_format)
    title = 1 if "trainings" in route else 2
    # A carriage return inside a cell comes back as a line break, in both formats.
    titles = {row[title].replace("\r", "\n") for row in rows[1:]}
    assert titles == {("'" + text).replace("\r", "\n") for text in DANGEROUS}


def test_the_actions_download_reads_as_the_plan(coordinator_client, herbiers):
    response = coordinator_client.get(reverse(EXPORTS[0]), {"format": "csv"})
    rows = assert_neutralised(response.content, "csv")
    assert rows[0] == [
        "Axe",
        "Intitulé de l'axe",
        "Intitulé",
        "Description",
        "Pilote",
        "Partenaires",
        "Début",
        "Fin",
        "Statut",
        "Indicateurs (réalisé / cible)",
        "Dernier point d'avancement",
    ]
    first = next(row for row in rows if row[2] == "'+1")
    assert first == [
        "8",
        "'=Axe dangereux",
        "'+1",
        "'@description 1",
        "'+Organisation 1",
        first[5],
        "02/01/2024",
        "31/12/2024",
        "Prévue",
        "'=1+1 : 3 / 12,5 -u",
        "01/06/2024",
    ]
    # Partners in the order of names (the database's collation): one quote, before the first one.
    assert first[5][0] == "'"
    assert sorted(first[5][1:].split(", ")) == [
        "+Organisation 1",
        "-Organisation 2",
        "=Organisation 0",
        "@Organisation 3",
    ]
    assert "Action d'un autre territoire" not in response.content.decode("utf-8-sig")


def test_the_trainings_download_counts_attendees_per_organisation(coordinator_client):
    response = coordinator_client.get(reverse(EXPORTS[2]), {"format": "xlsx"})
    rows = assert_neutralised(response.content, "xlsx")
    assert rows[0][-2:] == ["Participants", "Participants par organisation"]
    assert rows[1][0] == datetime.datetime(2024, 3, 1)  # noqa: DTZ001 (a date cell, read back by openpyxl)
    assert rows[1][3] == 3.5 and rows[1][6] == 8
    assert rows[1][7][0] == "'"
    assert sorted(rows[1][7][1:].split(" ; ")) == [
        "+Organisation 1 : 2",
        "-Organisation 2 : 2",
        "=Organisation 0 : 2",
        "@Organisation 3 : 2",
    ]
    assert "Ne sort pas" not in str(rows)  # the trainers' names stay out


@pytest.mark.parametrize("file_format", FORMATS)
def test_a_download_is_an_attachment_with_a_dated_safe_name(coordinator_client, file_format):
    response = coordinator_client.get(reverse(EXPORTS[1]), {"format": file_format, "annee": "2024"})
    today = datetime.date.today()  # noqa: DTZ011 (the test runs in the project's time zone)
    assert response["Content-Disposition"] == (
        f'attachment; filename="actions-de-prevention-2024-{today:%Y-%m-%d}.{file_format}"'
    )
    assert response["Content-Type"].startswith(
        "text/csv" if file_format == "csv" else "application/vnd.openxml"
    )
    assert response["Cache-Control"].startswith("no-store")
    actions = coordinator_client.get(reverse(EXPORTS[0]), {"format": file_format})
    assert f'filename="plan-d-action-{today:%Y-%m-%d}.{file_format}"' in actions["Content-Disposition"]


def test_a_year_keeps_what_ran_that_year(coordinator_client):
    def titles(route, year):
        content = coordinator_client.get(reverse(route), {"format": "csv", "annee": year}).content
        return len(assert_neutralised(content, "csv")) - 1

    assert titles(EXPORTS[0], 2024) == len(DANGEROUS)
    assert titles(EXPORTS[0], 2025) == 0
    assert titles(EXPORTS[1], 2024) == len(DANGEROUS)
    assert titles(EXPORTS[1], 2023) == 0
    assert titles(EXPORTS[2], 2024) == len(DANGEROUS)
    assert titles(EXPORTS[2], 2025) == 0


def test_each_download_is_recorded_with_what_and_how_many(coordinator_client, herbiers):
    coordinator_client.get(reverse(EXPORTS[0]), {"format": "xlsx", "annee": "2024"})
    entry = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_EXPORTED)
    assert entry.changes == {
        "name": "plan d'action 2024",
        "format": "xlsx",
        "rows": 6,
        "kind": "actions",
        "year": 2024,
    }
    assert entry.territory_id == herbiers.territory.pk


def test_a_wrong_request_shows_the_page_again(coordinator_client):
    response = coordinator_client.get(reverse(EXPORTS[0]), {"format": "pdf", "annee": "deux mille"})
    assert response.status_code == 400
    assert "<title>Erreur : " in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_EXPORTED).exists()


@pytest.mark.parametrize("role", [role for role in Role if role != Role.PLATFORM_ADMIN])
def test_every_member_of_the_territory_downloads_observers_included(client, herbiers, role):
    member = MembershipFactory(territory=herbiers.territory, roles=[role])
    sign_in(client, member.user, member)
    for route in EXPORTS:
        assert client.get(reverse(route), {"format": "csv"}).status_code == 200
    page = client.get(reverse("prevention_spreadsheets:index"))
    assert page.status_code == 200
    assert ("Importer un fichier" in page.content.decode()) is (role == Role.COORDINATOR)


def test_a_member_elsewhere_downloads_their_own_territory_only(client, herbiers):
    elsewhere = herbiers.elsewhere
    sign_in(client, elsewhere.coordinator.user, elsewhere.coordinator)
    rows = assert_neutralised(client.get(reverse(EXPORTS[0]), {"format": "csv"}).content, "csv")
    assert [row[2] for row in rows[1:]] == ["Action d'un autre territoire"]


@pytest.mark.parametrize(("route", "prefetched"), list(zip(EXPORTS, [2, 1, 2], strict=True)))
def test_a_download_costs_a_fixed_number_of_queries(coordinator_client, route, prefetched):
    """Six rows each: the session and actor (5 queries), the rows, one query per prefetched relation, the
    audit entry (3 statements on SQLite, 2 on PostgreSQL)."""
    with CaptureQueriesContext(connection) as captured:
        assert coordinator_client.get(reverse(route), {"format": "xlsx"}).status_code == 200
    assert len(captured) == 5 + 1 + prefetched + audit_entry_queries()
