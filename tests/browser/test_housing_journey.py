"""Issue 12's stay journey: at night a referent requests a stay from the situation page → the CCAS's housing
manager sees the request as pseudonym + household in the inbox, allocates its flat (the stay began last
night, recorded this morning) → records the arrival → records the departure with an exit solution. The
referent follows it on the stay page: the flat's name, never its address. axe checks each page; the inbox
and the stay fit a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.housing.models import HousingUnit
from maillage.network.enums import OrganisationKind
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of, report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ADDRESS = "3 allée des Tamaris-Cachés"


@pytest.fixture
def network():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    t = [herbiers]
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers", kind=OrganisationKind.LAW_ENFORCEMENT, territories=t
    )
    ccas = OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=t)
    epci = OrganisationFactory(
        name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=t
    )
    people = {
        "gendarme": MembershipFactory(territory=herbiers, organisation=gendarmerie),
        "referent": MembershipFactory(
            territory=herbiers, organisation=epci, roles=["referent"], communes=[mouchamps]
        ),
        "manager": MembershipFactory(territory=herbiers, organisation=ccas, roles=["housing_manager"]),
    }
    HousingUnit.objects.create(
        territory=herbiers,
        organisation=ccas,
        name="Appartement du CCAS",
        address=ADDRESS,
        adults=2,
        children=2,
        cots=1,
    )
    situation = report_situation(
        actor_of(people["gendarme"]),
        commune=mouchamps,
        persons=[{"role": "victim", "sex": "female", "first_name": "Aline", "last_name": "Parnasse"}],
    )
    accounts = {name: (m.user, enrol_totp(m.user)) for name, m in people.items()}
    return accounts, situation


def test_request_allocate_check_in_check_out(browser, live_server, contexts, check_a11y, network):
    accounts, situation = network
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)

    referent = signed_in(browser, live_server, contexts, accounts["referent"])
    referent.goto(f"/situations/{situation.public_id}/")
    referent.get_by_role("link", name="Demander un hébergement").click()
    check_a11y(referent)
    referent.get_by_role("button", name="Envoyer la demande").click()  # nothing filled: the error summary
    expect(referent.get_by_role("alert")).to_be_visible()
    check_a11y(referent)
    referent.get_by_label("Âges des enfants").fill("4, 9")
    referent.get_by_label("Urgent").check()
    referent.get_by_label("À partir du").fill(today.isoformat())
    referent.get_by_label("Précisions pour votre côté").fill("Il rôde devant le collège le soir.")
    referent.get_by_role("button", name="Envoyer la demande").click()
    expect(referent.locator(".message--success")).to_contain_text("Demande d'hébergement envoyée")
    check_a11y(referent)
    request_url = referent.url

    # The housing manager, on a phone: the inbox, then the request — pseudonym and household only.
    manager = signed_in(browser, live_server, contexts, accounts["manager"], viewport=PHONE)
    manager.goto("/")
    open_menu(manager)
    manager.get_by_role("link", name="Hébergement", exact=True).click()
    check_a11y(manager)
    assert manager.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(manager.get_by_text("1 adulte, 2 enfants (4 ans, 9 ans)")).to_be_visible()
    manager.get_by_role("link", name=situation.pseudonym).click()
    check_a11y(manager)
    expect(manager.get_by_text("Il rôde")).to_have_count(0)
    expect(manager.get_by_text("Parnasse")).to_have_count(0)
    allocate = manager.locator("form", has=manager.get_by_role("button", name="Attribuer ce logement"))
    allocate.get_by_label("Logement").select_option(label="Appartement du CCAS")
    allocate.get_by_label("Arrivée le").fill(yesterday.isoformat())
    allocate.get_by_label("Départ le (matin)").fill((today + datetime.timedelta(days=6)).isoformat())
    allocate.get_by_role("button", name="Attribuer ce logement").click()
    expect(manager.locator(".message--success")).to_contain_text("Logement attribué")
    check_a11y(manager)
    manager.get_by_role("button", name="Enregistrer l'arrivée").click()
    expect(manager.locator(".message--success")).to_contain_text("Arrivée enregistrée")
    check_a11y(manager)
    assert manager.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_out = manager.locator("form", has=manager.get_by_role("button", name="Enregistrer le départ"))
    check_out.get_by_label("Hébergement par des proches").check()
    check_out.get_by_label("Départ le").fill(today.isoformat())
    manager.get_by_role("button", name="Enregistrer le départ").click()
    expect(manager.locator(".message--success")).to_contain_text("Départ enregistré")
    expect(manager.get_by_text("Hébergement par des proches")).to_be_visible()
    check_a11y(manager)
    stay_url = manager.url

    # The referent follows it: the request's answer, the stay with the flat's name — never its address.
    for url in (request_url, stay_url, "/notifications/", "/hebergement/demandes/?status="):
        referent.goto(url)
        check_a11y(referent)
        assert ADDRESS not in referent.content()
    referent.goto(stay_url)
    expect(referent.get_by_text("Appartement du CCAS")).to_be_visible()
    expect(referent.get_by_text("Terminé", exact=True)).to_be_visible()
