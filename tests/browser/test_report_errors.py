"""Issue 10: a report sent with two mistakes comes back with the error summary first, focus on it, and each
of its links moves focus to its field; on a phone the summary is on the first screen. Nothing typed is lost,
and the child blocks open one at a time."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def gendarme():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers",
        kind=OrganisationKind.LAW_ENFORCEMENT,
        territories=[herbiers],
    )
    OrganisationFactory(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers])
    membership = MembershipFactory(territory=herbiers, organisation=gendarmerie)
    return membership.user, enrol_totp(membership.user)


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_two_mistakes_are_summarised_and_each_link_leads_to_its_field(
    browser, live_server, contexts, check_a11y, gendarme, viewport
):
    page = signed_in(browser, live_server, contexts, gendarme, viewport=viewport)
    page.goto("/situations/signaler/")
    if viewport:
        # A phone starts step by step (test_report_steps.py); the whole form is one tap away.
        page.get_by_role("button", name="Afficher tout le formulaire sur une page").click()
    expect(page.get_by_text("Sauf mention contraire, tous les champs sont obligatoires.")).to_be_visible()

    # One child block shows; the next opens on demand, with focus in it.
    second_child = page.get_by_role("group", name="Enfant 2")
    expect(second_child).to_be_hidden()
    page.get_by_role("button", name="Ajouter un enfant").click()
    expect(second_child).to_be_visible()
    expect(page.locator("#id_enfant-1-first_name")).to_be_focused()

    # Two mistakes: no source of detection, no answer about consent.
    page.locator("#id_commune").select_option(label="Mouchamps")
    page.get_by_label("Physiques").check()
    page.locator("#id_urgent_0").check()
    page.locator("#id_victime-0-first_name").fill("Aline")
    page.locator("#id_enfant-1-first_name").fill("Léa")
    page.get_by_role("button", name="Enregistrer le signalement").click()

    expect(page).to_have_title(re.compile("^Erreur : "))
    summary = page.get_by_role("alert").filter(has_text="Il y a un problème")
    expect(summary).to_be_focused()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    if viewport:
        # On the first screen of a phone, without scrolling.
        top = summary.evaluate("element => element.getBoundingClientRect().top + window.scrollY")
        assert top + 40 < PHONE["height"], f"the summary starts {top} px down"
    check_a11y(page)

    for name, field in [
        ("Source du repérage", "#id_sources_0"),
        ("La victime accepte", "#id_consent_answer_0"),
    ]:
        summary.get_by_role("link", name=re.compile(name)).click()
        expect(page.locator(field)).to_be_focused()
        expect(page.locator(field)).to_be_in_viewport()
    # The consent message is read with its group.
    expect(page.locator("#id_consent_answer_0")).to_have_attribute(
        "aria-describedby", "id_consent_answer_error"
    )

    # Nothing typed is lost; the block with a child stays open.
    expect(page.locator("#id_victime-0-first_name")).to_have_value("Aline")
    expect(page.locator("#id_enfant-1-first_name")).to_have_value("Léa")
    expect(second_child).to_be_visible()

    page.get_by_label("Forces de l'ordre").check()
    page.locator("#id_consent_answer_1").check()
    page.get_by_role("button", name="Enregistrer le signalement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("signalée")
    expect(page).not_to_have_title(re.compile("^Erreur"))
