"""Who sees and keeps housing units, and who reads an address (ADR 0028): every role of DOMAIN.md §2 on
every unit page and API operation. A unit one may not see answers like a missing one (404)."""

import json
import uuid

import pytest

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.housing import policies
from tests.housing.worlds_units import (
    ACTORS,
    FLAT_ADDRESS,
    HIDDEN,
    READS_REFUGE_ADDRESS,
    REFUGE_ADDRESS,
    REQUESTERS,
    ROLE_REFUSED,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/housing/units"
PAGES = "/hebergement/logements/"


def reveals(world) -> int:
    return AuditEntry.objects.filter(action=AuditAction.HOUSING_ADDRESS_REVEALED).count()


def test_visible_units_per_role(units_world):
    w = units_world
    seen = {
        name: set(policies.units_visible_to(w.actor(name)).values_list("name", flat=True))
        for name in ACTORS
        if name != "platform_admin"
    }
    everything = {"Refuge", "Logement de la mairie"}
    assert seen["coordinator"] == everything
    assert seen["housing_manager"] == {"Refuge"}
    assert seen["housing_manager_other"] == {"Logement de la mairie"}
    for name in REQUESTERS:
        assert seen[name] == everything, name
    for name in ROLE_REFUSED - {"platform_admin"}:
        assert seen[name] == set(), name
    assert seen["coordinator_other_territory"] == set()
    assert not policies.units_visible_to(None).exists()


def test_who_may_read_the_address(units_world):
    w = units_world
    allowed = {
        name
        for name in ACTORS
        if name != "platform_admin" and policies.can_see_address(w.actor(name), w.refuge)
    }
    assert allowed == READS_REFUGE_ADDRESS
    assert {
        name
        for name in ACTORS
        if name != "platform_admin" and policies.can_see_address(w.actor(name), w.flat)
    } == {
        "housing_manager_other",
        "coordinator",
    }
    assert {m.pk for m in policies.memberships_managing(w.refuge)} == {w["housing_manager"].pk}
    assert {m.pk for m in policies.memberships_seeing_address(w.refuge)} == {
        w["housing_manager"].pk,
        w["coordinator"].pk,
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_pages(units_world, actor):
    w = units_world
    client = w.client(actor)
    detail = f"{PAGES}{w.refuge.public_id}/"
    listing = client.get(PAGES)
    page = client.get(detail)
    edit = client.get(detail + "modifier/")
    before = reveals(w)
    address = client.post(detail + "adresse/")
    missing = client.get(f"{PAGES}{uuid.uuid4()}/")
    if actor in ROLE_REFUSED:
        assert {listing.status_code, page.status_code, edit.status_code, address.status_code} == {403}
        return
    assert listing.status_code == 200
    assert missing.status_code == 404
    assert REFUGE_ADDRESS not in listing.content.decode()
    if actor in HIDDEN:
        assert page.status_code == 404
        assert "Refuge" not in listing.content.decode()
        assert address.status_code == 404
    else:
        assert page.status_code == 200
        assert REFUGE_ADDRESS not in page.content.decode()
        assert ("Afficher l'adresse" in page.content.decode()) == (actor in READS_REFUGE_ADDRESS)
    if actor in READS_REFUGE_ADDRESS:
        assert address.status_code == 200
        assert REFUGE_ADDRESS in address.content.decode()
        assert reveals(w) == before + 1
    else:
        assert address.status_code in (403, 404)
        assert reveals(w) == before
    assert edit.status_code == (
        200 if actor == "housing_manager" else 404 if actor == "housing_manager_other" else 403
    )


def test_the_address_answers_only_a_post(units_world):
    client = units_world.client("coordinator")
    url = f"{PAGES}{units_world.refuge.public_id}/adresse/"
    response = client.get(url)
    assert response.status_code == 302
    assert REFUGE_ADDRESS not in client.get(response.url).content.decode()
    assert reveals(units_world) == 0


@pytest.mark.parametrize("actor", ACTORS)
def test_api(units_world, actor):
    w = units_world
    client = w.client(actor)
    listing = client.get(API)
    one = client.get(f"{API}/{w.refuge.public_id}")
    before = reveals(w)
    with_address = client.get(f"{API}/{w.refuge.public_id}?address=true")
    if actor in ROLE_REFUSED:
        assert {listing.status_code, one.status_code, with_address.status_code} == {403}
        return
    assert listing.status_code == 200
    assert REFUGE_ADDRESS not in listing.content.decode() and FLAT_ADDRESS not in listing.content.decode()
    assert client.get(f"{API}/{uuid.uuid4()}").status_code == 404
    if actor in HIDDEN:
        assert one.status_code == 404 and with_address.status_code == 404
        assert with_address.json() == client.get(f"{API}/{uuid.uuid4()}?address=true").json()
        return
    assert one.status_code == 200 and one.json()["address"] is None
    assert one.json()["commune"] is None and one.json()["secret"] is True
    if actor in READS_REFUGE_ADDRESS:
        assert with_address.status_code == 200
        assert with_address.json()["address"] == REFUGE_ADDRESS
        assert reveals(w) == before + 1
        entry = AuditEntry.objects.filter(action=AuditAction.HOUSING_ADDRESS_REVEALED).latest("sequence")
        assert entry.changes == {"via": "api"} and entry.object_public_id == w.refuge.public_id
    else:
        assert with_address.status_code == 404
        assert reveals(w) == before


def test_api_writes_for_housing_managers_only(units_world):
    w = units_world
    new = {"name": "Studio du centre", "address": "1 place Témoin", "adults": 1, "children": 1}
    for actor in ("coordinator", "referent", "dpo", "platform_admin"):
        response = w.client(actor).post(API, json.dumps(new), content_type="application/json")
        assert response.status_code == 403, actor
    manager = w.client("housing_manager")
    created = manager.post(API, json.dumps(new), content_type="application/json")
    assert created.status_code == 201 and "address" not in created.json()
    url = f"{API}/{created.json()['public_id']}"
    change = {**new, "address": None, "children": 2, "version": 1}
    other = w.client("housing_manager_other").put(url, json.dumps(change), content_type="application/json")
    assert other.status_code == 404
    updated = manager.put(url, json.dumps(change), content_type="application/json")
    assert updated.status_code == 200 and updated.json()["children"] == 2 and updated.json()["version"] == 2
    stale = manager.put(url, json.dumps({**change, "children": 3}), content_type="application/json")
    assert stale.status_code == 409 and "Quelqu'un a modifié" in stale.json()["detail"]
    refuge = {"name": "Refuge bis", "secret": True, "commune": str(w.mouchamps.public_id), "address": "x"}
    refused = manager.post(API, json.dumps(refuge), content_type="application/json")
    assert refused.status_code == 400 and "aucune commune" in refused.json()["detail"]
