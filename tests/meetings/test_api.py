"""The meetings API: the same policy as the pages (the charter gate, the same 404 for missing and hidden,
what was said only to whoever may open the situation) and the coordinator's writes through the services."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.situations.models import Task

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_coordinator_runs_a_meeting_through_the_api(cell):
    situation = cell.situation()
    client = cell.client("coordinator")
    now = timezone.now()
    created = post(
        client,
        reverse("api:meeting_create"),
        {
            "starts_at": now.isoformat(),
            "ends_at": (now + datetime.timedelta(hours=2)).isoformat(),
            "place": "Mairie",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    meeting_id = body["public_id"]
    (item,) = [i for i in body["agenda"] if i["pseudonym"] == situation.pseudonym]
    assert item["reasons"] == ["Nouvelle situation"]
    act = reverse("api:meeting_act", kwargs={"public_id": meeting_id, "action": "open"})
    assert post(client, act, {"version": body["version"] + 1}).status_code == 409
    opened = post(client, act, {"version": body["version"]})
    assert opened.status_code == 200 and opened.json()["status"] == "open"
    item_url = reverse("api:meeting_item", kwargs={"public_id": meeting_id, "item_id": item["public_id"]})
    recorded = post(client, item_url, {"summary": "Suivi régulier.", "version": item["version"]})
    assert recorded.status_code == 200
    decided = post(
        client,
        item_url + "/decisions",
        {
            "text": "Proposer un accompagnement.",
            "action": "Appeler la victime",
            "owner": str(cell["gendarme"].public_id),
            "due_on": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert decided.status_code == 201, decided.content
    assert Task.objects.filter(situation=situation, title="Appeler la victime").exists()
    # A member present who accepted the charter reads it during the meeting…
    member = cell.client("cidff").get(reverse("api:meeting", args=[meeting_id])).json()
    (seen,) = [i for i in member["agenda"] if i["pseudonym"] == situation.pseudonym]
    assert seen["summary"] == "Suivi régulier." and seen["situation"] == str(situation.public_id)
    closed = post(client, reverse("api:meeting_act", kwargs={"public_id": meeting_id, "action": "close"}), {})
    assert closed.status_code == 200
    # …and not after it.
    member = cell.client("cidff").get(reverse("api:meeting", args=[meeting_id])).json()
    (seen,) = [i for i in member["agenda"] if i["pseudonym"] == situation.pseudonym]
    assert seen["summary"] is None and seen["situation"] is None and seen["decisions"] == []


def test_the_charter_gate_and_the_same_404(cell):
    situation = cell.situation()
    meeting = cell.meeting()
    url = reverse("api:meeting", args=[meeting.public_id])
    doctor = cell.client("doctor").get(url).json()
    assert doctor["agenda_visible"] is False and doctor["agenda"] == []
    assert situation.pseudonym not in str(doctor)
    assert cell.client("ccas").get(url).status_code == 404
    assert cell.client("ccas").get(reverse("api:meeting", args=[uuid.uuid4()])).status_code == 404
    assert cell.client("ccas").get(reverse("api:meetings")).json()["items"] == []
    for name in ("dpo", "observer", "housing_manager", "platform_admin"):
        assert cell.client(name).get(url).status_code == 403


@pytest.mark.parametrize("name", ["cidff", "referent", "gendarme"])
def test_members_do_not_write(cell, name):
    meeting = cell.meeting()
    client = cell.client(name)
    act = reverse("api:meeting_act", kwargs={"public_id": meeting.public_id, "action": "open"})
    assert post(client, act, {}).status_code == 403
    assert post(client, reverse("api:meeting_create"), {}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
