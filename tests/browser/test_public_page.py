"""A victim or witness opens the help page from the sign-in page on a phone, then leaves it at once: with the
button, with Escape, with Shift pressed three times. The back button never brings the page back, and the site
leaves no cookie. The neutral site is answered by the test itself: nothing goes to the network."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NEUTRAL = "https://meteofrance.com/"
NEUTRAL_PAGE = (
    "<!DOCTYPE html><html lang='fr'><head><title>Météo</title></head><body><h1>Météo</h1></body></html>"
)


@pytest.fixture
def territory():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    OrganisationFactory(
        name="Mairie de Mouchamps",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        phone="02 51 00 11 10",
        territories=[herbiers],
    )
    OrganisationFactory(
        name="CIDFF de la Vendée",
        kind=OrganisationKind.ASSOCIATION,
        phone="02 51 00 50 00",
        territories=[herbiers],
    )
    MembershipFactory(territory=herbiers, communes=[mouchamps], user__last_name="Bernardeau")
    return herbiers


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", **PHONE)
    # Anything outside the site is answered here; the neutral site by a tiny page, the rest refused.
    outside = []

    def answer(route):
        outside.append(route.request.url)
        if route.request.url.startswith(NEUTRAL):
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)
        else:
            route.abort()

    context.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), answer)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.outside = outside
    yield page
    context.close()


def open_help(page):
    """The help page, opened in a fresh context: no cookie set, nothing cached, a neutral title."""
    response = page.goto("/aide/")
    assert response.status == 200
    headers = response.all_headers()
    assert "set-cookie" not in headers
    assert "no-store" in headers["cache-control"]
    expect(page).to_have_title("Informations pratiques")
    return response


def test_from_the_sign_in_page_then_the_button(phone, territory, check_a11y, live_server):
    page = phone
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Vous êtes victime ou témoin ? Numéros d'urgence et aide").click()
    expect(page).to_have_url(f"{live_server.url}/aide/")
    expect(page).to_have_title("Informations pratiques")
    expect(page.get_by_role("link", name="3919 Violences Femmes Info")).to_have_attribute("href", "tel:3919")
    expect(page.get_by_role("link", name="114 Par SMS")).to_have_attribute("href", "sms:114")
    expect(page.get_by_text("Mairie de Mouchamps")).to_be_visible()
    expect(page.get_by_text("CIDFF de la Vendée")).to_be_visible()
    assert "Bernardeau" not in page.content()
    check_a11y(page)

    # Keyboard: the quick exit comes first, then the skip link, which moves focus without a history entry.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=re.compile("^Quitter vite"))).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()
    expect(page).to_have_url(f"{live_server.url}/aide/")

    quick_exit = page.get_by_role("link", name=re.compile("^Quitter vite"))
    box = quick_exit.bounding_box()
    assert box and box["y"] < 844 and box["x"] + box["width"] <= 390
    quick_exit.click()
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    # Back leads to the page before (sign-in), never to the help page.
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert page.outside == [NEUTRAL]


def test_escape_leaves_and_no_cookie(phone, territory, check_a11y, live_server):
    page = phone
    page.goto("/robots.txt")  # a page before, to see where back leads
    open_help(page)
    check_a11y(page)
    assert page.context.cookies() == []
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)
    assert page.context.cookies(live_server.url) == []
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/robots.txt")


def test_shift_three_times_leaves(phone, territory, live_server):
    page = phone
    page.goto("/robots.txt")
    open_help(page)
    page.locator("h1").click()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page).to_have_url(f"{live_server.url}/aide/")  # twice is not enough
    page.keyboard.press("Shift")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/robots.txt")
    assert page.context.cookies(live_server.url) == []


def test_several_territories_the_list_then_one(phone, territory, check_a11y, live_server):
    page = phone
    TerritoryFactory(name="Pays de Pouzauges")
    page.goto("/robots.txt")
    open_help(page)
    expect(page.get_by_role("heading", name="Choisissez votre territoire")).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name="Pays des Herbiers").click()
    expect(page.get_by_role("heading", name="Près de chez vous : Pays des Herbiers")).to_be_visible()
    check_a11y(page)
    page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL)
    page.go_back()
    # Neither the territory's page nor the list (its entry replaced when choosing the territory).
    expect(page).to_have_url(f"{live_server.url}/robots.txt")
    assert page.context.cookies(live_server.url) == []
