"""Issue 11's assessment journey: a gendarme opens a situation, « Évaluer le danger » with the French grid,
sends it half answered (error summary, answers kept), answers two red questions « oui » → the result page says
« Danger grave », shows the trend of the re-assessments, and the situation carries its badge. axe checks each
page, at 1366 px and on a 390 px phone (which must not scroll sideways)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.assessments.helpers import FRENCH, answers, assess, load_shipped_grids, situation_of
from tests.browser.helpers import signed_in
from tests.situations.factories import actor_of
from tests.situations.worlds import Network

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1366", "390"])
def test_assess_to_a_danger_result(browser, live_server, contexts, check_a11y, viewport):
    net = Network()
    grids = load_shipped_grids()
    situation = situation_of(net)
    grid = grids[FRENCH]
    # An earlier assessment, so that the result shows a trend.
    assess(
        actor_of(net["gendarme"]),
        situation,
        grid,
        answers=answers(grid, yes=4, red=1),
        assessed_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    gendarme = net["gendarme"].user
    page = signed_in(
        browser,
        live_server,
        contexts,
        (gendarme, gendarme.totp_secret),
        viewport=viewport or {"width": 1366, "height": 900},
    )

    def fits():
        if viewport:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide"

    page.goto(f"/situations/{situation.public_id}/")
    page.get_by_role("link", name="Évaluer le danger").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluer le danger")
    check_a11y(page)
    page.get_by_role("link", name=re.compile("Grille d'évaluation du danger")).click()
    expect(page.locator("legend").first).to_contain_text("1.")
    check_a11y(page)
    fits()

    # Half answered: the error summary, and what was answered is kept.
    for number in range(1, 12):
        page.locator(f"#id_q{number}_1").check()
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page).to_have_title(re.compile("^Erreur : "))
    expect(
        page.get_by_role("link", name=re.compile(r"^12\. .* Répondez par oui ou par non\.$"))
    ).to_be_visible()
    expect(page.locator("#id_q11_1")).to_be_checked()
    check_a11y(page)
    fits()

    red = set(grid.questions.filter(red=True).values_list("number", flat=True))
    for number in range(1, 24):
        page.locator(f"#id_q{number}_{0 if number in sorted(red)[:2] else 1}").check()
    page.get_by_role("button", name="Enregistrer l'évaluation").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Résultat"))).to_contain_text("Danger grave")
    expect(page.locator("svg.trend-chart circle")).to_have_count(2)
    check_a11y(page)
    fits()

    page.get_by_role("link", name=re.compile("Retour à la situation")).click()
    expect(page.locator(".badge--urgent", has_text="Danger grave")).to_be_visible()
    check_a11y(page)
    fits()

    # The situation's assessments (history, trend, a button per grid) and the territory's grids.
    page.get_by_role("link", name="Évaluations du danger").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Évaluations du danger")
    expect(page.locator("svg.trend-chart circle")).to_have_count(2)
    check_a11y(page)
    fits()
    page.get_by_role("link", name="Les grilles d'évaluation du territoire").click()
    expect(page.get_by_text("Question rouge").first).to_be_visible()
    check_a11y(page)
    fits()
