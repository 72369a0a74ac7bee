"""The API: both grids with their questions; a situation's assessments listed and created under the
situation's policy (same 404 for missing and forbidden), every read recorded, writes through the service."""

import uuid

import pytest

from maillage.assessments.enums import NotificationKind
from maillage.assessments.models import Assessment
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.notifications.models import Notification
from tests.api.helpers import bearer, create_token
from tests.assessments.helpers import DASH, FRENCH, answers, assess

pytestmark = pytest.mark.django_db

API = "/api/v1"


def body(situation, grid, given, **extra):
    return {"situation": str(situation.public_id), "grid": grid.code, "answers": given, **extra}


def test_the_grids_with_their_questions(net, grids):
    response = net.client("gendarme").get(f"{API}/grids")
    assert response.status_code == 200
    listed = {g["code"]: g for g in response.json()}
    assert set(listed) == {FRENCH, DASH}
    assert len(listed[FRENCH]["questions"]) == 23 and sum(q["red"] for q in listed[FRENCH]["questions"]) == 5
    assert listed[DASH]["high_at_yes"] == 14 and listed[DASH]["medium_at_yes"] == 10
    assert listed[FRENCH]["provisional"] is True


def test_create_then_list_with_a_token(net, situation, grids):
    _token, key = create_token(net["gendarme"], scope="write")
    grid = grids[FRENCH]
    response = net.client("gendarme").post(
        f"{API}/assessments",
        body(situation, grid, answers(grid, yes=12)),
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (
        created["final_level"] == "high" and created["yes_count"] == 12 and created["override_level"] is None
    )
    assert created["answers"]["1"] is True
    assert Notification.objects.filter(kind=NotificationKind.DANGER_ASSESSED).count() == 2
    listed = net.client("referent").get(f"{API}/assessments", {"situation": str(situation.public_id)})
    assert listed.status_code == 200 and [a["public_id"] for a in listed.json()] == [created["public_id"]]
    read = AuditEntry.objects.filter(
        actor_user_id=net["referent"].user_id, action=AuditAction.SITUATION_VIEWED
    ).last()
    assert read.changes == {"emergency": False, "part": "assessments"}


def test_bad_input_is_refused_with_a_french_message(net, situation, grids):
    grid = grids[FRENCH]
    client = net.client("gendarme")
    partial = answers(grid)
    del partial[3]
    response = client.post(
        f"{API}/assessments", body(situation, grid, partial), content_type="application/json"
    )
    assert response.status_code == 400 and "sans réponse : 3" in response.json()["detail"]
    response = client.post(
        f"{API}/assessments",
        body(situation, grid, answers(grid), override_level="high"),
        content_type="application/json",
    )
    assert response.status_code == 400 and "Motivez" in response.json()["detail"]
    response = client.post(
        f"{API}/assessments",
        body(situation, grid, answers(grid)) | {"grid": "inconnue"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("name", ["cidff", "referent_elsewhere"])
def test_who_does_not_see_the_situation_gets_404_as_for_a_missing_one(net, situation, grids, name):
    assess(net.actor("gendarme"), situation, grids[FRENCH])
    client = net.client(name)
    for public_id in (situation.public_id, uuid.uuid4()):
        response = client.get(f"{API}/assessments", {"situation": str(public_id)})
        assert response.status_code == 404
        response = client.post(
            f"{API}/assessments",
            {"situation": str(public_id), "grid": FRENCH, "answers": answers(grids[FRENCH])},
            content_type="application/json",
        )
        assert response.status_code == 404
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("name", ["org_admin", "housing_manager", "observer", "dpo", "platform_admin"])
def test_roles_without_situations_are_refused(net, situation, grids, name):
    client = net.client(name)
    assert client.get(f"{API}/grids").status_code == 403
    assert client.get(f"{API}/assessments", {"situation": str(situation.public_id)}).status_code == 403
    response = client.post(
        f"{API}/assessments",
        body(situation, grids[FRENCH], answers(grids[FRENCH])),
        content_type="application/json",
    )
    assert response.status_code == 403 and not Assessment.objects.exists()


def test_a_read_only_token_cannot_assess(net, situation, grids):
    _token, key = create_token(net["gendarme"], scope="read")
    response = net.client("gendarme").post(
        f"{API}/assessments",
        body(situation, grids[DASH], answers(grids[DASH])),
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code == 403 and not Assessment.objects.exists()
