"""The assessment pages: who reaches them (the situation's policy, same 404 for missing and forbidden), the
form (bad input keeps every answer), the result with history and trend, and each read recorded."""

import datetime
import re
import uuid

import pytest
from django.utils import timezone

from maillage.assessments.models import Assessment
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.situations import services as situation_services
from tests.assessments.helpers import DASH, FRENCH, answers, assess
from tests.helpers import audit_entry_queries
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.django_db

# The result page, whatever the number of assessments: session, actor, the assessment, its situation's read
# (recorded: its audit entry is added where counted), its questions, the history with grids and assessors…
# (no query per row).
QUERIES = 12
NOT_SEEING = ["cidff", "referent_elsewhere", "org_admin", "housing_manager", "observer", "dpo"]


def form_data(grid, given, **extra):
    data = {f"q{n}": "oui" if yes else "non" for n, yes in given.items()}
    data.update({"grille": grid.code, "version": str(grid.public_id), "submission": str(uuid.uuid4())})
    data.update(
        {"assessed_on": timezone.localdate().isoformat(), "override_level": "", "override_reason": ""}
    )
    data.update(extra)
    return data


def pages(situation, assessment):
    return [
        f"/evaluations/situations/{situation.public_id}/",
        f"/evaluations/situations/{situation.public_id}/evaluer/?grille={FRENCH}",
        f"/evaluations/{assessment.public_id}/",
    ]


@pytest.mark.parametrize("name", NOT_SEEING)
def test_who_does_not_see_the_situation_gets_the_same_404_as_for_a_missing_one(net, situation, grids, name):
    assessment = assess(net.actor("gendarme"), situation, grids[FRENCH])
    client = net.client(name)
    for path in pages(situation, assessment):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        if name in ("cidff", "referent_elsewhere"):  # roles that see situations, not this one
            assert response.status_code == 404, path
            missing = re.sub(r"[0-9a-f-]{36}", str(uuid.uuid4()), path)
            assert client.get(missing).status_code == 404
    response = client.post(pages(situation, assessment)[1], form_data(grids[FRENCH], answers(grids[FRENCH])))
    assert response.status_code in (403, 404)
    assert Assessment.objects.count() == 1


def test_the_platform_admin_is_refused(net, situation, grids):
    assessment = assess(net.actor("gendarme"), situation, grids[FRENCH])
    client = net.client("platform_admin")
    for path in pages(situation, assessment):
        assert client.get(path).status_code in (403, 404)


@pytest.mark.parametrize("name", ["coordinator", "referent", "gendarme", "gendarme_colleague"])
def test_the_situation_s_coordination_and_participants_assess(net, situation, grids, name):
    client = net.client(name)
    grid = grids[FRENCH]
    response = client.post(
        f"/evaluations/situations/{situation.public_id}/evaluer/",
        form_data(grid, answers(grid, yes=2, red=2), assessed_on="2026-11-02"),
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == f"/evaluations/{assessment.public_id}/"
    page = client.get(response.url).content.decode()
    assert "Résultat : Danger grave" in page and "proposée pour la prochaine réunion" in page
    situation_page = client.get(f"/situations/{situation.public_id}/").content.decode()
    assert "Danger grave" in situation_page
    assert "Danger grave" in client.get("/situations/").content.decode()


def test_the_form_groups_questions_in_fieldsets_and_marks_the_red_ones(net, situation, grids):
    page = net.client("gendarme").get(
        f"/evaluations/situations/{situation.public_id}/evaluer/?grille={FRENCH}"
    )
    html = page.content.decode()
    assert html.count("<fieldset") == 23 and html.count("<legend") == 23
    assert html.count("Question rouge :") == 5 and "Formulation provisoire" in html
    assert html.count("<h2") >= 3


def test_several_grids_ask_which_one(net, situation, grids):
    page = net.client("gendarme").get(f"/evaluations/situations/{situation.public_id}/evaluer/")
    html = page.content.decode()
    assert f"?grille={FRENCH}" in html and f"?grille={DASH}" in html


def test_unanswered_questions_get_a_clear_message_and_every_answer_is_kept(net, situation, grids):
    grid = grids[FRENCH]
    given = answers(grid, yes=5, red=1)
    unanswered = {4, 20}
    data = form_data(grid, {n: a for n, a in given.items() if n not in unanswered}, override_level="high")
    response = net.client("gendarme").post(f"/evaluations/situations/{situation.public_id}/evaluer/", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Assessment.objects.exists()
    # In the error summary, after the question and linked to its first choice, and at the question.
    assert html.count("Répondez par oui ou par non.") == 2 * len(unanswered)
    assert 'href="#id_q4_0"' in html and 'href="#id_q20_0"' in html
    assert "Motivez le niveau retenu" in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Erreur : " in html
    for number, yes in given.items():
        if number in unanswered:
            continue
        value = "oui" if yes else "non"
        assert re.search(rf'name="q{number}" value="{value}"[^>]*checked', html), number


def test_the_result_shows_the_history_the_trend_and_its_table(net, situation, grids):
    grid = grids[DASH]
    actor = net.actor("gendarme")
    for days, yes in ((60, 8), (30, 11), (0, 15)):
        assess(
            actor,
            situation,
            grid,
            answers=answers(grid, yes=yes),
            assessed_on=datetime.date(2026, 11, 30) - datetime.timedelta(days=days),
        )
    latest = Assessment.objects.order_by("-assessed_on").first()
    html = net.client("referent").get(f"/evaluations/{latest.public_id}/").content.decode()
    assert '<svg class="trend-chart"' in html and 'aria-hidden="true"' in html and html.count("<circle") == 3
    # Coordinates with a dot whatever the locale (French would write "70,0", which SVG cannot read).
    assert re.findall(r'<circle cx="(\d+\.\d)" cy="(\d+\.\d)"', html)[2] == ("328.0", "12.0")
    assert "Historique des évaluations" in html and html.count("<tr") >= 3 + 1 + 24


def test_every_page_showing_assessments_records_a_read(net, situation, grids):
    assessment = assess(net.actor("gendarme"), situation, grids[FRENCH])
    client = net.client("referent")
    user_id = net["referent"].user_id
    for path in (f"/evaluations/situations/{situation.public_id}/", f"/evaluations/{assessment.public_id}/"):
        before = AuditEntry.objects.count()
        assert client.get(path).status_code == 200
        reads = AuditEntry.objects.filter(
            actor_user_id=user_id, action=AuditAction.SITUATION_VIEWED
        ).order_by("-pk")
        assert AuditEntry.objects.count() > before
        assert reads.first().changes == {"emergency": False, "part": "assessments"}


def test_a_break_the_glass_reader_reads_and_the_read_says_so_but_cannot_assess(net, situation, grids):
    assessment = assess(net.actor("gendarme"), situation, grids[FRENCH])
    situation_services.emergency_access_request(
        actor=net.actor("cidff"), pseudonym=situation.pseudonym, reason="La victime est à l'accueil, urgence"
    )
    client = net.client("cidff")
    assert client.get(f"/evaluations/{assessment.public_id}/").status_code == 200
    read = AuditEntry.objects.filter(
        actor_user_id=net["cidff"].user_id, action=AuditAction.SITUATION_VIEWED
    ).last()
    assert read.changes == {"emergency": True, "part": "assessments"}
    assert (
        client.get(f"/evaluations/situations/{situation.public_id}/evaluer/?grille={FRENCH}").status_code
        == 403
    )


def test_a_double_click_records_one_assessment_and_shows_it(net, situation, grids):
    grid = grids[FRENCH]
    data = form_data(grid, answers(grid, yes=3))
    client = net.client("gendarme")
    first = client.post(f"/evaluations/situations/{situation.public_id}/evaluer/", data)
    second = client.post(f"/evaluations/situations/{situation.public_id}/evaluer/", data, follow=True)
    assert Assessment.objects.count() == 1
    assert second.redirect_chain[0][0] == first.url
    assert "déjà été enregistrée" in second.content.decode()


def test_the_grids_page_and_the_coordinator_s_choice(net, grids):
    assert net.client("gendarme").post("/evaluations/grilles/", {"codes": [DASH]}).status_code == 403
    client = net.client("coordinator")
    assert "Question rouge" in client.get("/evaluations/grilles/").content.decode()
    assert client.post("/evaluations/grilles/", {"codes": [DASH]}).status_code == 302
    html = net.client("gendarme").get("/evaluations/grilles/").content.decode()
    assert "DASH" in html and "Grille d'évaluation du danger (police" not in html


def test_the_alert_shows_the_pseudonym_in_the_application_and_nothing_in_the_email(
    net, situation, grids, mailoutbox
):
    from django.test import TestCase

    grid = grids[FRENCH]
    run_queued_tasks()  # the e-mails of the report's alerts…
    mailoutbox.clear()  # …are not the ones counted here
    with TestCase.captureOnCommitCallbacks(execute=True):
        assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=12))
    html = net.client("coordinator").get("/notifications/").content.decode()
    assert situation.pseudonym in html and "Danger grave évalué" in html
    run_queued_tasks()  # the alert e-mails leave through the task queue
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert situation.pseudonym not in message.subject + message.body
        assert "danger" not in message.subject.lower()


def test_a_tampered_version_is_not_a_crash(net, situation, grids):
    grid = grids[FRENCH]
    data = form_data(grid, answers(grid, yes=1), version="pas-un-identifiant")
    response = net.client("gendarme").post(f"/evaluations/situations/{situation.public_id}/evaluer/", data)
    assert response.status_code == 302 and Assessment.objects.count() == 1


@pytest.mark.parametrize("count", [1, 6])
def test_the_result_page_reads_a_fixed_number_of_queries(
    net, situation, grids, count, django_assert_num_queries
):
    grid = grids[DASH]
    for days in range(count):
        assess(
            net.actor("gendarme"),
            situation,
            grid,
            answers=answers(grid, yes=days),
            assessed_on=timezone.localdate() - datetime.timedelta(days=days),
        )
    latest = Assessment.objects.order_by("-assessed_on").first()
    client = net.client("referent")
    client.get(f"/evaluations/{latest.public_id}/")  # sessions and caches warm
    with django_assert_num_queries(QUERIES + audit_entry_queries()):
        assert client.get(f"/evaluations/{latest.public_id}/").status_code == 200
