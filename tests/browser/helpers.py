"""Signing in through the real pages, for the browser journeys."""

import re
import time

import pyotp
from playwright.sync_api import expect

from tests.accounts.factories import DEFAULT_PASSWORD


def signed_in(browser, live_server, contexts, account, *, viewport: dict | None = None):
    """A page of a new browser context, signed in through the real pages (password, then TOTP code).
    `account` is (user, TOTP secret); `viewport`, e.g. {"width": 390, "height": 844} for a phone."""
    user, secret = account
    options = {"viewport": viewport, "is_mobile": True, "has_touch": True} if viewport else {}
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    # A code typed in the last seconds of its 30-second window may reach the server in the next one: wait.
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.2)
    page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).first.click()
    # Signed in: the navigation is there (folded behind « Menu » on a phone: `open_menu`).
    expect(page.locator("nav#navigation-principale")).to_be_attached()
    return page


def open_menu(page) -> None:
    """On a phone, unfold the menus behind « Menu » (nothing to do on a wide screen)."""
    menu = page.get_by_role("button", name=re.compile("^Menu"))
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
