"""Who sees the action plan and who updates which action (ADR 0035): every role of DOMAIN.md §2 on the
policy, on every page and on the API. An action of another territory answers like a missing one (404)."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django.utils.html import escape

from maillage.actionplan import policies
from maillage.actionplan.models import ProgressUpdate
from tests.actionplan.worlds import ACTORS, OUTSIDERS, READERS, UPDATERS

pytestmark = pytest.mark.django_db

PLAN = "/plan-d-action/"
API = "/api/v1/action-plan"
OURS = {"gendarmerie", "cidff", "epci"}


def test_every_member_of_the_territory_sees_the_whole_plan_and_nothing_else(plan):
    for name in READERS:
        seen = set(policies.actions_visible_to(plan.actor(name)).values_list("title", flat=True))
        assert seen == {plan.actions[key].title for key in OURS}, name
        assert policies.axes_visible_to(plan.actor(name)).count() == 7, name
    for name in OUTSIDERS:
        seen = set(policies.actions_visible_to(plan.actor(name)).values_list("title", flat=True))
        assert seen == {"Action d'un autre territoire"}, name
    assert not policies.actions_visible_to(None).exists()


def test_visible_to_is_one_query(plan, django_assert_num_queries):
    actor = plan.actor("observer")
    with django_assert_num_queries(1):
        list(policies.actions_visible_to(actor))


def test_who_updates_which_action(plan):
    for key, expected in UPDATERS.items():
        action = plan.action(key)
        allowed = {name for name in READERS | OUTSIDERS if policies.can_update(plan.actor(name), action)}
        assert allowed == expected, key
        reverse = {m.pk for m in policies.memberships_updating(action)}
        assert reverse == {plan[name].pk for name in expected}, key
    editors = {name for name in READERS | OUTSIDERS if policies.edits_plan(plan.actor(name))}
    assert editors == {"coordinator", "coordinator_elsewhere"}
    # The coordinator of another territory edits her own plan, not this one.
    assert not policies.can_update(plan.actor("coordinator_elsewhere"), plan.action("gendarmerie"))


def test_the_lead_records_its_own_contributions_only(plan):
    action = plan.action("gendarmerie")
    gendarme = plan.actor("gendarme")
    assert policies.can_record_contribution(gendarme, action, plan.gendarmerie.pk)
    assert not policies.can_record_contribution(gendarme, action, plan.cidff.pk)
    assert policies.can_record_contribution(plan.actor("coordinator"), action, plan.cidff.pk)
    assert not policies.can_record_contribution(plan.actor("cidff"), action, plan.cidff.pk)


@pytest.mark.parametrize("name", ACTORS)
def test_pages(plan, name):
    client = plan.client(name)
    action = plan.action("gendarmerie")
    detail = f"{PLAN}actions/{action.public_id}/"
    listing = client.get(PLAN)
    page = client.get(detail)
    missing = client.get(f"{PLAN}actions/{uuid.uuid4()}/")
    progress = client.get(detail + "avancement/")
    edit = client.get(detail + "modifier/")
    add = client.get(f"{PLAN}actions/ajouter/")
    indicator = client.get(detail + "indicateurs/ajouter/")
    contribution = client.get(detail + "contributions/ajouter/")
    if name == "platform_admin":
        assert {r.status_code for r in (listing, page, progress, edit, add, indicator, contribution)} == {403}
        return
    assert listing.status_code == 200
    assert missing.status_code == 404
    if name in OUTSIDERS:
        assert escape(action.title) not in listing.content.decode()
        assert page.status_code == 404
        assert progress.status_code in (403, 404)
        assert edit.status_code in (403, 404)
        return
    assert escape(action.title) in listing.content.decode()
    assert page.status_code == 200
    assert ("Noter l'avancement" in page.content.decode()) == (name in UPDATERS["gendarmerie"])
    assert ("Modifier l'action" in page.content.decode()) == (name == "coordinator")
    updater = name in UPDATERS["gendarmerie"]
    assert progress.status_code == (200 if updater else 403)
    assert contribution.status_code == (200 if updater else 403)
    assert edit.status_code == (200 if name == "coordinator" else 403)
    assert add.status_code == (200 if name == "coordinator" else 403)
    assert indicator.status_code == (200 if name == "coordinator" else 403)


@pytest.mark.parametrize("name", ACTORS)
def test_progress_posted_from_the_page(plan, name):
    client = plan.client(name)
    action = plan.action("gendarmerie")
    response = client.post(
        f"{PLAN}actions/{action.public_id}/avancement/",
        {
            "written_on": timezone.localdate().isoformat(),
            "text": "Première séance faite.",
            "status": "in_progress",
        },
    )
    recorded = ProgressUpdate.objects.filter(action=action).exists()
    if name in UPDATERS["gendarmerie"]:
        assert response.status_code == 302
        assert recorded
        assert plan.action("gendarmerie").status == "in_progress"
    else:
        assert response.status_code in (403, 404)
        assert not recorded
        assert plan.action("gendarmerie").status == "planned"


@pytest.mark.parametrize("name", ACTORS)
def test_api(plan, name):
    client = plan.client(name)
    action = plan.action("gendarmerie")
    listing = client.get(f"{API}/actions")
    detail = client.get(f"{API}/actions/{action.public_id}")
    axes = client.get(f"{API}/axes")
    post = client.post(
        f"{API}/actions/{action.public_id}/progress",
        {"written_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "text": "Fait."},
        content_type="application/json",
        headers={"X-CSRFToken": "x"},
    )
    if name == "platform_admin":
        assert {listing.status_code, detail.status_code, axes.status_code, post.status_code} == {403}
        return
    assert listing.status_code == 200 and axes.status_code == 200
    titles = {item["title"] for item in listing.json()["items"]}
    if name in OUTSIDERS:
        assert titles == {"Action d'un autre territoire"}
        assert detail.status_code == 404
        assert post.status_code in (403, 404)
        return
    assert titles == {plan.actions[key].title for key in OURS}
    assert detail.status_code == 200
    assert detail.json()["can_update"] == (name in UPDATERS["gendarmerie"])
    assert post.status_code == (201 if name in UPDATERS["gendarmerie"] else 403), post.content
    assert ProgressUpdate.objects.filter(action=action).exists() == (name in UPDATERS["gendarmerie"])
