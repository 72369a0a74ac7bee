"""The statistics dashboard and its download: exact figures for the coordinator, marked « diffusion
restreinte »; for the observer and in every file, no count from 1 to threshold − 1 and ended years only;
nobody else reaches them."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.network.enums import MEMBERSHIP_ROLES, Role
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.situations.factories import SituationFactory
from tests.spreadsheets.worlds import assert_neutralised
from tests.stats.worlds import DashboardWorld, last_year
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return DashboardWorld()


def figures(html: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r"<td>([^<]*)</td>", html)]


def test_the_coordinator_sees_exact_figures_marked_restricted(client, world):
    sign_in(client, world.coordinator.user, world.coordinator)
    page = client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    assert page.status_code == 200
    assert 'data-testid="restricted"' in page.text
    assert "Diffusion restreinte" in page.text
    assert "3" in figures(page.text)  # the small commune's situations, exactly


def test_the_observer_sees_no_count_from_1_to_10(client, world):
    sign_in(client, world.observer.user, world.observer)
    page = client.get(reverse("statistics:dashboard"))
    assert page.status_code == 200
    assert f"Statistiques {last_year()}" in page.text
    assert 'data-testid="protected"' in page.text
    shown = figures(page.text)
    assert "&lt; 11" in shown  # the small commune
    assert "15" in shown  # the whole territory's new situations
    assert not [value for value in shown if value.isdigit() and 1 <= int(value) <= 10]


def test_the_observer_cannot_choose_the_running_year(client, world):
    sign_in(client, world.observer.user, world.observer)
    this_year = timezone.localdate().year
    page = client.get(reverse("statistics:dashboard"), {"annee": this_year})
    assert f"Statistiques {last_year()}" in page.text
    assert f'<option value="{this_year}"' not in page.text


@pytest.mark.parametrize("role", [r for r in MEMBERSHIP_ROLES if r not in (Role.COORDINATOR, Role.OBSERVER)])
def test_other_roles_are_refused(client, world, role):
    member = MembershipFactory(territory=world.territory, roles=[role])
    sign_in(client, member.user, member)
    assert client.get(reverse("statistics:dashboard")).status_code == 403
    assert (
        client.get(reverse("statistics:export"), {"annee": last_year(), "format": "csv"}).status_code == 403
    )


def test_another_territory_counts_nothing_of_this_one(client, world):
    elsewhere = MembershipFactory(territory=TerritoryFactory(), roles=[Role.COORDINATOR])
    sign_in(client, elsewhere.user, elsewhere)
    page = client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    assert page.status_code == 200
    assert "Petite-Commune" not in page.text
    assert "15" not in figures(page.text)


@pytest.mark.parametrize("who", ["coordinator", "observer"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_is_protected_for_everyone(client, world, who, file_format):
    member = getattr(world, who)
    sign_in(client, member.user, member)
    response = client.get(reverse("statistics:export"), {"annee": last_year(), "format": file_format})
    assert response.status_code == 200
    rows = assert_neutralised(response.content, file_format)
    assert rows[0] == ["Indicateur", "Ligne", "Colonne", "Valeur"]
    values = [str(row[3]) for row in rows[1:]]
    assert "< 11" in values
    assert not [v for v in values if v.isdigit() and 1 <= int(v) <= 10]
    small = [row for row in rows if row[1] == "Petite-Commune"]
    assert small and all(str(row[3]) in ("0", "< 11", "secret") for row in small)


def test_the_running_year_is_not_downloaded(client, world):
    sign_in(client, world.coordinator.user, world.coordinator)
    response = client.get(reverse("statistics:export"), {"annee": timezone.localdate().year, "format": "csv"})
    assert response.status_code == 400
    assert "année terminée" in response.text


def test_the_dashboard_reads_in_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    sign_in(client, world.coordinator.user, world.coordinator)
    client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    with django_assert_max_num_queries(80) as first:
        client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    for _ in range(10):
        SituationFactory(territory=world.territory, commune=world.large, created_by=world.coordinator)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("statistics:dashboard"), {"annee": last_year()})


def test_without_a_year_the_download_is_the_last_ended_year(client, world):
    sign_in(client, world.observer.user, world.observer)
    response = client.get(reverse("statistics:export"), {"format": "csv"})
    assert response.status_code == 200
    assert f"statistiques-{last_year()}" in response["Content-Disposition"]
