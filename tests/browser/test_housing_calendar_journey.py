"""Availability, calendar and figures on a phone: a search refused with its reason, then answered; the
month calendar with stays (scrolling inside its box), the next month; the figures. Each page fits 390 px
and passes axe."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.housing.enums import StayStatus
from tests.browser.helpers import open_menu, signed_in
from tests.housing.factories_calendar import REFUGE_TEST_ADDRESS, HousingWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_search_calendar_and_figures_on_a_phone(browser, live_server, contexts, check_a11y):
    world = HousingWorld()
    today = timezone.localdate()
    stay = world.stay(world.flat, today - datetime.timedelta(days=3), today + datetime.timedelta(days=4))
    world.stay(
        world.refuge,
        today + datetime.timedelta(days=2),
        today + datetime.timedelta(days=9),
        status=StayStatus.PLANNED,
    )
    coordinator = world["coordinator"]
    page = signed_in(
        browser, live_server, contexts, (coordinator.user, coordinator.user.totp_secret), viewport=PHONE
    )
    open_menu(page)
    page.get_by_role("link", name="Trouver un hébergement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un hébergement")
    children = page.get_by_role("spinbutton", name="Enfants :", exact=True)
    children.fill("2")
    page.get_by_label("Dont enfants de moins de 3 ans").fill("1")
    page.get_by_label("Pour combien de nuits").fill("")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main")).to_contain_text("Indiquez un nombre de nuits ou la date de départ.")
    expect(children).to_have_value("2")
    expect(page.get_by_label("Dont enfants de moins de 3 ans")).to_have_value("1")
    assert fits(page)
    check_a11y(page)

    page.get_by_label("Pour combien de nuits").fill("14")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main")).to_contain_text("Aucun logement libre pour ce foyer et ces nuits")
    children.fill("1")
    page.get_by_label("Dont enfants de moins de 3 ans").fill("0")
    page.get_by_label("Pour combien de nuits").fill("1")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main table")).to_contain_text("Studio de la place")
    expect(page.locator("main")).not_to_contain_text(REFUGE_TEST_ADDRESS)
    assert fits(page)
    check_a11y(page)

    page.get_by_role("link", name="Voir le calendrier d'occupation des logements").click()
    expect(page.locator("table.calendar caption")).to_contain_text("Occupation de chaque logement")
    expect(page.locator("main")).to_contain_text(stay.situation.pseudonym)
    expect(page.locator("main")).not_to_contain_text(REFUGE_TEST_ADDRESS)
    assert fits(page)
    check_a11y(page)
    page.get_by_role("link", name="Mois suivant").click()
    expect(page.locator("table.calendar")).to_be_visible()
    assert fits(page)

    page.get_by_role("link", name="Chiffres de l'hébergement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiffres de l'hébergement")
    expect(page.locator("main")).to_contain_text("Taux d'occupation")
    assert fits(page)
    check_a11y(page)
