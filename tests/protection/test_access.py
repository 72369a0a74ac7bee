"""Who sees and records protective measures (ADR 0025): pages and API under the situation's policy, every
role of DOMAIN.md §2; a break-the-glass reader reads but does not record."""

import json
import uuid

import pytest

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.protection.models import ProtectiveMeasure
from tests.protection.worlds import ACTORS, ROLE_REFUSED, SEES

pytestmark = pytest.mark.django_db

API = "/api/v1"
NEW = {"kind": "complaint", "authority": "gendarmerie", "status": "in_force", "starts_on": "2026-03-01"}


def expected(actor: str, allowed: int) -> int:
    if actor in ROLE_REFUSED:
        return 403
    return allowed if actor in SEES else 404


def paths(world):
    base = f"/situations/{world.situation.public_id}/mesures/"
    return {
        "list": base,
        "add": base + "ajouter/",
        "edit": f"{base}{world.measure.public_id}/",
        "api": f"{API}/situations/{world.situation.public_id}/measures",
        "api_one": f"{API}/situations/{world.situation.public_id}/measures/{world.measure.public_id}",
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_pages(world, actor):
    client = world.client(actor)
    p = paths(world)
    for name in ("list", "add", "edit"):
        response = client.get(p[name])
        assert response.status_code == expected(actor, 200), (name, response.status_code)
        if response.status_code == 200 and name == "list":
            assert "Téléphone grave danger" in response.content.decode()
    before = ProtectiveMeasure.objects.count()
    response = client.post(p["add"], {**NEW, "version": ""})
    assert response.status_code == expected(actor, 302)
    assert ProtectiveMeasure.objects.count() == before + (1 if actor in SEES else 0)


@pytest.mark.parametrize("actor", ACTORS)
def test_api(world, actor):
    client = world.client(actor)
    p = paths(world)
    response = client.get(p["api"])
    assert response.status_code == expected(actor, 200)
    if actor in SEES:
        assert [m["kind"] for m in response.json()] == ["tgd"]
    response = client.post(p["api"], json.dumps(NEW), content_type="application/json")
    assert response.status_code == expected(actor, 201)
    update = {**NEW, "kind": "tgd", "authority": "parquet", "version": world.measure.version}
    response = client.put(p["api_one"], json.dumps(update), content_type="application/json")
    assert response.status_code == expected(actor, 200)


def test_a_missing_situation_or_measure_answers_the_same_404(world):
    client = world.client("coordinator")
    p = paths(world)
    assert client.get(f"/situations/{uuid.uuid4()}/mesures/").status_code == 404
    assert client.get(p["list"] + f"{uuid.uuid4()}/").status_code == 404
    assert client.get(f"{API}/situations/{uuid.uuid4()}/measures").status_code == 404
    assert client.get(p["api"] + f"/{uuid.uuid4()}").status_code in (404, 405)


def test_an_excluded_coordinator_sees_no_measure(world):
    from maillage.situations.models import Exclusion

    Exclusion.objects.create(
        situation=world.situation,
        user=world["coordinator"].user,
        reason="Conflit d'intérêts",
        excluded_by=world["coordinator"],
    )
    client = world.client("coordinator")
    assert client.get(paths(world)["list"]).status_code == 404
    assert client.get(paths(world)["api"]).status_code == 404


def test_a_break_glass_reader_reads_the_measures_but_records_none(world):
    world.break_glass("cidff")
    client = world.client("cidff")
    p = paths(world)
    page = client.get(p["list"])
    assert page.status_code == 200
    assert "Enregistrer une mesure" not in page.content.decode()
    assert client.get(p["api"]).status_code == 200
    assert client.get(p["add"]).status_code == 403
    assert client.get(p["edit"]).status_code == 403
    response = client.post(p["api"], json.dumps(NEW), content_type="application/json")
    assert response.status_code == 403
    assert ProtectiveMeasure.objects.count() == 1
    read = AuditEntry.objects.filter(
        action=AuditAction.SITUATION_VIEWED, object_public_id=world.situation.public_id
    ).latest("sequence")
    assert read.changes == {"emergency": True, "part": "measures"}


def test_every_read_is_recorded_with_its_part(world):
    client = world.client("referent")
    client.get(paths(world)["list"])
    client.get(paths(world)["api"])
    reads = AuditEntry.objects.filter(
        action=AuditAction.SITUATION_VIEWED, object_public_id=world.situation.public_id
    )
    assert [e.changes for e in reads] == [{"emergency": False, "part": "measures"}] * 2


def test_the_situation_page_links_to_its_measures(world):
    response = world.client("gendarme").get(f"/situations/{world.situation.public_id}/")
    assert paths(world)["list"] in response.content.decode()


def test_reminders_go_to_readers_on_their_own_ground_only(world):
    from maillage.protection.policies import memberships_reminded
    from maillage.situations.models import Exclusion
    from maillage.situations.policies import memberships_seeing

    world.break_glass("cidff")
    Exclusion.objects.create(
        situation=world.situation,
        user=world["gendarme"].user,
        reason="Membre de la famille",
        excluded_by=world["coordinator"],
    )
    reminded = set(memberships_reminded(world.situation))
    assert reminded == {world[n] for n in ("coordinator", "referent", "gendarme_colleague")}
    assert world["cidff"] in set(memberships_seeing(world.situation))  # reads it, is not reminded
    assert reminded <= set(memberships_seeing(world.situation))
