"""Every page reachable from the menus, for every kind of member, on a phone (390 px wide, then the same page
at 360 px) and on a laptop (1366 px): never wider than the screen, and axe finds no serious or critical
violation (issue 10)."""

import io
import json
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage.accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.browser.helpers import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page is opened at the first size, checked by axe there, then laid out again at the others.
SIZES = {"phone": [(390, 844), (360, 780)], "laptop": [(1366, 768)]}
MENUS = "nav.main-nav a[href], nav.user-menu a[href]"


def wider_than_the_screen(page, screen: int) -> int | None:
    """The page's width when it stays wider than the screen once laid out (measured again for up to 3 s).
    Compared with the screen size itself, not `innerWidth`: a phone browser widens its layout viewport to a
    page too wide and zooms out."""
    for _ in range(7):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width <= screen:
            return None
        page.wait_for_timeout(500)
    return width


def folded_menu(page, height: int) -> None:
    """On a phone the menus fold behind « Menu »: the header leaves the first screen to the page, and the
    button opens the navigation."""
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Navigation principale")
    expect(navigation).to_be_hidden()
    header = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
    assert header < height * 0.2, f"the header takes {header} px of a {height} px screen"
    menu = page.get_by_role("button", name=re.compile("^Menu"))
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(navigation).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "true")


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    """One demo account per combination of roles, on the demo network with 12 situations: real names,
    addresses and numbers, long enough to show what overflows."""
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    call_command("load_demo", situations=12, stdout=io.StringIO())
    accounts = json.loads((settings.VAR_DIR / "demo-accounts.json").read_text(encoding="utf-8"))
    chosen = {}
    for account in accounts:
        chosen.setdefault("+".join(sorted(account["roles"])), account)
    people = {}
    for roles, account in sorted(chosen.items()):
        user = User.objects.get(email=account["email"])
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])
        people[roles] = (user, account["totp_secret"])
    return people


@pytest.mark.parametrize("size", SIZES)
def test_every_page_of_the_menus_fits_and_passes_axe(
    browser, live_server, contexts, check_a11y, people, size
):
    (width, height), *smaller = SIZES[size]
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
        if width < 800:
            for screen_width, screen_height in [(width, height), *smaller]:
                page.set_viewport_size({"width": screen_width, "height": screen_height})
                folded_menu(page, screen_height)
        for address in addresses:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(address)
            try:
                check_a11y(page)
            except AssertionError as error:
                problems.append(f"{name} {address}: {error}")
            for screen_width, screen_height in [(width, height), *smaller]:
                page.set_viewport_size({"width": screen_width, "height": screen_height})
                too_wide = wider_than_the_screen(page, screen_width)
                if too_wide:
                    problems.append(f"{name} {address}: {too_wide} px on a {screen_width} px screen")
    assert not problems, "\n".join(problems)
