"""The measures API: answers, refusals with a message, stale versions, and its documented schemas."""

import json

import pytest

from maillage.protection.models import ProtectiveMeasure

pytestmark = pytest.mark.django_db

API = "/api/v1"


def url(world, measure=None):
    base = f"{API}/situations/{world.situation.public_id}/measures"
    return f"{base}/{measure.public_id}" if measure else base


def send(client, method, path, data):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def test_list_answers_each_measure_with_labels(world):
    (measure,) = world.client("gendarme").get(url(world)).json()
    assert measure["kind"] == "tgd" and measure["kind_label"] == "Téléphone grave danger (TGD)"
    assert measure["status_label"] == "En vigueur"
    assert measure["ends_on"] == world.measure.ends_on.isoformat()
    assert measure["recorded_by_organisation"] == world.gendarmerie.name
    assert measure["version"] == 1


def test_create_fills_the_usual_end_and_refuses_incoherent_dates(world):
    client = world.client("referent")
    created = send(
        client,
        "post",
        url(world),
        {"kind": "tgd", "authority": "parquet", "status": "in_force", "starts_on": "2026-02-01"},
    )
    assert created.status_code == 201
    assert created.json()["ends_on"] == "2026-07-31"
    refused = send(
        client,
        "post",
        url(world),
        {
            "kind": "bar",
            "authority": "jaf",
            "status": "in_force",
            "starts_on": "2026-02-01",
            "ends_on": "2026-01-01",
        },
    )
    assert refused.status_code == 400
    assert refused.json() == {"detail": "La fin de la mesure ne peut pas précéder son début."}
    unknown = send(client, "post", url(world), {"kind": "curfew", "authority": "jaf", "status": "requested"})
    assert unknown.status_code == 422
    assert ProtectiveMeasure.objects.count() == 2


def test_update_with_a_stale_version_answers_409_and_changes_nothing(world):
    client = world.client("coordinator")
    body = {
        "kind": "tgd",
        "authority": "parquet",
        "status": "ended",
        "starts_on": str(world.measure.starts_on),
    }
    assert send(client, "put", url(world, world.measure), {**body, "version": 1}).status_code == 200
    stale = send(client, "put", url(world, world.measure), {**body, "status": "in_force", "version": 1})
    assert stale.status_code == 409
    assert "Quelqu'un a modifié cette mesure" in stale.json()["detail"]
    world.measure.refresh_from_db()
    assert (world.measure.status, world.measure.version) == ("ended", 2)


def test_the_schemas_are_documented(world):
    document = world.client("coordinator").get(f"{API}/openapi.json").json()
    operations = document["paths"][f"{API}/situations/{{public_id}}/measures"]
    assert {"get", "post"} <= set(operations)
    assert "404" in operations["get"]["responses"]
    schema = document["components"]["schemas"]["MeasureIn"]
    assert set(schema["properties"]["ends_on"]) >= {"description"}
