"""The action plan in the browser, on a laptop and on a phone: the coordinator opens the empty plan, creates
the contract's axes, then an action (a form refused with its reason, input kept); a member of the lead
organisation notes its progress, which moves its status; the update appears in the action's history and on
the plan. Each page fits the screen and passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from maillage.actionplan.models import Action, ProgressUpdate
from maillage.network.enums import OrganisationKind
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
TITLE = "Violentomètres pour les élèves de 4e"


def fits(page, screen) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= screen["width"]


@pytest.mark.parametrize("size", SCREENS)
def test_create_an_action_and_note_its_progress(browser, live_server, contexts, check_a11y, size):
    screen = SCREENS[size]
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    epci = OrganisationFactory(
        name="Communauté de communes du Pays des Herbiers",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        territories=[herbiers],
    )
    college = OrganisationFactory(
        name="Collège public du Pays des Herbiers", kind=OrganisationKind.EDUCATION, territories=[herbiers]
    )
    OrganisationFactory(name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers])
    coordinator = MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"])
    nurse = MembershipFactory(territory=herbiers, organisation=college, roles=["professional"])

    def look(page):
        assert fits(page, screen), page.url
        check_a11y(page)

    page = signed_in(
        browser, live_server, contexts, (coordinator.user, enrol_totp(coordinator.user)), viewport=screen
    )
    open_menu(page)
    page.get_by_role("link", name="Plan d'action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan d'action")
    expect(page.locator("main")).to_contain_text("Le plan d'action n'a pas encore d'axe.")
    look(page)
    page.get_by_role("button", name="Créer les axes du contrat").click()
    expect(page.locator("main")).to_contain_text("Le plan d'action compte 7 axes.")
    expect(page.get_by_role("heading", name=re.compile("^Axe 6 — Prévenir"))).to_be_visible()
    look(page)

    page.get_by_role("link", name="Ajouter une action à l'axe 6").click()
    expect(page.locator("#id_axis option:checked")).to_have_text(re.compile("^Axe 6 — Prévenir"))
    page.get_by_label("Intitulé de l'action").fill(TITLE)
    page.get_by_label("Organisation pilote").select_option(label="Collège public du Pays des Herbiers")
    page.get_by_label("CIDFF de la Vendée").check()
    page.get_by_label("Début").fill("2026-09-01")
    page.get_by_label("Fin prévue").fill("2026-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.locator("main")).to_contain_text("La fin prévue de l'action ne peut pas précéder son début.")
    expect(page.get_by_label("Intitulé de l'action")).to_have_value(TITLE)
    look(page)
    page.get_by_label("Fin prévue").fill("2027-06-30")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action : {TITLE}")
    expect(page.locator("main")).to_contain_text("CIDFF de la Vendée")
    expect(page.get_by_test_id("action-status")).to_have_text("Prévue")
    look(page)
    action = Action.objects.get(title=TITLE)
    assert action.lead_organisation == college

    # The school nurse, a member of the lead organisation, notes the first distribution.
    page = signed_in(browser, live_server, contexts, (nurse.user, enrol_totp(nurse.user)), viewport=screen)
    open_menu(page)
    page.get_by_role("link", name="Plan d'action").click()
    page.get_by_role("link", name=TITLE).click()
    # Wait for the action's page itself: the absent link is absent from the plan too.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action : {TITLE}")
    expect(page.get_by_role("link", name="Modifier l'action")).to_have_count(0)
    look(page)
    page.get_by_role("link", name="Noter l'avancement").click()
    expect(page.get_by_label("Ce qui a été fait")).to_be_visible()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Ce qui a été fait").fill("Violentomètres distribués dans les trois classes de 4e.")
    page.get_by_label("État de l'action après ce point").select_option(label="En cours")
    look(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Point d'avancement enregistré.")
    expect(page.get_by_test_id("action-status")).to_have_text("En cours")
    history = page.get_by_test_id("progress-updates")
    expect(history).to_contain_text(f"Le {yesterday:%d/%m/%Y}, par {nurse.user.get_full_name()}")
    expect(history).to_contain_text("(Collège public du Pays des Herbiers)")
    expect(history).to_contain_text("Violentomètres distribués dans les trois classes de 4e.")
    look(page)
    page.get_by_role("link", name="Retour au plan d'action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan d'action")
    expect(page.locator("main")).to_contain_text(f"Dernier point le {yesterday:%d/%m/%Y}")
    look(page)
    assert ProgressUpdate.objects.get().author == nurse
    assert Action.objects.get(pk=action.pk).status == "in_progress"
