"""The coordinator imports the action plan kept in a spreadsheet, on a laptop and on a phone: a file with an
error shows the row and why, nothing is imported; the corrected file has a column the titles do not name, the
coordinator maps it, checks the preview again, imports, and reads the result. Each page passes axe and, on the
phone, fits 390 px."""

import re

import pytest
from playwright.sync_api import expect

from maillage.actionplan.models import Action
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.spreadsheets.worlds import csv_file, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def checked(page, check_a11y, viewport) -> None:
    check_a11y(page)
    if viewport:
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page.url


def send(page, name: str, content: bytes) -> None:
    page.get_by_label("Fichier").set_input_files({"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Envoyer et voir l'aperçu").click()


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["laptop", "phone"])
def test_import_the_action_plan_from_a_spreadsheet(browser, live_server, contexts, check_a11y, viewport):
    herbiers = place()
    cidff, ccas = herbiers.organisations["CIDFF"].name, herbiers.organisations["CCAS"].name
    coordinator = herbiers.coordinator.user
    page = signed_in(
        browser, live_server, contexts, (coordinator, enrol_totp(coordinator)), viewport=viewport
    )

    page.goto("/plan-d-action/tableur/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan d'action : tableur")
    checked(page, check_a11y, viewport)
    page.get_by_role("link", name="Importer un fichier (Excel ou CSV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des actions du plan d'action")
    checked(page, check_a11y, viewport)

    header = ["Axe", "Intitulé", "Pilote", "Début"]
    send(
        page,
        "plan.csv",
        csv_file(
            [
                header,
                ["1", "Guide du repérage", cidff, "15/01/2024"],
                ["2", "Charte", "Préfecture", "32/01/2024"],
            ]
        ),
    )
    expect(page).to_have_title(re.compile("^Erreur : "))
    errors = page.get_by_role("region", name=re.compile("^Erreurs ligne par ligne"))
    expect(errors).to_contain_text("« Préfecture » : organisation inconnue du territoire.")
    expect(errors).to_contain_text("« 32/01/2024 » n'est pas une date valide")
    expect(page.get_by_role("button", name="Importer")).to_have_count(0)
    checked(page, check_a11y, viewport)

    page.get_by_role("link", name="Envoyer un autre fichier").first.click()
    corrected = [
        ["Axe", "Intitulé", "Qui s'en charge ?", "Début"],
        ["1", "Guide du repérage", cidff, "15/01/2024"],
        ["2", "Charte", ccas, "31/01/2024"],
    ]
    send(page, "plan corrigé.csv", csv_file(corrected))
    expect(page.locator("main")).to_contain_text("Aucune colonne ne correspond à « Pilote », obligatoire")
    checked(page, check_a11y, viewport)

    page.get_by_label("Colonne C « Qui s'en charge ? »").select_option(label="Pilote (obligatoire)")
    page.get_by_role("button", name="Actualiser l'aperçu").click()
    expect(page.locator("#bilan")).to_contain_text("Aucune erreur. 2 lignes à importer.")
    preview = page.get_by_role("region", name=re.compile("^Premières lignes"))
    expect(preview).to_contain_text(ccas)
    expect(preview).to_contain_text("31/01/2024")
    assert not Action.objects.exists()
    checked(page, check_a11y, viewport)

    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer des actions du plan d'action : résultat"
    )
    expect(page.get_by_role("status")).to_contain_text("Import terminé : 2 lignes importées")
    checked(page, check_a11y, viewport)
    assert sorted(Action.objects.values_list("title", "lead_organisation__name")) == [
        ("Charte", ccas),
        ("Guide du repérage", cidff),
    ]
