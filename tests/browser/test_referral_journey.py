"""Issue 11's referral journey: a gendarme refers a situation to the CIDFF from its page → the CIDFF sees a
summary without identities (the situation itself answers 404) → accepts, adds a note → marks the referral
done. A referral to the CCAS, accepted then declined after a confirmation, takes the situation away from
the CCAS on the very next page. axe checks each page; the list and a referral fit a phone."""

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.situations.enums import ConsentAnswer
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of, report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def network():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    t = [herbiers]
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers", kind=OrganisationKind.LAW_ENFORCEMENT, territories=t
    )
    cidff = OrganisationFactory(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=t)
    ccas = OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=t)
    people = {
        "gendarme": MembershipFactory(territory=herbiers, organisation=gendarmerie),
        "cidff": MembershipFactory(territory=herbiers, organisation=cidff),
        "ccas": MembershipFactory(territory=herbiers, organisation=ccas),
    }
    situation = report_situation(
        actor_of(people["gendarme"]),
        persons=[{"role": "victim", "sex": "female", "first_name": "Aline", "last_name": "Parnasse"}],
        consent={"answer": ConsentAnswer.GIVEN, "organisations": [cidff, ccas]},
    )
    accounts = {name: (m.user, enrol_totp(m.user)) for name, m in people.items()}
    return accounts, situation


def refer(page, check_a11y, situation_url, receiver, reason):
    page.goto(situation_url)
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    check_a11y(page)
    page.get_by_label("Organisation vers laquelle orienter").select_option(label=receiver)
    page.get_by_label("Information juridique").check()
    page.get_by_label("Motif de l'orientation").fill(reason)
    page.get_by_label("Consentement de la victime").check()
    page.get_by_role("button", name="Proposer l'orientation").click()
    expect(page.locator(".message--success")).to_contain_text("Orientation proposée")
    check_a11y(page)
    return page.url


def test_refer_accept_note_done_and_a_declined_referral_removes_access(
    browser, live_server, contexts, check_a11y, network
):
    accounts, situation = network
    situation_url = f"/situations/{situation.public_id}/"

    gendarme = signed_in(browser, live_server, contexts, accounts["gendarme"])
    referral_url = refer(
        gendarme, check_a11y, situation_url, "CIDFF de la Vendée", "Souhaite connaître ses droits"
    )

    # The CIDFF, on a phone: its list, then the summary — no identity, and the situation still closed.
    cidff = signed_in(browser, live_server, contexts, accounts["cidff"], viewport=PHONE)
    assert cidff.goto(situation_url).status == 404
    cidff.goto("/")
    open_menu(cidff)
    cidff.get_by_role("link", name="Orientations").click()
    check_a11y(cidff)
    assert cidff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cidff.get_by_role("link", name=situation.pseudonym).click()
    expect(cidff.get_by_text("Souhaite connaître ses droits")).to_be_visible()
    expect(cidff.get_by_text("Parnasse")).to_have_count(0)
    assert cidff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_a11y(cidff)
    cidff.get_by_role("button", name="Accepter l'orientation").click()
    expect(cidff.locator(".message--success")).to_contain_text("Orientation acceptée")
    expect(cidff.get_by_role("heading", level=1)).to_contain_text(situation.pseudonym)
    check_a11y(cidff)
    cidff.get_by_role("link", name="Ajouter au suivi").click()
    cidff.get_by_label("Les organisations qui suivent la situation").check()
    cidff.get_by_label("Texte").fill("Premier rendez-vous juridique fixé.")
    cidff.get_by_role("button", name="Ajouter").click()
    expect(cidff.get_by_text("Premier rendez-vous juridique fixé.")).to_be_visible()
    cidff.goto(referral_url)
    cidff.get_by_role("button", name="Marquer comme réalisée").click()
    expect(cidff.locator(".message--success")).to_contain_text("Orientation marquée comme réalisée")
    expect(cidff.get_by_text("Réalisée", exact=True)).to_be_visible()
    check_a11y(cidff)

    # A referral to the CCAS, accepted, then given back: the confirmation says what changes, then the
    # situation is closed to the CCAS on the very next page.
    ccas_referral = refer(gendarme, check_a11y, situation_url, "CCAS des Herbiers", "Aide administrative")
    ccas = signed_in(browser, live_server, contexts, accounts["ccas"])
    ccas.goto(ccas_referral)
    ccas.get_by_role("button", name="Accepter l'orientation").click()
    expect(ccas.get_by_role("heading", level=1)).to_contain_text(situation.pseudonym)
    ccas.goto(ccas_referral)
    ccas.get_by_label("Motif du refus").fill("Relais pris par un autre service")
    ccas.get_by_role("button", name="Refuser").click()
    expect(ccas.get_by_text("ne verra plus la situation")).to_be_visible()
    check_a11y(ccas)
    ccas.get_by_role("button", name="Refuser l'orientation").click()
    expect(ccas.locator(".message--success")).to_contain_text("Orientation refusée")
    check_a11y(ccas)
    assert ccas.goto(situation_url).status == 404
    # The CIDFF, whose referral is done, still follows it.
    assert cidff.goto(situation_url).status == 200
