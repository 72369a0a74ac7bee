"""The stay API: the same policy and state machines as the pages; the requester's side never reads the
address, the housing manager never reads the notes."""

import datetime
import json

import pytest
from django.urls import reverse

from maillage.housing.models import Stay
from tests.housing.factories_stays import SECRET_ADDRESS, StayWorld, today

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def w():
    return StayWorld()


def post(client, url, data):
    return client.post(url, data, content_type=JSON)


def test_request_allocate_check_in_check_out_through_the_api(w):
    referent, manager = w.client("referent"), w.client("housing_manager")
    created = post(
        referent,
        reverse("api:stay_request_create"),
        {
            "situation": str(w.situation.public_id),
            "adults": 1,
            "children_ages": [5],
            "urgent": True,
            "wished_from": today().isoformat(),
            "notes": "Précision confidentielle",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["notes"] == "Précision confidentielle" and body["status"] == "pending"
    public_id = body["public_id"]
    listed = manager.get(reverse("api:stay_requests")).json()
    assert [item["public_id"] for item in listed["items"]] == [public_id]
    assert "notes" not in listed["items"][0]
    seen = manager.get(reverse("api:stay_request", args=[public_id])).json()
    assert seen["notes"] is None and seen["situation"]["pseudonym"] == w.situation.pseudonym
    act = reverse("api:stay_request_act", kwargs={"public_id": public_id, "action": "allocate"})
    missing = post(manager, act, {"version": 1})
    assert missing.status_code == 400 and "Indiquez le logement" in missing.json()["detail"]
    allocation = {
        "version": 1,
        "unit": str(w.unit.public_id),
        "starts_on": today().isoformat(),
        "ends_on": (today() + datetime.timedelta(days=4)).isoformat(),
    }
    assert post(referent, act, allocation).status_code == 403
    allocated = post(manager, act, allocation)
    assert allocated.status_code == 200 and allocated.json()["status"] == "allocated"
    assert post(manager, act, allocation).status_code == 400
    stay = Stay.objects.get()
    stay_act = lambda action: reverse("api:stay_act", kwargs={"public_id": stay.public_id, "action": action})  # noqa: E731
    assert post(manager, stay_act("check_in"), {"version": 1}).json()["status"] == "in_progress"
    assert post(manager, stay_act("check_in"), {"version": 1}).status_code in (400, 409)
    Stay.objects.filter(pk=stay.pk).update(starts_on=today() - datetime.timedelta(days=2))
    bad = post(manager, stay_act("check_out"), {"version": 2})
    assert bad.status_code == 400 and "solution de sortie" in bad.json()["detail"]
    out = post(manager, stay_act("check_out"), {"version": 2, "exit_solution": "relatives"})
    assert (
        out.status_code == 200
        and out.json()["status"] == "ended"
        and out.json()["ends_on"] == today().isoformat()
    )
    for url in (
        reverse("api:stays"),
        reverse("api:stay", args=[stay.public_id]),
        reverse("api:stay_requests") + "?status=all",
        reverse("api:stay_request", args=[public_id]),
    ):
        response = referent.get(url)
        assert response.status_code == 200 and SECRET_ADDRESS not in json.dumps(response.json())
    assert referent.get(reverse("api:stay", args=[stay.public_id])).json()["unit"]["name"] == w.unit.name


def test_stale_version_answers_409(w):
    request = w.request()
    manager = w.client("housing_manager")
    url = reverse("api:stay_request_act", kwargs={"public_id": request.public_id, "action": "waitlist"})
    assert post(manager, url, {"version": 1}).status_code == 200
    refuse = reverse("api:stay_request_act", kwargs={"public_id": request.public_id, "action": "refuse"})
    assert post(manager, refuse, {"version": 1}).status_code == 409


def test_overlap_answers_400_with_the_clear_message(w):
    w.allocate(w.request(situation=w.another_situation()), nights=5)
    request = w.request()
    url = reverse("api:stay_request_act", kwargs={"public_id": request.public_id, "action": "allocate"})
    response = post(
        w.client("housing_manager"),
        url,
        {
            "unit": str(w.unit.public_id),
            "starts_on": today().isoformat(),
            "ends_on": (today() + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 400 and "déjà occupé" in response.json()["detail"]


@pytest.mark.parametrize(
    "name", ["housing_manager_elsewhere", "housing_manager_no_unit", "cidff", "dpo", "observer"]
)
def test_who_may_not_read_or_act(w, name):
    request = w.request()
    stay = w.allocate(request)
    client = w.client(name)
    for url in (
        reverse("api:stay_request", args=[request.public_id]),
        reverse("api:stay", args=[stay.public_id]),
    ):
        assert client.get(url).status_code in (403, 404)
    listed = client.get(reverse("api:stays"))
    assert listed.status_code == 403 or listed.json()["items"] == []
    act = reverse("api:stay_act", kwargs={"public_id": stay.public_id, "action": "check_in"})
    assert post(client, act, {}).status_code in (403, 404)
    stay.refresh_from_db()
    assert stay.status == "planned"


def test_housing_manager_may_not_create_a_request(w):
    response = post(
        w.client("housing_manager"),
        reverse("api:stay_request_create"),
        {"situation": str(w.situation.public_id), "wished_from": today().isoformat()},
    )
    assert response.status_code == 404
