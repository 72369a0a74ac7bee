"""On a phone, a coordinator finds a partner in the directory and taps its number; then removes a commune
referent, cancels once, and confirms on the page that says what will change (issue 10, items 6 and 7)."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.network.models import CommuneReferent
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_directory_search_and_referent_removal_on_a_phone(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    epci = OrganisationFactory(
        name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=[herbiers]
    )
    OrganisationFactory(
        name="CIDFF de la Vendée",
        kind=OrganisationKind.ASSOCIATION,
        territories=[herbiers],
        phone="02 51 00 11 22",
        email="contact@cidff.test",
    )
    OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=[herbiers])
    coordinator = MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"])
    referent = MembershipFactory(
        territory=herbiers, organisation=epci, communes=[mouchamps], user__first_name="Odile"
    )
    appointment = CommuneReferent.objects.get(membership=referent)
    page = signed_in(
        browser, live_server, contexts, (coordinator.user, enrol_totp(coordinator.user)), viewport=PHONE
    )

    page.goto("/reseau/annuaire/")
    page.get_by_label("Organisation ou commune").fill("cidff")
    page.get_by_role("button", name="Chercher").click()
    main = page.locator("main")
    expect(main).to_contain_text("CIDFF de la Vendée")
    expect(main).not_to_contain_text("CCAS des Herbiers")
    phone = page.get_by_role("link", name="02 51 00 11 22")
    expect(phone).to_have_attribute("href", "tel:+33251001122")
    expect(page.get_by_role("link", name="contact@cidff.test")).to_have_attribute(
        "href", "mailto:contact@cidff.test"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_a11y(page)

    page.goto("/reseau/referents/")
    page.get_by_role("button", name=re.compile(f"Retirer {referent.user.get_full_name()}")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retirer")
    expect(main).to_contain_text("Ce qui va changer")
    check_a11y(page)
    page.get_by_role("link", name="Annuler").click()
    expect(page).to_have_url(re.compile(r"/reseau/referents/$"))
    assert CommuneReferent.objects.filter(pk=appointment.pk).exists()

    page.get_by_role("button", name=re.compile(f"Retirer {referent.user.get_full_name()}")).click()
    page.get_by_role("button", name="Retirer cette personne référente").click()
    expect(main).to_contain_text("n'est plus la personne référente de Mouchamps")
    assert not CommuneReferent.objects.filter(pk=appointment.pk).exists()
