"""The prevention API under the pages' policy: every member of the territory reads, another territory's
records answer 404, observers and DPOs may not write, the platform administrator gets nothing; filters,
refusals in French, and lists in a fixed number of queries."""

import json
import uuid

import pytest
from django.test import Client

from maillage.prevention.models import PreventionEvent, Training
from tests.api.helpers import bearer, create_token
from tests.prevention.worlds import ACTORS, ELSEWHERE, HERE, READ_ONLY, days_ago

pytestmark = pytest.mark.django_db

API = "/api/v1/prevention"


def post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def new_event(world, **changes) -> dict:
    body = {
        "title": "Soirée-débat à Mouchamps",
        "kind": "public_event",
        "held_on": days_ago(2).isoformat(),
        "commune": str(world.mouchamps.public_id),
        "audience": "general_public",
        "people_reached": 45,
        "organisations": [str(world.cidff.public_id)],
        "materials": "Court métrage",
    }
    return {**body, **changes}


def new_training(world, **changes) -> dict:
    body = {
        "title": "Évaluer le danger",
        "topic": "danger_assessment",
        "held_on": days_ago(3).isoformat(),
        "hours": "3.5",
        "attendances": [
            {"organisation": str(world.ccas.public_id), "attendees": 4},
            {"organisation": str(world.mairie.public_id), "attendees": 1},
        ],
    }
    return {**body, **changes}


@pytest.mark.parametrize("name", ACTORS)
def test_who_reads_and_who_writes(world, name):
    client = world.client(name)
    events, trainings = client.get(f"{API}/events"), client.get(f"{API}/trainings")
    if name == "platform_admin":
        assert events.status_code == trainings.status_code == 403
    else:
        titles = {item["title"] for item in events.json()["items"] + trainings.json()["items"]}
        expected = {r.title for n, r in world.records.items() if world.sees(name, n)}
        assert titles == expected
    for record_name, record in world.records.items():
        kind = "events" if "training" not in record_name else "trainings"
        status = client.get(f"{API}/{kind}/{record.public_id}").status_code
        assert status == (200 if world.sees(name, record_name) else 403 if name == "platform_admin" else 404)
    created = post(
        client, f"{API}/events", new_event(world) if name in HERE else new_event(world, commune=None)
    )
    trained = post(client, f"{API}/trainings", new_training(world, attendances=[]))
    if name in READ_ONLY or name == "platform_admin":
        assert created.status_code == 403 and trained.status_code == 403
    else:
        assert created.status_code == 201, created.json()
        organisations = {o["name"] for o in created.json()["organisations"]}
        own = world[name].organisation.name
        assert own in organisations or name.startswith("coordinator")


def test_the_answer_of_a_recorded_event_and_training(world):
    client = world.client("gendarme")
    body = post(client, f"{API}/events", new_event(world)).json()
    assert body["kind_label"] == "Manifestation publique" and body["commune"]["name"] == "Mouchamps"
    assert [o["name"] for o in body["organisations"]] == ["CIDFF de la Vendée", "Gendarmerie"]
    assert body["people_reached"] == 45 and body["version"] == 1
    response = post(client, f"{API}/trainings", new_training(world))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["attendees"] == 5 and body["hours"] == "3.5"
    assert [(a["organisation"]["name"], a["attendees"]) for a in body["attendances"]] == [
        ("CCAS", 4),
        ("Mairie de Mouchamps", 1),
    ]
    assert [o["name"] for o in body["trainer_organisations"]] == ["Gendarmerie"]
    assert client.get(f"{API}/trainings/{body['public_id']}").json() == body


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"people_reached": None}, "Indiquez le nombre de personnes touchées"),
        ({"commune": str(uuid.uuid4())}, "Choisissez une commune de votre territoire."),
        ({"organisations": [str(uuid.uuid4())]}, "Choisissez des organisations du réseau"),
        ({"kind": "stand", "ends_on": days_ago(1).isoformat()}, "Seule une campagne a une date de fin"),
    ],
)
def test_event_refusals_in_french(world, body, message):
    response = post(world.client("gendarme"), f"{API}/events", new_event(world, **body))
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not PreventionEvent.objects.filter(title="Soirée-débat à Mouchamps").exists()


def test_training_refusals(world):
    client = world.client("gendarme")
    twice = [{"organisation": str(world.ccas.public_id), "attendees": n} for n in (1, 2)]
    response = post(client, f"{API}/trainings", new_training(world, attendances=twice))
    assert response.status_code == 400 and "figure deux fois" in response.json()["detail"]
    response = post(client, f"{API}/trainings", new_training(world, held_on=days_ago(-3).isoformat()))
    assert response.status_code == 400 and "une fois tenue" in response.json()["detail"]
    elsewhere = [{"organisation": str(world.epci_elsewhere.public_id), "attendees": 2}]
    response = post(client, f"{API}/trainings", new_training(world, attendances=elsewhere))
    assert response.status_code == 400
    assert post(client, f"{API}/trainings", new_training(world, attendances=[])).status_code == 422
    assert Training.objects.count() == 3


def test_filters(world):
    client = world.client("observer")
    titles = lambda response: [item["title"] for item in response.json()["items"]]  # noqa: E731
    assert titles(client.get(f"{API}/events", {"kind": "press"})) == ["Article dans Ouest-France"]
    assert titles(client.get(f"{API}/events", {"commune": "territoire"})) == ["Article dans Ouest-France"]
    mouchamps = client.get(f"{API}/events", {"commune": str(world.mouchamps.public_id)})
    assert titles(mouchamps) == ["Intervention au collège — classes de 4e"]
    assert titles(client.get(f"{API}/events", {"year": days_ago(400).year})) == ["Article dans Ouest-France"]
    assert titles(client.get(f"{API}/trainings", {"topic": "reception"})) == ["Accueillir une victime"]


def test_a_read_only_token_reads_but_does_not_write(world):
    _, key = create_token(world["gendarme"], scope="read")
    client = Client()
    assert client.get(f"{API}/events", headers=bearer(key)).status_code == 200
    response = client.post(
        f"{API}/events", json.dumps(new_event(world)), content_type="application/json", headers=bearer(key)
    )
    assert response.status_code == 403


@pytest.mark.parametrize("extra", [0, 8])
def test_lists_in_a_fixed_number_of_queries(world, extra, django_assert_num_queries):
    from maillage.prevention import services

    for index in range(extra):
        services.event_record(
            actor=world.actor("cidff"),
            title=f"Stand {index}",
            kind="stand",
            held_on=days_ago(index + 1),
            audience="general_public",
            people_reached=10,
            organisations=[world.college],
        )
        services.training_record(
            actor=world.actor("cidff"),
            title=f"Session {index}",
            topic="detection",
            held_on=days_ago(index + 1),
            hours=2,
            attendances=[(world.ccas, 2), (world.gendarmerie, 1)],
        )
    _, key = create_token(world["observer"])
    client = Client()
    client.get(f"{API}/events", headers=bearer(key))  # records the token's first use
    # token, memberships (+roles, +communes), count, page, organisations
    with django_assert_num_queries(7):
        assert client.get(f"{API}/events", headers=bearer(key)).status_code == 200
    # token, memberships (+roles, +communes), count, page, trainer organisations, attendance
    with django_assert_num_queries(8):
        assert client.get(f"{API}/trainings", headers=bearer(key)).status_code == 200


def test_members_of_another_territory_only_see_theirs(world):
    for name in ELSEWHERE:
        items = world.client(name).get(f"{API}/events").json()["items"]
        assert [item["title"] for item in items] == ["Stand au marché de Pouzauges"]
