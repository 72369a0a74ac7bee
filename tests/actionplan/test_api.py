"""The action plan's API: the list paged and filtered, an action whole, a progress update written with a
token (write scope), refusals with a French message, and a fixed number of queries."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from maillage.actionplan import services
from maillage.actionplan.models import ProgressUpdate
from tests.api.helpers import bearer, create_token

pytestmark = pytest.mark.django_db

API = "/api/v1/action-plan"


def post_progress(client, action, data, **headers):
    return client.post(
        f"{API}/actions/{action.public_id}/progress",
        json.dumps(data),
        content_type="application/json",
        **headers,
    )


def test_axes_in_their_order(plan):
    axes = plan.client("observer").get(f"{API}/axes").json()
    assert [axis["number"] for axis in axes] == [1, 2, 3, 4, 5, 6, 7]
    assert axes[5]["title"] == "Prévenir, sensibiliser et communiquer"


def test_the_list_is_paged_and_filtered(plan):
    client = plan.client("dpo")
    body = client.get(f"{API}/actions", {"limit": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert [item["axis"]["number"] for item in body["items"]] == [1, 3]
    first = body["items"][0]
    assert first["lead_organisation"]["name"] == "Gendarmerie — brigade des Herbiers"
    assert (first["status"], first["status_label"], first["last_update_on"], first["targets"]) == (
        "planned",
        "Prévue",
        None,
        0,
    )
    by_lead = client.get(f"{API}/actions", {"lead_organisation": str(plan.cidff.public_id)}).json()
    assert [item["title"] for item in by_lead["items"]] == ["Permanences juridiques dans les mairies"]
    by_axis = client.get(f"{API}/actions", {"axis": str(plan.axes[5].public_id)}).json()
    assert [item["title"] for item in by_axis["items"]] == ["Campagne du 25 novembre"]
    assert client.get(f"{API}/actions", {"status": "done"}).json()["count"] == 0
    # Another territory's axis filters everything out.
    other_axis = plan.action("elsewhere").axis
    assert client.get(f"{API}/actions", {"axis": str(other_axis.public_id)}).json()["count"] == 0
    assert client.get(f"{API}/actions", {"status": "finished"}).status_code == 422


@pytest.mark.parametrize("actions", [1, 10])
def test_the_list_reads_a_fixed_number_of_queries(plan, actions, django_assert_num_queries):
    for index in range(actions):
        services.action_create(
            actor=plan.actor("coordinator"), axis=plan.axes[0], title=f"A{index}", lead_organisation=plan.ccas
        )
    client = plan.client("observer")
    client.get(f"{API}/actions")
    # session, user, membership (+roles, +communes), count, page
    with django_assert_num_queries(7):
        assert client.get(f"{API}/actions").status_code == 200


def test_an_action_whole(plan):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    services.indicator_create(
        actor=coordinator, action=action, label="Agents formés", unit="personnes", target=40, actual=40
    )
    services.budget_line_create(
        actor=coordinator, action=action, year=2025, label="Intervenante", planned=800
    )
    services.contribution_create(
        actor=coordinator, action=action, organisation=plan.cidff, year=2025, kind="staff_hours", hours=12
    )
    services.progress_record(
        actor=plan.actor("gendarme"), action=action, written_on=timezone.localdate(), text="Fait."
    )
    body = plan.client("gendarme").get(f"{API}/actions/{action.public_id}").json()
    assert [p["name"] for p in body["partners"]] == ["CCAS des Herbiers", "CIDFF de la Vendée"]
    assert (body["indicators"][0]["target"], body["indicators"][0]["unit"]) == ("40.00", "personnes")
    assert (body["targets"], body["targets_reached"]) == (1, 1)
    assert body["budget_lines"][0]["label"] == "Intervenante"
    assert body["contributions"][0]["kind_label"] == "Temps de personnel"
    (update,) = body["progress_updates"]
    user = plan["gendarme"].user
    assert (update["author"], update["author_organisation"]) == (user.get_full_name(), plan.gendarmerie.name)
    assert body["can_update"] is True
    assert body["statuses_allowed"] == ["planned", "in_progress", "done", "postponed", "abandoned"]
    observed = plan.client("observer").get(f"{API}/actions/{action.public_id}").json()
    assert (observed["can_update"], observed["statuses_allowed"]) == (False, [])


def test_a_token_with_the_write_scope_records_progress(plan):
    action = plan.action("gendarmerie")
    _token, read_key = create_token(plan["gendarme"], scope="read")
    _token, write_key = create_token(plan["gendarme"], scope="write", name="Écriture")
    data = {
        "written_on": timezone.localdate().isoformat(),
        "text": "Affiches posées.",
        "status": "in_progress",
    }
    refused = post_progress(Client(), action, data, headers=bearer(read_key))
    assert refused.status_code == 403
    assert "lecture seule" in refused.json()["detail"]
    created = post_progress(Client(), action, data, headers=bearer(write_key))
    assert created.status_code == 201
    assert created.json()["status"] == "in_progress"
    assert created.json()["author_organisation"] == plan.gendarmerie.name
    again = post_progress(Client(), action, data, headers=bearer(write_key))
    assert again.status_code == 409
    assert "déjà enregistré" in again.json()["detail"]
    assert ProgressUpdate.objects.filter(action=action).count() == 1
    assert plan.action("gendarmerie").status == "in_progress"


@pytest.mark.parametrize(
    ("data", "status", "detail"),
    [
        (
            {"days": -1, "text": "Demain"},
            400,
            "La date du point d'avancement ne peut pas être dans le futur.",
        ),
        ({"days": 0, "text": "Rouvert", "status": "done"}, 201, None),
    ],
)
def test_progress_refusals_say_why(plan, data, status, detail):
    client = plan.client("cidff")
    written_on = timezone.localdate() - datetime.timedelta(days=data.pop("days"))
    response = post_progress(client, plan.action("cidff"), {"written_on": written_on.isoformat(), **data})
    assert response.status_code == status
    if detail:
        assert response.json() == {"detail": detail}
    else:
        reopened = post_progress(
            client,
            plan.action("cidff"),
            {"written_on": written_on.isoformat(), "text": "Encore", "status": "in_progress"},
        )
        assert reopened.status_code == 403
        assert reopened.json()["detail"] == "Seule la coordination peut rouvrir une action « réalisée »."


def test_another_organisation_is_refused_and_another_territory_sees_nothing(plan):
    data = {"written_on": timezone.localdate().isoformat(), "text": "Fait."}
    refused = post_progress(plan.client("doctor"), plan.action("gendarmerie"), data)
    assert refused.status_code == 403
    assert "organisation pilote" in refused.json()["detail"]
    hidden = post_progress(plan.client("gendarme_elsewhere"), plan.action("gendarmerie"), data)
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Ressource introuvable."}
    assert not ProgressUpdate.objects.exists()
