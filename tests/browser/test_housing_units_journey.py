"""Housing units in the browser, on a phone: a housing manager adds the refuge (a form refused with its
reason, input kept), reads its address on « Afficher l'adresse »; a referent sees the refuge without any
address nor commune. Each page fits 390 px and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from maillage.housing.models import HousingUnit
from maillage.network.enums import OrganisationKind
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ADDRESS = "7 impasse des Glycines-Canari, 85500 Les Herbiers"


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_housing_manager_adds_the_refuge_and_reads_its_address(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=herbiers, name="Mouchamps")
    sos = OrganisationFactory(
        name="SOS Femmes Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers]
    )
    manager = MembershipFactory(territory=herbiers, organisation=sos, roles=["housing_manager"])
    referent = MembershipFactory(territory=herbiers, roles=["referent"])
    page = signed_in(browser, live_server, contexts, (manager.user, enrol_totp(manager.user)), viewport=PHONE)

    page.goto("/")
    page.get_by_role("button", name=re.compile("^Menu")).click()
    page.get_by_role("link", name="Logements", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logements d'urgence")
    expect(page.locator("main")).to_contain_text("Aucun logement d'urgence")
    assert fits(page)
    check_a11y(page)

    page.get_by_role("link", name="Ajouter un logement").click()
    page.get_by_label("Nom affiché").fill("Refuge")
    page.get_by_label("Adresse secrète (refuge)").check()
    page.get_by_label("Commune").select_option(label="Mouchamps")
    page.get_by_role("textbox", name=re.compile("^Adresse")).fill(ADDRESS)
    page.get_by_label("Enfants").fill("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.locator("main")).to_contain_text("n'affiche aucune commune")
    expect(page.get_by_label("Nom affiché")).to_have_value("Refuge")
    assert fits(page)
    check_a11y(page)

    page.get_by_label("Commune").select_option(label="Aucune")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logement : Refuge")
    expect(page.locator("main")).not_to_contain_text("Glycines")
    assert fits(page)
    check_a11y(page)
    page.get_by_role("button", name="Afficher l'adresse").click()
    expect(page.get_by_test_id("unit-address")).to_contain_text(ADDRESS)
    assert fits(page)
    check_a11y(page)
    assert HousingUnit.objects.get().secret

    page = signed_in(
        browser, live_server, contexts, (referent.user, enrol_totp(referent.user)), viewport=PHONE
    )
    page.goto("/hebergement/logements/")
    expect(page.locator("main")).to_contain_text("Adresse secrète")
    page.get_by_role("link", name="Refuge").click()
    expect(page.locator("main")).to_contain_text("3 enfants")
    expect(page.get_by_role("button", name="Afficher l'adresse")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Glycines")
    assert fits(page)
    check_a11y(page)
