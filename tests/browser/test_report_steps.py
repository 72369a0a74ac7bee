"""Issue 10, item 3 (ADR 0023): on a phone the report is filled step by step, with the server's own messages
on « Continuer », a check page listing every answer with « Modifier » links, and the phone's back button going
back a step; only the check page sends. On a wide screen the whole form still shows, steps on request."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.situations.enums import PersonRole
from maillage.situations.models import SafeContact, Situation
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def gendarme():
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=herbiers, name="Mouchamps", postal_code="85640")
    CommuneFactory(territory=herbiers, name="Les Herbiers", postal_code="85500")
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers",
        kind=OrganisationKind.LAW_ENFORCEMENT,
        territories=[herbiers],
    )
    OrganisationFactory(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers])
    membership = MembershipFactory(territory=herbiers, organisation=gendarmerie)
    return membership.user, enrol_totp(membership.user)


def step_heading(page, number: int):
    return page.get_by_role("heading", level=2, name=re.compile(f"^Étape {number} sur 4"))


def check_fits(page, screen: int = PHONE["width"]) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen, f"the page is {width} px wide on a {screen} px phone"


def test_a_phone_fills_the_report_step_by_step_checks_it_and_sends_it(
    browser, live_server, contexts, check_a11y, gendarme
):
    page = signed_in(browser, live_server, contexts, gendarme, viewport=PHONE)
    page.goto("/situations/signaler/")
    send = page.get_by_role("button", name="Enregistrer le signalement")

    # Step 1 only; nothing can be sent yet.
    expect(step_heading(page, 1)).to_contain_text("Le repérage")
    expect(page).to_have_url(re.compile("#etape-1$"))
    expect(page).to_have_title(re.compile("^Étape 1 sur 4 : Le repérage — Signaler une situation"))
    expect(page.get_by_role("heading", name=re.compile("Les personnes"))).to_be_hidden()
    expect(send).to_be_hidden()
    check_fits(page)
    check_a11y(page)

    # « Continuer » with nothing ticked: the server's messages, each linked to its field.
    page.get_by_role("button", name="Continuer").click()
    summary = page.get_by_role("alert").filter(has_text="Il y a un problème")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)  # the date is already today's
    expect(summary).to_contain_text("Commune : Ce champ est obligatoire.")
    expect(summary).to_contain_text("Source du repérage : Cochez au moins une source du repérage.")
    expect(summary).to_contain_text(
        "La victime est-elle en danger immédiat ? Indiquez s'il y a un danger immédiat."
    )
    expect(page.locator("#id_commune")).to_have_attribute("aria-invalid", "true")
    check_a11y(page)
    page.get_by_role("button", name="Continuer").click()  # again: each message once
    expect(page.locator("[data-step-error]")).to_have_count(4)
    expect(page.locator("#id_commune")).to_have_attribute("aria-describedby", "id_commune_step_error")
    summary.get_by_role("link", name=re.compile("^Source du repérage")).click()
    expect(page.locator("#id_sources_0")).to_be_focused()

    page.locator("#id_commune").select_option(label="Mouchamps")
    page.get_by_label("Forces de l'ordre").check()
    page.get_by_label("Physiques").check()
    page.get_by_label("Psychologiques").check()
    page.locator("#id_urgent_1").check()  # Oui
    # The urgent guidance shows at once, in step 1, with numbers to tap.
    guidance = page.get_by_role("region", name="Danger immédiat : agissez maintenant")
    expect(guidance).to_be_visible()
    expect(guidance.get_by_role("link", name="17")).to_have_attribute("href", "tel:17")
    page.get_by_role("button", name="Continuer").click()

    expect(step_heading(page, 2)).to_be_focused()
    expect(page).to_have_url(re.compile("#etape-2$"))
    expect(summary).to_be_hidden()
    expect(page.locator("#id_commune")).not_to_have_attribute("aria-invalid", "true")

    # The phone's back button goes back a step, answers kept; forward again.
    page.go_back()
    expect(step_heading(page, 1)).to_be_visible()
    expect(page.get_by_label("Forces de l'ordre")).to_be_checked()
    page.go_forward()
    expect(step_heading(page, 2)).to_be_visible()

    page.locator("#id_victime-0-first_name").fill("Aline")
    page.locator("#id_victime-0-last_name").fill("Martin")
    page.locator("#id_enfant-0-first_name").fill("Léa")
    page.locator("#id_enfant-0-age").fill("4")
    page.locator("#id_auteur-0-last_name").fill("Durand")
    check_fits(page)
    check_a11y(page)
    page.get_by_role("button", name="Continuer").click()

    expect(step_heading(page, 3)).to_be_focused()
    page.get_by_label("La victime accepte le partage").check()
    page.get_by_role("button", name="Continuer").click()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "Organisations avec lesquelles elle accepte le partage : "
        "Cochez les organisations avec lesquelles la victime accepte le partage."
    )
    page.get_by_label("CIDFF de la Vendée").check()
    page.get_by_label("SMS").check()
    page.get_by_label("Horaires sûrs").fill("en semaine, 9 h–11 h")
    page.get_by_label("Mot convenu avec la victime").fill("tournesol")
    check_fits(page)
    check_a11y(page)
    # Enter in a field continues; it never sends a report from a step.
    page.get_by_label("Horaires sûrs").press("Enter")

    # The check page: every answer in words; the code word is never shown.
    expect(step_heading(page, 4)).to_be_focused()
    expect(page).to_have_url(re.compile("#etape-4$"))
    check = page.locator("[data-check-summary]")
    for shown in [
        "Mouchamps",
        "Forces de l'ordre",
        "Physiques, Psychologiques",
        "Prénom : Aline",
        "Nom d'usage : Martin",
        "Âge (ans) : 4",
        "Nom : Durand",
        "La victime accepte le partage",
        "CIDFF de la Vendée",
        "en semaine, 9 h–11 h",
        "Renseigné (masqué)",
    ]:
        expect(check).to_contain_text(shown)
    expect(check).not_to_contain_text("tournesol")
    expect(check.locator("div").filter(has_text="danger immédiat")).to_contain_text("Oui")
    expect(send).to_be_visible()
    check_fits(page)
    check_a11y(page)
    page.set_viewport_size({"width": 360, "height": 780})
    check_fits(page, 360)
    page.set_viewport_size(PHONE)

    # « Modifier » goes to the field; « Continuer » comes back to the check page.
    check.get_by_role("link", name="Modifier : Commune").click()
    expect(page.locator("#id_commune")).to_be_focused()
    expect(step_heading(page, 1)).to_be_visible()
    page.locator("#id_commune").select_option(label="Les Herbiers")
    page.get_by_role("button", name="Continuer").click()
    expect(step_heading(page, 4)).to_be_focused()
    expect(check).to_contain_text("Les Herbiers")
    expect(check).not_to_contain_text("Mouchamps")

    send.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("signalée")
    situation = Situation.objects.get()
    assert situation.commune.name == "Les Herbiers"
    assert situation.urgent is True
    assert sorted(situation.violence_types) == ["physical", "psychological"]
    persons = {p.role: p for p in situation.persons.all()}
    assert persons[PersonRole.VICTIM].first_name == "Aline"
    assert persons[PersonRole.CHILD].age == 4
    assert persons[PersonRole.PERPETRATOR].last_name == "Durand"
    sms = SafeContact.objects.get(person=persons[PersonRole.VICTIM], channel="sms")
    assert sms.allowed and sms.safe_hours == "en semaine, 9 h–11 h" and sms.code_word == "tournesol"
    check_a11y(page)


def test_a_wide_screen_shows_the_whole_form_and_steps_on_request(
    browser, live_server, contexts, check_a11y, gendarme
):
    page = signed_in(browser, live_server, contexts, gendarme, viewport=DESKTOP)
    page.goto("/situations/signaler/")
    for name in ["Le repérage", "Les personnes", "Partage et contact"]:
        expect(page.get_by_role("heading", level=2, name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer le signalement")).to_be_visible()
    expect(page.get_by_role("button", name="Continuer")).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Vérifiez"))).to_be_hidden()
    expect(page).to_have_title(re.compile("^Signaler une situation"))

    page.get_by_role("button", name="Remplir étape par étape").click()
    expect(step_heading(page, 1)).to_be_focused()
    expect(page.get_by_role("heading", level=2, name="Les personnes", exact=True)).to_be_hidden()
    check_a11y(page)
    # Back: the whole form again.
    page.go_back()
    expect(page.get_by_role("heading", level=2, name="Les personnes", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer le signalement")).to_be_visible()
