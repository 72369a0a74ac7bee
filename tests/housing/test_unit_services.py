"""Keeping units: services and pages. The address is encrypted at rest, never in an audit change record nor
in a log line, and shown only on the audited reveal; a stale form is refused with a clear message."""

import html
import json
import logging

import pytest
from django.db import connection

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing import services
from maillage.housing.models import HousingUnit
from maillage.web.logs import JsonFormatter
from tests.housing.worlds_units import FLAT_ADDRESS, REFUGE_ADDRESS

pytestmark = pytest.mark.django_db

PAGES = "/hebergement/logements/"
FORM = {
    "name": "Studio des Témoins",
    "address": "12 chemin du Moulin-Secret",
    "adults": "1",
    "children": "2",
    "cots": "0",
    "rules": "Pas d'animaux",
    "status": "available",
}


def raw_address(unit) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM housing_housingunit WHERE id = %s", [unit.pk])
        return cursor.fetchone()[0]


def audit_dump() -> str:
    return json.dumps(list(AuditEntry.objects.values_list("action", "changes")), ensure_ascii=False)


def test_the_address_is_encrypted_at_rest(units_world):
    stored = raw_address(units_world.refuge)
    assert stored.startswith("v1:")
    assert "Glycines" not in stored and "Canari" not in stored
    assert HousingUnit.objects.get(pk=units_world.refuge.pk).address == REFUGE_ADDRESS


def test_audit_records_creation_and_changes_without_the_address(units_world):
    w = units_world
    created = AuditEntry.objects.get(
        action=AuditAction.HOUSING_UNIT_CREATED, object_public_id=w.refuge.public_id
    )
    assert created.changes["name"] == "Refuge" and created.changes["address_changed"] is True
    unit = services.unit_update(
        actor=w.actor("housing_manager"),
        unit=w.refuge,
        version=1,
        address="9 allée des Iris-Canari",
        children=5,
        **{k: getattr(w.refuge, k) for k in ("name", "secret", "commune", "adults", "cots", "status")},
    )
    assert unit.version == 2 and unit.children == 5 and unit.address == "9 allée des Iris-Canari"
    updated = AuditEntry.objects.get(action=AuditAction.HOUSING_UNIT_UPDATED)
    assert updated.changes == {
        "version": [1, 2],
        "fields": ["children"],
        "children": [4, 5],
        "address_changed": True,
    }
    assert services.unit_address_reveal(actor=w.actor("coordinator"), unit=unit) == "9 allée des Iris-Canari"
    revealed = AuditEntry.objects.get(action=AuditAction.HOUSING_ADDRESS_REVEALED)
    assert revealed.changes == {"via": "page"}
    assert revealed.object_public_id == unit.public_id
    assert revealed.actor_membership_id == w["coordinator"].pk
    dump = audit_dump()
    for fragment in ("Glycines", "Iris", "Canari", "Mairie-Témoin"):
        assert fragment not in dump


def test_the_reveal_refuses_everyone_else_and_records_nothing(units_world):
    w = units_world
    for name in (
        "referent",
        "gendarme",
        "break_glass",
        "dpo",
        "observer",
        "org_admin",
        "housing_manager_other",
    ):
        with pytest.raises(PermissionDeniedError):
            services.unit_address_reveal(actor=w.actor(name), unit=w.refuge)
    assert not AuditEntry.objects.filter(action=AuditAction.HOUSING_ADDRESS_REVEALED).exists()


def test_create_refuses_incoherent_units(units_world):
    w = units_world
    manager = w.actor("housing_manager")
    with pytest.raises(DomainError, match="aucune commune"):
        services.unit_create(
            actor=manager, name="Autre refuge", secret=True, commune=w.mouchamps, address="x"
        )
    with pytest.raises(DomainError, match="déjà « refuge »"):
        services.unit_create(actor=manager, name="refuge", address="x")
    with pytest.raises(DomainError, match="adresse"):
        services.unit_create(actor=manager, name="Sans adresse", address="  ")
    with pytest.raises(DomainError, match="au moins un adulte"):
        services.unit_create(actor=manager, name="Vide", address="x", adults=0)
    with pytest.raises(PermissionDeniedError):
        services.unit_create(actor=w.actor("coordinator"), name="Par la coordination", address="x")
    assert HousingUnit.objects.count() == 2


def test_no_other_field_may_repeat_the_secret_address(units_world):
    # It would show the address to the whole network; the audit guard refused it, as a server error.
    w = units_world
    manager = w.actor("housing_manager")
    with pytest.raises(DomainError, match="L'adresse est secrète"):
        services.unit_create(actor=manager, name="12 rue des Lilas", address="12 rue des Lilas")
    with pytest.raises(DomainError, match="L'adresse est secrète"):
        services.unit_create(
            actor=manager, name="Studio", rules="12 rue des Lilas", address="12 rue des Lilas"
        )
    fields = {k: getattr(w.refuge, k) for k in services.units.FIELDS}
    with pytest.raises(DomainError, match="L'adresse est secrète"):
        services.unit_update(actor=manager, unit=w.refuge, version=1, **{**fields, "name": REFUGE_ADDRESS})
    with pytest.raises(DomainError, match="L'adresse est secrète"):
        services.unit_update(actor=manager, unit=w.refuge, version=1, address=fields["name"], **fields)
    assert AuditEntry.objects.filter(action=AuditAction.HOUSING_UNIT_UPDATED).count() == 0


def test_a_stale_change_is_refused_and_nothing_is_overwritten(units_world):
    w = units_world
    manager = w.actor("housing_manager")
    fields = {k: getattr(w.refuge, k) for k in services.units.FIELDS}
    services.unit_update(actor=manager, unit=w.refuge, version=1, **{**fields, "cots": 2})
    with pytest.raises(ConflictError, match="Quelqu'un a modifié le logement « Refuge »"):
        services.unit_update(actor=manager, unit=w.refuge, version=1, **{**fields, "cots": 3})
    assert HousingUnit.objects.get(pk=w.refuge.pk).cots == 2
    with pytest.raises(PermissionDeniedError):
        services.unit_update(actor=w.actor("housing_manager_other"), unit=w.refuge, version=2, **fields)


def test_pages_create_edit_and_reveal_keep_the_address_out_of_logs(units_world, caplog):
    caplog.set_level(logging.DEBUG)
    w = units_world
    client = w.client("housing_manager")
    refused = client.post(PAGES + "ajouter/", {**FORM, "secret": "on", "commune": str(w.mouchamps.public_id)})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Il y a un problème" in text and "aucune commune" in text
    assert 'value="Studio des Témoins"' in text  # what was typed stays
    created = client.post(PAGES + "ajouter/", FORM)
    assert created.status_code == 302
    unit = HousingUnit.objects.get(name="Studio des Témoins")
    assert created.url == f"{PAGES}{unit.public_id}/"
    edit_url = f"{PAGES}{unit.public_id}/modifier/"
    form_page = client.get(edit_url).content.decode()
    assert "Moulin-Secret" not in form_page and "Nouvelle adresse" in form_page
    kept = client.post(edit_url, {**FORM, "address": "", "children": "3", "version": "1"})
    assert kept.status_code == 302
    unit.refresh_from_db()
    assert unit.children == 3 and unit.address == FORM["address"]
    stale = client.post(edit_url, {**FORM, "address": "", "children": "4", "version": "1"})
    assert "Quelqu'un a modifié le logement" in html.unescape(stale.content.decode())
    assert 'name="version" value="2"' in stale.content.decode()
    assert HousingUnit.objects.get(pk=unit.pk).children == 3
    revealed = client.post(f"{PAGES}{unit.public_id}/adresse/")
    assert FORM["address"] in revealed.content.decode()
    assert client.get(PAGES).content.decode().count("Moulin-Secret") == 0
    formatter = JsonFormatter()
    assert caplog.records
    for record in caplog.records:
        line = formatter.format(record) + logging.Formatter().format(record)
        assert "Moulin-Secret" not in line and "Glycines" not in line, line
    assert "Moulin-Secret" not in audit_dump()


def test_the_menu_leads_housing_managers_and_the_coordinator_to_the_units(units_world):
    for name, shown in (
        ("housing_manager", True),
        ("coordinator", True),
        ("referent", False),
        ("dpo", False),
    ):
        home = units_world.client(name).get("/").content.decode()
        assert (f'href="{PAGES}">Logements</a>' in home) == shown, name
    assert FLAT_ADDRESS not in units_world.client("coordinator").get(PAGES).content.decode()


def test_the_list_costs_the_same_queries_whatever_the_number_of_units(
    units_world, django_assert_max_num_queries
):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    w = units_world
    client = w.client("coordinator")
    client.get(PAGES)
    with CaptureQueriesContext(conn) as few:
        assert client.get(PAGES).status_code == 200
    for n in range(4):
        services.unit_create(
            actor=w.actor("housing_manager_other"), name=f"Studio {n}", address=f"{n} rue Témoin"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(PAGES)
    assert page.content.decode().count("Studio ") == 4
