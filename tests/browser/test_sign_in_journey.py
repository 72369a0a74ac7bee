"""A member signs in with TOTP, switches membership, browses the directory, creates an API token, uses it."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, enrol_totp
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers",
        kind=OrganisationKind.LAW_ENFORCEMENT,
        territories=[herbiers],
    )
    ccas = OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=[herbiers])
    OrganisationFactory(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers])
    MembershipFactory(
        territory=herbiers, communes=[mouchamps], user__first_name="Odile", user__last_name="Bernard"
    )
    user = UserFactory(email="camille@exemple.fr", first_name="Camille", last_name="Roux")
    secret = enrol_totp(user)
    MembershipFactory(user=user, territory=herbiers, organisation=gendarmerie, roles=["professional"])
    MembershipFactory(user=user, territory=herbiers, organisation=ccas, roles=["org_admin"])
    return user, secret


def wrong_code(secret: str) -> str:
    return "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"


def next_code(secret: str, used: str) -> str:
    """The authenticator app's code once it differs from `used` (a code serves only once)."""
    deadline = time.monotonic() + 35
    while (code := pyotp.TOTP(secret).now()) == used:
        assert time.monotonic() < deadline
        time.sleep(0.5)
    return code


def sign_in(page, check_a11y, email, secret) -> str:
    """Signs in with password and TOTP; returns the code used."""
    page.goto("/reseau/annuaire/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    check_a11y(page)
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    check_a11y(page)
    code = pyotp.TOTP(secret).now()
    page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(code)
    page.get_by_role("button", name=re.compile("Se connecter|Connexion|Authentifier|Valider")).first.click()
    return code


def test_member_journey(page, check_a11y, network):
    user, secret = network
    signed_in_with = sign_in(page, check_a11y, user.email, secret)

    # Back to the page first asked for, with the active membership in the header.
    expect(page).to_have_url(re.compile(r"/reseau/annuaire/"))
    header = page.get_by_test_id("active-membership")
    expect(header).to_contain_text("CCAS des Herbiers")
    check_a11y(page)

    # Switch membership.
    page.get_by_role("link", name="Changer d'adhésion").click()
    check_a11y(page)
    page.get_by_label(re.compile("Gendarmerie")).check()
    page.get_by_role("button", name="Utiliser cette adhésion").click()
    expect(header).to_contain_text("Gendarmerie — brigade des Herbiers")

    # The directory: partners, referents, emergency numbers.
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire du réseau"
    ).click()
    expect(page.get_by_role("heading", name="Annuaire du réseau", level=1)).to_be_visible()
    expect(page.get_by_text("CIDFF de la Vendée")).to_be_visible()
    expect(page.get_by_text("Odile Bernard")).to_be_visible()
    expect(page.locator("main").get_by_text("3919", exact=True)).to_be_visible()
    check_a11y(page)

    # Create a read-only API token, see it once, and call the API with it (no browser cookie).
    page.get_by_role("link", name="Jetons d'API").first.click()
    check_a11y(page)
    page.get_by_label("Nom du jeton").fill("Tableau de bord")
    page.get_by_label("Lecture seule").check()
    # The last day is proposed: the longest validity allowed.
    expect(page.get_by_label("Dernier jour de validité")).to_have_value(
        (timezone.localdate() + timedelta(days=90)).isoformat()
    )
    # A wrong code first: nothing is created, what was typed stays, the code must be typed again.
    page.get_by_label("Code de votre application d'authentification").fill(wrong_code(secret))
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.get_by_role("alert")).to_contain_text("Ce code n'est pas valide")
    expect(page).to_have_title(re.compile("^Erreur : "))
    expect(page.get_by_label("Nom du jeton")).to_have_value("Tableau de bord")
    expect(page.get_by_label("Code de votre application d'authentification")).to_have_value("")
    check_a11y(page)
    # The code used to sign in has served once: wait for the next one, as a person would.
    page.get_by_label("Code de votre application d'authentification").fill(next_code(secret, signed_in_with))
    page.get_by_role("button", name="Créer le jeton").click()
    key = page.get_by_test_id("new-token").inner_text().strip()
    assert key.startswith("mlg_")
    check_a11y(page)

    # A fresh browser context has no session cookie: the token alone must be enough.
    fresh = page.context.browser.new_context(base_url=page.url.split("/compte")[0])
    try:
        response = fresh.request.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
        assert response.status == 200
        body = response.json()
        assert body["user"]["email"] == "camille@exemple.fr"
        assert "Gendarmerie" in body["active_membership"]["organisation"]["name"]
        assert fresh.request.get("/api/v1/me").status == 401
    finally:
        fresh.close()
    assert page.context.request.get("/api/v1/directory").status == 200  # the signed-in session works too
