"""Browser journeys: Playwright driving Debian's Chromium (never a downloaded browser), axe-core from the
axe-playwright-python wheel. Every visited page is checked: no serious or critical accessibility violation."""

import os

import pytest

from tests.browser.chromium import find_chromium

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test itself
# (factories, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    found = find_chromium()
    if not found:
        # `make test` installs it first (scripts/test-prerequisites); a bare pytest run does not.
        pytest.fail("Chromium is not installed: `make test-prerequisites` installs it (as root).")
    return found


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


class AccessibilityChecker:
    SERIOUS = {"serious", "critical"}

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page) -> None:
        results = self.axe.run(page)
        violations = [v for v in results.response["violations"] if v.get("impact") in self.SERIOUS]
        self.checked.append(page.url)
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        )
        assert not violations, f"Accessibility violations on {page.url}:\n{details}"


@pytest.fixture
def check_a11y():
    return AccessibilityChecker()


@pytest.fixture
def contexts(browser):
    """One browser context per person, all closed before the live server stops."""
    opened = []
    yield opened
    for context in opened:
        context.close()
