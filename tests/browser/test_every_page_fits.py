"""Every page reachable from the menus, for every kind of member, on a phone (360 and 390 px wide) and on a
laptop (1366 px): never wider than the screen, and axe finds no serious or critical violation (issue 10)."""

import pytest

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import UserFactory, enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone-360": (360, 780), "phone-390": (390, 844), "laptop": (1366, 768)}
MENUS = "nav.main-nav a[href], nav.user-menu a[href]"


def wider_than_the_screen(page) -> int | None:
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width if width > screen else None


@pytest.fixture
def people(transactional_db):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    epci = OrganisationFactory(
        name="Communauté de communes du Pays des Herbiers",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        territories=[herbiers],
        phone="02 51 91 29 29",
        email="contact@cc-paysdesherbiers.test",
    )
    gendarmerie = OrganisationFactory(
        name="Brigade de gendarmerie des Herbiers",
        kind=OrganisationKind.LAW_ENFORCEMENT,
        territories=[herbiers],
    )
    members = {
        "coordinator": MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"]),
        "referent": MembershipFactory(territory=herbiers, organisation=epci, communes=[mouchamps]),
        "gendarme": MembershipFactory(territory=herbiers, organisation=gendarmerie, roles=["professional"]),
        "org_admin": MembershipFactory(territory=herbiers, organisation=gendarmerie, roles=["org_admin"]),
        "dpo": MembershipFactory(territory=herbiers, organisation=epci, roles=["dpo"]),
        "observer": MembershipFactory(territory=herbiers, organisation=epci, roles=["observer"]),
    }
    for _ in range(3):
        report_situation(members["gendarme"], commune=mouchamps, urgent=True)
    accounts = {name: (m.user, enrol_totp(m.user)) for name, m in members.items()}
    admin = UserFactory(platform_admin=True, first_name="Alex", last_name="Technique")
    accounts["platform_admin"] = (admin, enrol_totp(admin))
    return accounts


@pytest.mark.parametrize("size", SIZES)
def test_every_page_of_the_menus_fits_and_passes_axe(
    browser, live_server, contexts, check_a11y, people, size
):
    width, height = SIZES[size]
    problems = []
    for name, account in people.items():
        page = signed_in(browser, live_server, contexts, account, viewport={"width": width, "height": height})
        addresses = [page.url.removeprefix(live_server.url)]
        for href in page.locator(MENUS).evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            if href.startswith("/") and href not in addresses:
                addresses.append(href)
        if "/situations/" in addresses:
            page.goto("/situations/")
            first = page.locator("main table a[href^='/situations/']").first
            if first.count():
                addresses.append(first.get_attribute("href"))
        for address in addresses:
            page.goto(address)
            too_wide = wider_than_the_screen(page)
            if too_wide:
                problems.append(f"{name} {address}: {too_wide} px on a {width} px screen")
            if size != "phone-360":
                try:
                    check_a11y(page)
                except AssertionError as error:
                    problems.append(f"{name} {address}: {error}")
    assert not problems, "\n".join(problems)
