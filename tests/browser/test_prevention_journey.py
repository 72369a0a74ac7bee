"""Prevention and trainings in the browser, on a laptop and on a 390 px phone: a gendarme records a school
talk in Mouchamps (a first try refused with its reason, input kept), finds it in the list with the totals,
then records a training with its attendees per organisation and reads its attendance. Every page passes
axe and fits the phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.prevention.models import PreventionEvent, Training
from tests.accounts.factories import UserFactory
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1366", "390"])
def test_record_an_event_and_a_training(browser, live_server, contexts, check_a11y, viewport):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=herbiers, name="Les Herbiers")
    CommuneFactory(territory=herbiers, name="Mouchamps")
    t = [herbiers]
    gendarmerie = OrganisationFactory(
        name="Gendarmerie — brigade des Herbiers", kind=OrganisationKind.LAW_ENFORCEMENT, territories=t
    )
    OrganisationFactory(
        name="Collège public du Pays des Herbiers", kind=OrganisationKind.EDUCATION, territories=t
    )
    OrganisationFactory(name="Mairie de Mouchamps", kind=OrganisationKind.LOCAL_AUTHORITY, territories=t)
    OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=t)
    gendarme = MembershipFactory(
        territory=herbiers, organisation=gendarmerie, roles=["professional"], user=UserFactory(with_totp=True)
    )
    page = signed_in(
        browser,
        live_server,
        contexts,
        (gendarme.user, gendarme.user.totp_secret),
        viewport=viewport or {"width": 1366, "height": 900},
    )

    def checked():
        check_a11y(page)
        if viewport:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide"

    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    main = page.locator("main")

    # The events: an empty list at first.
    open_menu(page)
    page.get_by_role("link", name="Prévention", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prévention et communication")
    expect(main).to_contain_text("Aucune action de prévention enregistrée pour l'instant.")
    checked()

    page.get_by_role("link", name="Enregistrer une action").click()
    expect(main).to_contain_text(
        "Votre organisation, Gendarmerie — brigade des Herbiers, en fait toujours partie."
    )
    checked()
    page.get_by_label("Intitulé").fill("Intervention au collège de Mouchamps — classes de 5e")
    page.get_by_label("Type d'action").select_option("school_talk")
    page.get_by_label(re.compile("^Date")).fill(yesterday)
    page.get_by_label("Commune").select_option(label="Mouchamps")
    page.get_by_label("Public :").select_option("pupils")
    own = page.get_by_role(
        "checkbox", name="Gendarmerie — brigade des Herbiers (votre organisation, toujours comptée)"
    )
    expect(own).to_be_checked()
    expect(own).to_be_disabled()
    page.get_by_label("Collège public du Pays des Herbiers").check()
    page.get_by_label(re.compile("^Supports utilisés")).fill("Violentomètre")
    page.get_by_role("button", name="Enregistrer").click()
    # A past event without its count: refused, the reason beside the field, nothing typed lost.
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(main).to_contain_text("Indiquez le nombre de personnes touchées par cette action passée")
    expect(page.get_by_label("Intitulé")).to_have_value(
        "Intervention au collège de Mouchamps — classes de 5e"
    )
    expect(page.get_by_label("Collège public du Pays des Herbiers")).to_be_checked()
    checked()
    page.get_by_label("Personnes touchées").fill("112")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Intervention au collège de Mouchamps — classes de 5e"
    )
    expect(main).to_contain_text("Collège public du Pays des Herbiers, Gendarmerie — brigade des Herbiers")
    checked()
    assert PreventionEvent.objects.get().people_reached == 112

    page.get_by_role("link", name="Retour aux actions de prévention").click()
    expect(
        main.get_by_role("link", name="Intervention au collège de Mouchamps — classes de 5e")
    ).to_be_visible()
    expect(page.get_by_test_id("totals")).to_contain_text("112")
    checked()

    # A training, with its attendees per organisation.
    open_menu(page)
    page.get_by_role("link", name="Formations", exact=True).click()
    expect(main).to_contain_text("Aucune formation enregistrée pour l'instant.")
    checked()
    page.get_by_role("link", name="Enregistrer une formation").click()
    checked()
    page.get_by_label("Intitulé").fill("Accueillir une victime — agents d'accueil")
    page.get_by_label("Thème").select_option("reception")
    page.get_by_label(re.compile("^Date")).fill(yesterday)
    page.get_by_label("Durée (heures)").fill("2,5")
    page.locator("#id_participants-0-organisation").select_option(label="Mairie de Mouchamps")
    page.locator("#id_participants-0-attendees").fill("3")
    page.locator("#id_participants-1-organisation").select_option(label="CCAS des Herbiers")
    page.locator("#id_participants-1-attendees").fill("4")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueillir une victime — agents d'accueil")
    expect(main.locator("caption")).to_have_text("7 participants de 2 organisations")
    expect(main).to_contain_text("2,5 h")
    checked()
    training = Training.objects.get()
    assert {(a.organisation.name, a.attendees) for a in training.attendances.all()} == {
        ("Mairie de Mouchamps", 3),
        ("CCAS des Herbiers", 4),
    }

    page.get_by_role("link", name="Retour aux formations").click()
    totals = page.get_by_test_id("totals")
    expect(totals).to_contain_text("Sessions")
    expect(totals.locator("dd").nth(2)).to_have_text("7")
    expect(totals.locator("dd").nth(3)).to_have_text("2")
    checked()
