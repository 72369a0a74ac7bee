"""Only the territory's coordinator imports; an upload belongs to the membership that sent it: anyone else,
another coordinator included, finds nothing there (404, as for a missing one)."""

import pytest
from django.urls import reverse

from maillage.actionplan.models import Action
from maillage.network.enums import Role
from maillage.prevention.models import PreventionEvent
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.spreadsheets.worlds import csv_file, mapping_of, place, upload

pytestmark = pytest.mark.django_db

OTHER_ROLES = [role for role in Role if role not in (Role.COORDINATOR, Role.PLATFORM_ADMIN)]
FILES = {
    "actionplan_spreadsheets": lambda p: csv_file(
        [["Axe", "Intitulé", "Pilote"], ["1", "Guide", p.organisations["CIDFF"].name]]
    ),
    "prevention_spreadsheets": lambda p: csv_file(
        [["Intitulé", "Type", "Date", "Public"], ["Stand", "Stand", "25/11/2024", "Grand public"]]
    ),
}


@pytest.fixture
def herbiers():
    return place()


def pending_upload(client, herbiers, namespace):
    """The coordinator's upload waiting at its preview: (preview URL, result URL, mapping)."""
    sign_in(client, herbiers.coordinator.user, herbiers.coordinator)
    preview_url = upload(client, namespace, FILES[namespace](herbiers), "f.csv")["Location"]
    mapping = mapping_of(client.get(preview_url))
    client.logout()
    return preview_url, preview_url + "resultat/", mapping


def nothing_imported():
    return not Action.objects.exists() and not PreventionEvent.objects.exists()


@pytest.mark.parametrize("namespace", FILES)
@pytest.mark.parametrize("role", OTHER_ROLES)
def test_no_other_role_reaches_the_import(client, herbiers, namespace, role):
    preview_url, result_url, mapping = pending_upload(client, herbiers, namespace)
    member = MembershipFactory(
        territory=herbiers.territory, organisation=herbiers.coordinator.organisation, roles=[role]
    )
    sign_in(client, member.user, member)
    upload_url = reverse(f"{namespace}:import")
    assert client.get(upload_url).status_code == 403
    assert upload(client, namespace, FILES[namespace](herbiers), "f.csv").status_code == 403
    assert client.get(preview_url).status_code == 403
    assert client.post(preview_url, {**mapping, "etape": "importer"}).status_code == 403
    assert client.get(result_url).status_code == 403
    assert nothing_imported()


@pytest.mark.parametrize("namespace", FILES)
def test_another_coordinator_cannot_see_nor_confirm_the_upload(client, herbiers, namespace):
    preview_url, result_url, mapping = pending_upload(client, herbiers, namespace)
    elsewhere = place("Pays de Pouzauges").coordinator
    same_territory = MembershipFactory(territory=herbiers.territory, roles=["coordinator"])
    for membership in (elsewhere, same_territory):
        sign_in(client, membership.user, membership)
        assert client.get(preview_url).status_code == 404
        assert client.post(preview_url, {**mapping, "etape": "importer"}).status_code == 404
        assert client.get(result_url).status_code == 404
    assert nothing_imported()


def test_an_upload_is_for_its_own_kind_of_import(client, herbiers):
    preview_url, _result_url, _mapping = pending_upload(client, herbiers, "actionplan_spreadsheets")
    sign_in(client, herbiers.coordinator.user, herbiers.coordinator)
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("prevention_spreadsheets:import_preview", args=[token])).status_code == 404
    assert client.get(preview_url).status_code == 200


def test_the_upload_expires_and_is_forgotten_once_imported(client, herbiers, settings):
    from django.core.cache import cache

    preview_url, result_url, mapping = pending_upload(client, herbiers, "actionplan_spreadsheets")
    sign_in(client, herbiers.coordinator.user, herbiers.coordinator)
    assert client.get(result_url)["Location"] == preview_url  # not imported yet
    assert client.post(preview_url, {**mapping, "etape": "importer"})["Location"] == result_url
    token = preview_url.rstrip("/").rsplit("/", 1)[1].replace("-", "")
    stored = cache.get(f"maillage:spreadsheet-import:{token}")
    assert stored["content"] == b"" and stored["result"]["created"] == 1
    assert client.get(preview_url)["Location"] == result_url  # no second import from the same upload
    cache.clear()
    assert client.get(result_url).status_code == 404
