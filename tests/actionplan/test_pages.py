"""The plan's pages as people use them: the empty plan and its axes, the filters, an action created, edited
(a stale form keeps what was typed), its progress noted by the lead organisation, its figures kept, removals
confirmed first; each key page reads a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from maillage.actionplan import services
from maillage.actionplan.enums import ActionStatus, ContributionKind
from maillage.actionplan.models import Action, Axis, Contribution, Indicator, ProgressUpdate
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PLAN = "/plan-d-action/"


def html(response) -> str:
    return response.content.decode()


def detail_url(action) -> str:
    return f"{PLAN}actions/{action.public_id}/"


def listed(page: str) -> list[str]:
    return re.findall(r'<td><a href="/plan-d-action/actions/[^"]+/">([^<]+)</a></td>', page)


def test_an_empty_plan_offers_the_contracts_axes_to_the_coordinator(client, territory):
    coordinator = MembershipFactory(territory=territory, roles=["coordinator"])
    professional = MembershipFactory(territory=territory, roles=["professional"])
    sign_in(client, professional.user, professional)
    page = html(client.get(PLAN))
    assert "Le plan d'action n'a pas encore d'axe." in page
    assert "Créer les axes du contrat" not in page
    assert client.post(f"{PLAN}axes/creer-les-axes-du-contrat/").status_code == 403
    sign_in(client, coordinator.user, coordinator)
    assert "Créer les axes du contrat" in html(client.get(PLAN))
    assert client.get(f"{PLAN}actions/ajouter/").status_code == 302  # no axis yet: create them first
    for _ in range(2):  # a double click creates them once
        assert client.post(f"{PLAN}axes/creer-les-axes-du-contrat/").status_code == 302
    assert Axis.objects.filter(territory=territory).count() == 7
    page = html(client.get(PLAN))
    assert "Axe 1 — Repérer les victimes le plus tôt possible" in page
    assert page.count("Aucune action dans cet axe pour l'instant.") == 7


def test_the_plan_shows_each_axis_with_its_actions_and_their_progress(plan):
    action = plan.action("gendarmerie")
    services.indicator_create(actor=plan.actor("coordinator"), action=action, label="A", target=10, actual=12)
    services.indicator_create(actor=plan.actor("coordinator"), action=action, label="B", target=10, actual=3)
    services.indicator_create(actor=plan.actor("coordinator"), action=action, label="C")
    written_on = timezone.localdate() - datetime.timedelta(days=3)
    services.progress_record(actor=plan.actor("gendarme"), action=action, written_on=written_on, text="Fait.")
    page = html(plan.client("observer").get(PLAN))
    assert '<h2 id="axe-1">Axe 1 — ' in page
    assert f"Dernier point le {written_on:%d/%m/%Y}" in page
    assert "1 cible atteinte sur 2" in page
    assert "Aucun point d'avancement" in page  # the other actions
    assert "3 actions." in page


def test_filters_by_axis_status_and_lead(plan):
    client = plan.client("dpo")
    services.progress_record(
        actor=plan.actor("cidff"),
        action=plan.action("cidff"),
        written_on=timezone.localdate(),
        text="Première permanence.",
        status=ActionStatus.IN_PROGRESS,
    )
    assert listed(html(client.get(PLAN, {"etat": "in_progress"}))) == [
        "Permanences juridiques dans les mairies"
    ]
    page = html(client.get(PLAN, {"pilote": str(plan.epci.public_id)}))
    assert listed(page) == ["Campagne du 25 novembre"]
    assert "1 action correspond aux filtres." in page
    assert "Aucune action de cet axe ne correspond aux filtres." in page
    page = html(client.get(PLAN, {"axe": str(plan.axes[0].public_id)}))
    assert listed(page) == [escape("Former les agents d'accueil au repérage")]
    assert 'id="axe-1"' in page and 'id="axe-2"' not in page
    # An unknown value is a filter error, not a crash.
    assert client.get(PLAN, {"axe": "nope"}).status_code == 200


@pytest.mark.parametrize("actions", [1, 12])
def test_the_plan_reads_a_fixed_number_of_queries(plan, actions, django_assert_num_queries):
    coordinator = plan.actor("coordinator")
    for index in range(actions):
        action = services.action_create(
            actor=coordinator,
            axis=plan.axes[index % 7],
            title=f"Action {index}",
            lead_organisation=plan.ccas,
            partners=[plan.cidff],
        )
        services.indicator_create(actor=coordinator, action=action, label="Cible", target=1, actual=1)
        services.progress_record(
            actor=coordinator, action=action, written_on=timezone.localdate(), text="Fait."
        )
    client = plan.client("referent")
    client.get(PLAN)
    # session, user, membership (+roles, +communes), unread alerts, axes, organisations (filter), actions
    with django_assert_num_queries(9):
        assert client.get(PLAN, {"etat": ""}).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_the_action_page_reads_a_fixed_number_of_queries(plan, rows, django_assert_num_queries):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    for index in range(rows):
        services.indicator_create(actor=coordinator, action=action, label=f"I{index}", target=5)
        services.budget_line_create(
            actor=coordinator, action=action, year=2025, label=f"L{index}", planned=100
        )
        services.contribution_create(
            actor=coordinator,
            action=action,
            organisation=plan.cidff,
            year=2025,
            kind=ContributionKind.STAFF_HOURS,
            hours=index + 1,
        )
        services.progress_record(
            actor=plan.actor("gendarme"),
            action=action,
            written_on=timezone.localdate(),
            text=f"Point {index}",
        )
    client = plan.client("gendarme")
    client.get(detail_url(action))
    # session, user, membership (+roles, +communes), the action, its partners, indicators, budget lines,
    # contributions and progress updates
    with django_assert_num_queries(11):
        assert client.get(detail_url(action)).status_code == 200


def test_the_coordinator_creates_an_action_and_a_double_click_creates_one(plan):
    client = plan.client("coordinator")
    form = html(client.get(f"{PLAN}actions/ajouter/?axe={plan.axes[5].public_id}"))
    assert f'<option value="{plan.axes[5].public_id}" selected>' in form
    data = {
        "axis": str(plan.axes[5].public_id),
        "title": "Violentomètres au collège",
        "description": "Distribution en classe de 4e avec l'infirmière scolaire.",
        "lead_organisation": str(plan.cidff.public_id),
        "partners": [str(plan.hospital.public_id), str(plan.ccas.public_id)],
        "starts_on": "2025-09-01",
        "ends_on": "2026-06-30",
        "status": "planned",
    }
    first = client.post(f"{PLAN}actions/ajouter/", data)
    action = Action.objects.get(title="Violentomètres au collège")
    assert first.url == detail_url(action)
    second = client.post(f"{PLAN}actions/ajouter/", data, follow=True)
    assert second.redirect_chain[-1][0] == detail_url(action)
    assert "existe déjà dans cet axe" in html(second)
    assert Action.objects.filter(title="Violentomètres au collège").count() == 1
    page = html(client.get(detail_url(action)))
    assert "Centre hospitalier, CCAS des Herbiers" in page or "CCAS des Herbiers, Centre hospitalier" in page
    assert "30/06/2026" in page


def test_a_form_in_error_keeps_what_was_typed(plan):
    client = plan.client("coordinator")
    response = client.post(
        f"{PLAN}actions/ajouter/",
        {
            "axis": str(plan.axes[0].public_id),
            "title": "Guide pour les professionnels",
            "lead_organisation": str(plan.cidff.public_id),
            "starts_on": "2026-03-01",
            "ends_on": "2026-01-31",
            "status": "planned",
        },
    )
    page = html(response)
    assert response.status_code == 200
    assert "La fin prévue de l&#x27;action ne peut pas précéder son début." in page
    assert 'value="Guide pour les professionnels"' in page
    assert "<title>Erreur : " in page
    assert not Action.objects.filter(title="Guide pour les professionnels").exists()


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(plan):
    client = plan.client("coordinator")
    action = plan.action("epci")
    url = detail_url(action) + "modifier/"
    assert 'name="version" value="1"' in html(client.get(url))
    services.action_update(actor=plan.actor("coordinator"), action=action, version=1, status="in_progress")
    response = client.post(
        url,
        {
            "axis": str(plan.axes[5].public_id),
            "title": "Campagne du 25 novembre dans les 8 communes",
            "lead_organisation": str(plan.epci.public_id),
            "status": "in_progress",
            "version": "1",
        },
    )
    page = html(response)
    assert "Quelqu&#x27;un a modifié cette action" in page
    assert 'value="Campagne du 25 novembre dans les 8 communes"' in page
    assert 'name="version" value="2"' in page
    assert plan.action("epci").title == "Campagne du 25 novembre"
    # Saving again, after checking, applies it.
    data = {
        "axis": str(plan.axes[5].public_id),
        "title": "Campagne du 25 novembre dans les 8 communes",
        "lead_organisation": str(plan.epci.public_id),
        "status": "in_progress",
        "version": "2",
    }
    assert client.post(url, data).status_code == 302
    assert plan.action("epci").title == "Campagne du 25 novembre dans les 8 communes"


def test_the_lead_notes_progress_that_moves_the_status_and_the_history_shows_it(plan):
    client = plan.client("gendarme")
    action = plan.action("gendarmerie")
    form = html(client.get(detail_url(action) + "avancement/"))
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in form
    # The lead may move it forward, not reopen: « Réalisée » is offered, the statuses are the machine's.
    assert '<option value="in_progress">En cours</option>' in form
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(
        detail_url(action) + "avancement/",
        {"written_on": tomorrow.isoformat(), "text": "Demain", "status": "planned"},
    )
    assert "ne peut pas être dans le futur" in html(refused)
    assert "Demain</textarea>" in html(refused)
    written_on = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        detail_url(action) + "avancement/",
        {
            "written_on": written_on.isoformat(),
            "text": "Première session : 14 agents.",
            "status": "in_progress",
        },
        follow=True,
    )
    page = html(response)
    assert "Point d&#x27;avancement enregistré." in page
    user = plan["gendarme"].user
    assert (
        f"Le {written_on:%d/%m/%Y}, par {user.get_full_name()} (Gendarmerie — brigade des Herbiers)" in page
    )
    assert "Première session : 14 agents." in page
    assert '<span class="badge" data-testid="action-status">En cours</span>' in page
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_the_lead_updates_an_actual_value_and_its_own_contributions(plan):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    indicator = services.indicator_create(actor=coordinator, action=action, label="Agents formés", target=40)
    client = plan.client("gendarme")
    url = f"{detail_url(action)}indicateurs/{indicator.public_id}/modifier/"
    form = html(client.get(url))
    assert 'name="actual"' in form and 'name="target"' not in form
    assert client.post(url, {"actual": "14"}).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).actual == Decimal(14)
    add = f"{detail_url(action)}contributions/ajouter/"
    form = html(client.get(add))
    assert 'name="organisation"' not in form
    refused = client.post(add, {"year": "2025", "kind": "staff_hours", "amount": "300"})
    assert "Indiquez le nombre d&#x27;heures." in html(refused) or "Le temps de personnel se compte" in html(
        refused
    )
    assert client.post(add, {"year": "2025", "kind": "staff_hours", "hours": "24"}).status_code == 302
    contribution = Contribution.objects.get(action=action)
    assert contribution.organisation == plan.gendarmerie
    # Another partner's contribution is the coordinator's.
    other = services.contribution_create(
        actor=coordinator, action=action, organisation=plan.cidff, year=2025, kind="money", amount=500
    )
    assert client.get(f"{detail_url(action)}contributions/{other.public_id}/modifier/").status_code == 403
    assert client.post(f"{detail_url(action)}contributions/{other.public_id}/supprimer/").status_code == 403


def test_removals_are_confirmed_first(plan):
    coordinator = plan.actor("coordinator")
    action = plan.action("gendarmerie")
    line = services.budget_line_create(
        actor=coordinator, action=action, year=2025, label="Affiches", planned=300
    )
    client = plan.client("coordinator")
    url = f"{detail_url(action)}budget/{line.public_id}/supprimer/"
    assert client.get(url).status_code == 405
    confirm = html(client.post(url))
    assert "Supprimer la ligne « Affiches » (2025)" in confirm
    assert action.budget_lines.exists()
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302 and response.url.endswith("#budget")
    assert not action.budget_lines.exists()
    # A removed line is gone: a second click finds nothing.
    assert client.post(url, {"confirmed": "1"}).status_code == 404


def test_an_axis_with_actions_cannot_be_removed(plan):
    client = plan.client("coordinator")
    url = f"{PLAN}axes/{plan.axes[0].public_id}/supprimer/"
    response = client.post(url, {"confirmed": "1"}, follow=True)
    assert "Cet axe porte des actions" in html(response)
    assert Axis.objects.filter(pk=plan.axes[0].pk).exists()
    empty = plan.axes[6]
    assert client.post(f"{PLAN}axes/{empty.public_id}/supprimer/", {"confirmed": "1"}).status_code == 302
    assert not Axis.objects.filter(pk=empty.pk).exists()


def test_the_menu_leads_every_member_to_the_plan(plan):
    for name in ("observer", "dpo", "housing_manager", "gendarme"):
        # follow: the observer's first page is the statistics dashboard.
        page = plan.client(name).get("/", follow=True)
        assert 'href="/plan-d-action/">Plan d\'action</a>' in html(page), name


def test_an_action_whose_partner_was_deactivated_can_still_be_edited(plan):
    plan.ccas.is_active = False
    plan.ccas.save()
    client = plan.client("coordinator")
    action = plan.action("gendarmerie")
    url = detail_url(action) + "modifier/"
    assert "CCAS des Herbiers" in html(client.get(url))
    data = {
        "axis": str(action.axis.public_id),
        "title": action.title,
        "lead_organisation": str(plan.gendarmerie.public_id),
        "partners": [str(plan.cidff.public_id), str(plan.ccas.public_id)],
        "starts_on": action.starts_on.isoformat(),
        "ends_on": action.ends_on.isoformat(),
        "status": "in_progress",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    assert plan.action("gendarmerie").status == "in_progress"
    # A new action is offered the active organisations only.
    assert "CCAS des Herbiers" not in html(client.get(f"{PLAN}actions/ajouter/"))
