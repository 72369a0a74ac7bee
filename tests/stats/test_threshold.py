"""The territory's disclosure threshold: its coordinator sets it (never below 5), the change is audited and
applies at once to every protected figure; a concurrent change is refused, not overwritten; nobody else may
change it."""

import pytest
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from maillage.stats.models import StatisticsSettings
from maillage.stats.selectors import threshold_for
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.stats.worlds import DashboardWorld, last_year
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db
URL = reverse("statistics:threshold")


@pytest.fixture
def world():
    return DashboardWorld()


@pytest.fixture
def coordinator(client, world):
    sign_in(client, world.coordinator.user, world.coordinator)
    return client


def test_the_coordinator_sets_the_threshold_and_it_applies_at_once(coordinator, client, world):
    page = coordinator.get(URL)
    assert page.status_code == 200
    assert 'value="11"' in page.text
    response = coordinator.post(URL, {"seuil": "13", "vu": "11"})
    assert response.status_code == 302
    assert threshold_for(world.territory) == 13
    entry = AuditEntry.objects.get(action=AuditAction.STATISTICS_THRESHOLD_CHANGED)
    assert entry.changes == {"threshold": [11, 13]}
    # The large commune's 12 situations are now below the threshold too.
    sign_in(client, world.observer.user, world.observer)
    page = client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    assert "&lt; 13" in page.text and "&lt; 11" not in page.text


def test_the_same_form_sent_twice_changes_once(coordinator, world):
    for _ in range(2):
        assert coordinator.post(URL, {"seuil": "15", "vu": "11"}).status_code == 302
    assert threshold_for(world.territory) == 15
    assert AuditEntry.objects.filter(action=AuditAction.STATISTICS_THRESHOLD_CHANGED).count() == 1


@pytest.mark.parametrize(("value", "message"), [("4", "supérieure ou égale à 5"), ("onze", "nombre entier")])
def test_a_bad_threshold_is_refused_with_a_message_and_nothing_changes(coordinator, world, value, message):
    page = coordinator.post(URL, {"seuil": value, "vu": "11"})
    assert page.status_code == 200
    assert message in page.text
    assert f'value="{value}"' in page.text  # what was typed stays in the field
    assert not StatisticsSettings.objects.exists()


def test_the_database_refuses_a_threshold_below_five_too(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticsSettings.objects.create(territory=world.territory, threshold=4)


def test_a_concurrent_change_is_refused_not_overwritten(coordinator, world):
    StatisticsSettings.objects.create(territory=world.territory, threshold=20)
    page = coordinator.post(URL, {"seuil": "12", "vu": "11"})
    assert page.status_code == 200
    assert "pendant que vous le modifiiez" in page.text
    assert threshold_for(world.territory) == 20
    # The form now carries the value seen: sending it again saves.
    assert 'name="vu" value="20"' in page.text
    assert coordinator.post(URL, {"seuil": "12", "vu": "20"}).status_code == 302
    assert threshold_for(world.territory) == 12


@pytest.mark.parametrize("role", [r for r in MEMBERSHIP_ROLES if r != Role.COORDINATOR])
def test_nobody_else_changes_it(client, world, role):
    member = MembershipFactory(territory=world.territory, roles=[role])
    sign_in(client, member.user, member)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"seuil": "5", "vu": "11"}).status_code == 403
    assert not StatisticsSettings.objects.exists()


def test_another_territorys_coordinator_changes_only_its_own(client, world):
    elsewhere = MembershipFactory(territory=TerritoryFactory(), roles=[Role.COORDINATOR])
    sign_in(client, elsewhere.user, elsewhere)
    assert client.post(URL, {"seuil": "6", "vu": "11"}).status_code == 302
    assert threshold_for(world.territory) == 11
    assert threshold_for(elsewhere.territory) == 6


def test_the_dashboard_links_to_it_for_the_coordinator_only(coordinator, client, world):
    page = coordinator.get(reverse("statistics:dashboard"), {"annee": last_year()})
    assert f'href="{URL}"' in page.text
    sign_in(client, world.observer.user, world.observer)
    assert URL not in client.get(reverse("statistics:dashboard"), {"annee": last_year()}).text
