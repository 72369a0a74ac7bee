"""Issue 4's journey: a gendarme reports a situation in Mouchamps → the Mouchamps referent finds it by the
victim's name (posted, never in the address) and adds a note → the coordinator adds the CIDFF → a CIDFF
professional sees it; a professional of another organisation does not, and an observer and a platform admin
see no situation at all. axe checks the pages."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import UserFactory, enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    CommuneFactory(territory=herbiers, name="Les Herbiers", postal_code="85500")
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers",
        kind=OrganisationKind.LAW_ENFORCEMENT,
        territories=[herbiers],
    )
    cidff = OrganisationFactory(
        name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers]
    )
    ccas = OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=[herbiers])
    mairie = OrganisationFactory(
        name="Mairie de Mouchamps", kind=OrganisationKind.LOCAL_AUTHORITY, territories=[herbiers]
    )
    epci = OrganisationFactory(
        name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=[herbiers]
    )
    people = {
        "gendarme": MembershipFactory(territory=herbiers, organisation=gendarmerie),
        "referent": MembershipFactory(
            territory=herbiers, organisation=mairie, roles=["referent"], communes=[mouchamps]
        ),
        "coordinator": MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"]),
        "cidff": MembershipFactory(territory=herbiers, organisation=cidff),
        "ccas": MembershipFactory(territory=herbiers, organisation=ccas),
        "observer": MembershipFactory(territory=herbiers, organisation=epci, roles=["observer"]),
    }
    accounts = {name: (m.user, enrol_totp(m.user)) for name, m in people.items()}
    admin = UserFactory(platform_admin=True)
    accounts["platform_admin"] = (admin, enrol_totp(admin))
    return accounts


def test_report_share_and_follow(browser, live_server, contexts, check_a11y, network):
    # A gendarme reports a situation in Mouchamps, with the victim's consent to share with the CIDFF.
    gendarme = signed_in(browser, live_server, contexts, network["gendarme"])
    gendarme.goto("/situations/signaler/")
    check_a11y(gendarme)
    gendarme.locator("#id_commune").select_option(label="Mouchamps")
    gendarme.locator("#id_detected_on").fill("2026-11-20")
    gendarme.get_by_label("Forces de l'ordre").check()
    gendarme.get_by_label("Physiques").check()
    gendarme.locator("#id_urgent_0").check()
    gendarme.locator("#id_victime-0-first_name").fill("Aline")
    gendarme.locator("#id_victime-0-last_name").fill("Parnasse")
    gendarme.locator("#id_enfant-0-first_name").fill("Léo")
    gendarme.locator("#id_enfant-0-age").fill("6")
    gendarme.locator("#id_consent_answer_0").check()
    gendarme.get_by_label("CIDFF de la Vendée").check()
    gendarme.get_by_role("button", name="Enregistrer le signalement").click()
    heading = gendarme.get_by_role("heading", level=1)
    expect(heading).to_contain_text("signalée")
    pseudonym = re.search(r"S-\d{4}-\d{4}", heading.inner_text()).group(0)
    check_a11y(gendarme)

    # The Mouchamps referent sees it and adds a note shared with the participants.
    referent = signed_in(browser, live_server, contexts, network["referent"])
    referent.goto("/situations/")
    check_a11y(referent)
    # Found by the victim's exact name: the search is posted, so the name stays out of every address.
    referent.get_by_label("Nom d'une personne").fill("Parnasse")
    referent.get_by_role("button", name="Rechercher").click()
    expect(referent.get_by_role("table")).to_contain_text("Situations où figure une personne de ce nom (1)")
    assert "parnasse" not in referent.url.lower()
    check_a11y(referent)
    referent.get_by_role("link", name=pseudonym).click()
    expect(referent.get_by_role("heading", level=1)).to_contain_text(pseudonym)
    check_a11y(referent)
    referent.get_by_role("link", name="Ajouter au suivi").click()
    check_a11y(referent)
    referent.get_by_label("Les organisations qui suivent la situation").check()
    referent.get_by_label("Texte").fill("Premier contact avec la mairie, rendez-vous proposé au CCAS.")
    referent.get_by_role("button", name="Ajouter").click()
    expect(referent.get_by_text("Premier contact avec la mairie")).to_be_visible()
    situation_url = referent.url.split("?")[0]

    # The coordinator adds the CIDFF (the victim agreed to it).
    coordinator = signed_in(browser, live_server, contexts, network["coordinator"])
    coordinator.goto(situation_url)
    coordinator.get_by_role("link", name="Coordination").click()
    check_a11y(coordinator)
    form = coordinator.locator("form", has=coordinator.get_by_role("button", name="Associer"))
    form.locator("#id_participant-organisation").select_option(label="CIDFF de la Vendée")
    form.get_by_role("button", name="Associer").click()
    expect(coordinator.locator("main")).to_contain_text("CIDFF de la Vendée")

    # A CIDFF professional now sees it, and the referent's note.
    cidff = signed_in(browser, live_server, contexts, network["cidff"])
    cidff.goto("/situations/")
    expect(cidff.get_by_role("link", name=pseudonym)).to_be_visible()
    cidff.goto(situation_url)
    expect(cidff.get_by_text("Premier contact avec la mairie")).to_be_visible()
    check_a11y(cidff)

    # Another organisation's professional does not: not in the list, and the address answers 404.
    ccas = signed_in(browser, live_server, contexts, network["ccas"])
    ccas.goto("/situations/")
    expect(ccas.get_by_role("link", name=pseudonym)).to_have_count(0)
    assert ccas.goto(situation_url).status == 404
    check_a11y(ccas)

    # An observer and the platform admin see no situation at all.
    for name in ("observer", "platform_admin"):
        page = signed_in(browser, live_server, contexts, network[name])
        assert page.goto("/situations/").status in (403, 404)
        assert page.goto(situation_url).status in (403, 404)
        expect(page.locator("body")).not_to_contain_text(pseudonym)
