"""Issue 11's whole journey, in one browser run with axe on each page: a gendarme assesses a situation with
the French grid → « Danger grave » (the coordinator and the referent are alerted) → refers it to the CIDFF →
the CIDFF accepts, adds a note and marks the referral done; a referral to the CCAS, accepted and then
declined, takes the situation away from the CCAS on the very next request."""

import re

import pytest
from playwright.sync_api import expect

from maillage.assessments.enums import NotificationKind as AssessmentNotificationKind
from maillage.notifications.models import Notification
from maillage.situations.enums import ConsentAnswer
from maillage.situations.models import Situation
from tests.assessments.helpers import FRENCH, load_shipped_grids
from tests.browser.helpers import signed_in
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def account(net, name):
    user = net[name].user
    return user, user.totp_secret


def refer(page, check_a11y, situation_url, receiver, reason):
    page.goto(situation_url)
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    page.get_by_label("Organisation vers laquelle orienter").select_option(label=receiver)
    page.get_by_label("Information juridique").check()
    page.get_by_label("Motif de l'orientation").fill(reason)
    page.get_by_label("Consentement de la victime").check()
    page.get_by_role("button", name="Proposer l'orientation").click()
    expect(page.locator(".message--success")).to_contain_text("Orientation proposée")
    check_a11y(page)
    return page.url


def test_assess_danger_refer_accept_note_done_and_decline(browser, live_server, contexts, check_a11y):
    net = Network()
    grid = load_shipped_grids()[FRENCH]
    situation = report_situation(
        net["gendarme"],
        commune=net.mouchamps,
        consent={"answer": ConsentAnswer.GIVEN, "organisations": [net.cidff, net.ccas]},
    )
    situation_url = f"/situations/{situation.public_id}/"

    # The gendarme assesses: two red questions answered « oui » establish the danger.
    gendarme = signed_in(browser, live_server, contexts, account(net, "gendarme"))
    gendarme.goto(situation_url)
    gendarme.get_by_role("link", name="Évaluer le danger").click()
    gendarme.get_by_role("link", name=re.compile("Grille d'évaluation du danger")).click()
    check_a11y(gendarme)
    red = sorted(grid.questions.filter(red=True).values_list("number", flat=True))[:2]
    for number in range(1, grid.questions.count() + 1):
        gendarme.locator(f"#id_q{number}_{0 if number in red else 1}").check()
    gendarme.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(gendarme.get_by_role("heading", level=2, name=re.compile("Résultat"))).to_contain_text(
        "Danger grave"
    )
    check_a11y(gendarme)
    situation = Situation.objects.get(pk=situation.pk)
    assert situation.high_danger and situation.proposed_for_meeting is not None
    alerted = set(
        Notification.objects.filter(kind=AssessmentNotificationKind.DANGER_ASSESSED).values_list(
            "recipient", flat=True
        )
    )
    assert net["coordinator"].pk in alerted and net["gendarme"].pk not in alerted

    # It refers the situation to the CIDFF, which sees a summary only, accepts, adds a note, marks it done.
    referral_url = refer(gendarme, check_a11y, situation_url, net.cidff.name, "Souhaite connaître ses droits")
    cidff = signed_in(browser, live_server, contexts, account(net, "cidff"))
    assert cidff.goto(situation_url).status == 404
    cidff.goto(referral_url)
    expect(cidff.get_by_text("Souhaite connaître ses droits")).to_be_visible()
    expect(cidff.get_by_text("Exemple")).to_have_count(0)
    check_a11y(cidff)
    cidff.get_by_role("button", name="Accepter l'orientation").click()
    expect(cidff.locator(".message--success")).to_contain_text("Orientation acceptée")
    expect(cidff.locator(".badge--urgent", has_text="Danger grave")).to_be_visible()
    check_a11y(cidff)
    cidff.get_by_role("link", name="Ajouter au suivi").click()
    cidff.get_by_label("Les organisations qui suivent la situation").check()
    cidff.get_by_label("Texte").fill("Premier rendez-vous juridique fixé.")
    cidff.get_by_role("button", name="Ajouter").click()
    expect(cidff.get_by_text("Premier rendez-vous juridique fixé.")).to_be_visible()
    check_a11y(cidff)
    cidff.goto(referral_url)
    cidff.get_by_role("button", name="Marquer comme réalisée").click()
    expect(cidff.locator(".message--success")).to_contain_text("Orientation marquée comme réalisée")
    check_a11y(cidff)

    # The CCAS accepts a referral, then gives it back: access ends on the very next request.
    ccas_referral = refer(gendarme, check_a11y, situation_url, net.ccas.name, "Aide administrative")
    ccas = signed_in(browser, live_server, contexts, account(net, "ccas"))
    ccas.goto(ccas_referral)
    ccas.get_by_role("button", name="Accepter l'orientation").click()
    assert ccas.goto(situation_url).status == 200
    ccas.goto(ccas_referral)
    ccas.get_by_label("Motif du refus").fill("Relais pris par un autre service")
    ccas.get_by_role("button", name="Refuser").click()
    check_a11y(ccas)
    ccas.get_by_role("button", name="Refuser l'orientation").click()
    expect(ccas.locator(".message--success")).to_contain_text("Orientation refusée")
    assert ccas.goto(situation_url).status == 404
    assert cidff.goto(situation_url).status == 200
