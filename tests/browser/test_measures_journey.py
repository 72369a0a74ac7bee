"""Protective measures in the browser, on a phone: from the situation page to its measures, a form refused
with its reasons (input kept), a measure recorded, then ended; each page fits 390 px and passes axe."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.protection.models import ProtectiveMeasure
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_record_and_end_a_measure_on_a_phone(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    gendarmerie = OrganisationFactory(kind=OrganisationKind.LAW_ENFORCEMENT, territories=[herbiers])
    gendarme = MembershipFactory(territory=herbiers, organisation=gendarmerie, roles=["professional"])
    situation = report_situation(gendarme, commune=mouchamps)
    page = signed_in(
        browser, live_server, contexts, (gendarme.user, enrol_totp(gendarme.user)), viewport=PHONE
    )

    page.goto(f"/situations/{situation.public_id}/")
    page.get_by_role("link", name="Mesures de protection").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mesures de protection")
    expect(page.locator("main")).to_contain_text("Aucune mesure de protection")
    assert fits(page)
    check_a11y(page)

    page.get_by_role("link", name="Enregistrer une mesure").click()
    page.get_by_label("Autorité").select_option("parquet")
    page.get_by_label("État").select_option("in_force")
    page.get_by_label("En vigueur depuis le").fill("2026-06-01")
    page.get_by_label("Jusqu'au").fill("2026-05-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.locator("main")).to_contain_text("La fin de la mesure ne peut pas précéder son début.")
    expect(page.get_by_label("Autorité")).to_have_value("parquet")
    assert fits(page)
    check_a11y(page)

    page.locator("#id_kind").select_option("tgd")
    page.get_by_label("Jusqu'au").fill("")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Téléphone grave danger (TGD)")
    expect(page.locator("main")).to_contain_text("Du 01/06/2026 au 30/11/2026")
    assert fits(page)
    check_a11y(page)

    page.get_by_role("link", name=re.compile("Modifier")).click()
    page.get_by_label("État").select_option("ended")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("main")).to_contain_text("Terminée")
    assert ProtectiveMeasure.objects.get().status == "ended"
