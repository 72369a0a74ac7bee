"""The coordinator imports the action plan's actions from a spreadsheet: every row error shown, nothing
imported while one remains, exactly the file's rows imported, and a second import changes nothing."""

import datetime

import pytest

from maillage.actionplan.models import Action
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from tests.helpers import sign_in
from tests.spreadsheets.worlds import csv_file, error_lines, mapping_of, place, upload, xlsx_file

pytestmark = pytest.mark.django_db

NS = "actionplan_spreadsheets"
INJECTION = (
    "un tableur pourrait la prendre pour une formule (injection de formule). Retirez ce caractère ou mettez "
    "un autre caractère devant."
)
HEADER = ["Axe", "Intitulé", "Pilote", "Partenaires", "Début", "Fin", "État"]


@pytest.fixture
def herbiers():
    return place()


@pytest.fixture
def coordinator_client(client, herbiers):
    return sign_in(client, herbiers.coordinator.user, herbiers.coordinator)


def valid_rows(herbiers):
    gendarmerie, cidff = herbiers.organisations["Gendarmerie"].name, herbiers.organisations["CIDFF"].name
    ccas = herbiers.organisations["CCAS"].name
    return [
        HEADER,
        [
            "1",
            "Former les agents d'accueil des mairies",
            cidff,
            f"{ccas} ; {gendarmerie}",
            "01/09/2023",
            "30/06/2024",
            "En cours",
        ],
        ["Axe 6", "Stand du 25 novembre", ccas.upper(), "", "2023-11-25", "", "réalisée"],
        [
            herbiers.axes[1].title.lower(),
            "Protocole de partage d'informations",
            gendarmerie,
            cidff,
            "",
            "",
            "",
        ],
    ]


def preview(client, content: bytes, filename: str):
    response = upload(client, NS, content, filename)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return client.get(response["Location"]), response["Location"]


def confirm(client, url: str, page) -> object:
    return client.post(url, {**mapping_of(page), "etape": "importer"})


def imported_entries():
    return AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_IMPORTED)


def test_a_malformed_file_shows_every_row_error_and_imports_nothing(coordinator_client, herbiers):
    rows = valid_rows(herbiers)
    cidff = herbiers.organisations["CIDFF"].name
    rows += [
        ["2", "Dates impossibles", cidff, "", "31/02/2024", "", ""],
        ["2", "Partenaire inconnu", cidff, "Préfecture de la Vendée", "", "", ""],
        ["9", "Axe inconnu", cidff, "", "", "", ""],
        ["3", '=HYPERLINK("http://x")', cidff, "", "", "", ""],
        ["3", "+1", cidff, "", "", "", ""],
        ["3", "-1+1", cidff, "", "", "", ""],
        ["3", "@SUM(1)", cidff, "", "", "", ""],
        ["3", "Fin avant le début", cidff, "", "01/06/2024", "01/01/2024", ""],
        rows[1],
        ["3", "", cidff, "", "", "", ""],
        ["3", "Statut inconnu", cidff, "", "", "", "Peut-être"],
        ["3", "x" * 201, cidff, "", "", "", ""],
        ["3", "Pilote inconnu", "Mairie de Nulle-Part", "", "", "", ""],
    ]
    page, url = preview(coordinator_client, csv_file(rows), "plan.csv")

    assert page.status_code == 200
    assert page.content.decode().count("<title>Erreur : ") == 1
    assert "Importer</button>" not in page.content.decode()
    assert error_lines(page) == [
        "Ligne 5, colonne « Début » (E) : « 31/02/2024 » n'est pas une date valide : écrivez-la jj/mm/aaaa "
        "(par exemple 25/11/2024) ou aaaa-mm-jj.",
        "Ligne 6, colonne « Partenaires » (D) : « Préfecture de la Vendée » : organisation inconnue du "
        "territoire. Écrivez son nom comme dans l'annuaire du réseau.",
        "Ligne 7, colonne « Axe » (A) : « 9 » n'est pas un axe du plan d'action : indiquez son numéro ou son "
        "intitulé.",
        f"Ligne 8, colonne « Intitulé » (B) : La cellule commence par « = » : {INJECTION}",
        f"Ligne 9, colonne « Intitulé » (B) : La cellule commence par « + » : {INJECTION}",
        f"Ligne 10, colonne « Intitulé » (B) : La cellule commence par « - » : {INJECTION}",
        f"Ligne 11, colonne « Intitulé » (B) : La cellule commence par « @ » : {INJECTION}",
        "Ligne 12, colonne « Fin » (F) : La fin (01/01/2024) précède le début (01/06/2024).",
        "Ligne 13 : Cette ligne répète la ligne 2 : elle serait importée deux fois. Supprimez le doublon, ou "
        "distinguez les lignes par une colonne « Identifiant ».",
        "Ligne 14, colonne « Intitulé » (B) : Cellule vide : « Intitulé » est obligatoire.",
        "Ligne 15, colonne « État » (G) : « Peut-être » n'est pas reconnu. Valeurs possibles : « Prévue » ; "
        "« En cours » ; « Réalisée » ; « Reportée » ; « Abandonnée ».",
        "Ligne 16, colonne « Intitulé » (B) : Texte trop long : 201 caractères pour 200 au plus.",
        "Ligne 17, colonne « Pilote » (C) : « Mairie de Nulle-Part » : organisation inconnue du territoire. "
        "Écrivez son nom comme dans l'annuaire du réseau.",
    ]
    # The summary at the top names the first ten errors; the table below lists them all.
    assert "… et 3 autres erreurs, signalées plus bas." in page.content.decode()
    assert "Mairie de Nulle-Part" in page.content.decode()

    # A confirmation forged around the missing button imports nothing either.
    refused = confirm(coordinator_client, url, page)
    assert refused.status_code == 200
    assert not Action.objects.exists()
    assert not imported_entries().exists()


def test_a_valid_csv_file_imports_exactly_its_rows_and_a_second_import_changes_nothing(
    coordinator_client, herbiers
):
    content = csv_file(valid_rows(herbiers), delimiter=",", encoding="cp1252")
    page, url = preview(coordinator_client, content, "plan d'action.csv")
    assert error_lines(page) == []
    assert mapping_of(page) == {
        "colonne_0": "axis",
        "colonne_1": "title",
        "colonne_2": "lead_organisation",
        "colonne_3": "partners",
        "colonne_4": "starts_on",
        "colonne_5": "ends_on",
        "colonne_6": "status",
    }
    assert "3 lignes à importer" in page.content.decode()

    done = confirm(coordinator_client, url, page)
    assert done.status_code == 302 and done["Location"].endswith("/resultat/")
    result = coordinator_client.get(done["Location"])
    assert "Import terminé : 3 lignes importées" in result.content.decode()

    actions = {action.title: action for action in Action.objects.all()}
    assert set(actions) == {
        "Former les agents d'accueil des mairies",
        "Stand du 25 novembre",
        "Protocole de partage d'informations",
    }
    training = actions["Former les agents d'accueil des mairies"]
    organisations = herbiers.organisations
    assert training.axis == herbiers.axes[0]
    assert training.lead_organisation == organisations["CIDFF"]
    assert set(training.partners.all()) == {organisations["CCAS"], organisations["Gendarmerie"]}
    assert (training.starts_on, training.ends_on) == (datetime.date(2023, 9, 1), datetime.date(2024, 6, 30))
    assert training.status == "in_progress"
    assert training.created_by == herbiers.coordinator and training.territory == herbiers.territory
    stand = actions["Stand du 25 novembre"]
    assert (stand.axis.number, stand.status, stand.ends_on) == (6, "done", None)
    assert actions["Protocole de partage d'informations"].status == "planned"
    assert actions["Protocole de partage d'informations"].axis == herbiers.axes[1]
    assert len({action.import_key for action in actions.values()}) == 3

    entry = imported_entries().get()
    assert entry.changes == {
        "kind": "actions",
        "rows": 3,
        "created": 3,
        "already_imported": 0,
        "sha256": __import__("hashlib").sha256(content).hexdigest(),
    }
    assert entry.territory_id == herbiers.territory.pk

    # The same rows again, as XLSX this time: nothing created, nothing changed, and the page says so.
    before = list(Action.objects.order_by("pk").values())
    page, url = preview(coordinator_client, xlsx_file(valid_rows(herbiers)), "plan.xlsx")
    assert "3 lignes déjà importées, qui ne changeront pas" in page.content.decode()
    result = coordinator_client.get(confirm(coordinator_client, url, page)["Location"])
    assert "Ce fichier avait déjà été importé : rien n'a été créé ni modifié." in result.content.decode()
    assert list(Action.objects.order_by("pk").values()) == before
    assert imported_entries().count() == 2


def test_an_xlsx_file_with_excel_dates_and_numbers(coordinator_client, herbiers):
    cidff = herbiers.organisations["CIDFF"].name
    rows = [
        ["N°", "Axe", "Intitulé de l'action", "Structure pilote", "Date de début", "Échéance"],
        ["A-1", 1, "Guide du repérage", cidff, datetime.date(2024, 1, 15), 45657],
    ]
    page, url = preview(coordinator_client, xlsx_file(rows), "plan.xlsx")
    assert error_lines(page) == []
    confirm(coordinator_client, url, page)
    action = Action.objects.get()
    assert (action.starts_on, action.ends_on) == (datetime.date(2024, 1, 15), datetime.date(2024, 12, 31))
    assert action.import_key == "id:A-1"


def test_a_formula_cell_is_refused_never_evaluated(coordinator_client, herbiers):
    cidff = herbiers.organisations["CIDFF"].name
    rows = [["Axe", "Intitulé", "Pilote"], ["=1+1", "Guide", cidff], [1, -1, cidff]]
    page, _url = preview(coordinator_client, xlsx_file(rows), "plan.xlsx")
    assert error_lines(page) == [
        "Ligne 2, colonne « Axe » (A) : La cellule contient une formule : Maillage n'évalue pas les "
        "formules. Remplacez-la par sa valeur (copier, puis « collage spécial : valeurs »).",
        # A number in a text column is checked as the text it would become.
        f"Ligne 3, colonne « Intitulé » (B) : La cellule commence par « - » : {INJECTION}",
    ]


def test_the_coordinator_maps_a_column_the_titles_did_not_name(coordinator_client, herbiers):
    cidff = herbiers.organisations["CIDFF"].name
    rows = [["Axe", "Intitulé", "Qui s'en occupe ?", "Remarque"], ["1", "Guide", cidff, "à relire"]]
    page, url = preview(coordinator_client, csv_file(rows), "plan.csv")
    assert page.context["check"] is None
    assert page.context["form"].non_field_errors() == [
        "Aucune colonne ne correspond à « Pilote », obligatoire : choisissez-la ci-dessous."
    ]
    mapping = {**mapping_of(page), "colonne_2": "lead_organisation", "colonne_3": "lead_organisation"}
    twice = coordinator_client.post(url, {**mapping, "etape": "apercu"})
    assert twice.context["form"].errors["colonne_3"] == [
        "« Pilote » est déjà choisi pour la colonne C : une seule colonne par champ."
    ]
    mapping["colonne_3"] = ""
    again = coordinator_client.post(url, {**mapping, "etape": "apercu"})
    assert error_lines(again) == [] and "Importer</button>" in again.content.decode()
    assert not Action.objects.exists()  # a preview writes nothing
    coordinator_client.post(url, {**mapping, "etape": "importer"})
    assert Action.objects.get().lead_organisation == herbiers.organisations["CIDFF"]


def test_rows_with_an_identifier_are_found_again_even_when_changed(coordinator_client, herbiers):
    cidff = herbiers.organisations["CIDFF"].name
    first = [
        ["Identifiant", "Axe", "Intitulé", "Pilote"],
        ["7", "1", "Guide", cidff],
        ["8", "2", "Charte", cidff],
    ]
    page, url = preview(coordinator_client, csv_file(first), "plan.csv")
    confirm(coordinator_client, url, page)
    second = [*first[:2], ["8", "2", "Charte (version 2)", cidff], ["9", "3", "Annuaire", cidff]]
    page, url = preview(coordinator_client, csv_file(second), "plan.csv")
    confirm(coordinator_client, url, page)
    assert sorted(Action.objects.values_list("import_key", "title")) == [
        ("id:7", "Guide"),
        ("id:8", "Charte"),
        ("id:9", "Annuaire"),
    ]
    same_id = [first[0], ["7", "1", "Guide", cidff], ["7", "2", "Autre", cidff]]
    page, _url = preview(coordinator_client, csv_file(same_id), "plan.csv")
    assert error_lines(page)[0].startswith("Ligne 3 : Cette ligne porte le même identifiant que la ligne 2")


def test_a_file_over_the_size_limit_is_refused_at_upload(coordinator_client):
    content = "Intitulé\r\n".encode() + b"x" * 2_000_001
    response = upload(coordinator_client, NS, content, "plan.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["fichier"] == [
        "Le fichier dépasse la taille maximale de 2 Mo : découpez-le en plusieurs fichiers."
    ]
    assert "<title>Erreur : " in response.content.decode()


def test_an_unreadable_file_is_refused_at_upload(coordinator_client):
    response = upload(coordinator_client, NS, b"\x00\x01 binary", "plan.xlsx")
    assert response.context["form"].errors["fichier"][0].startswith("Le fichier n'est pas un classeur Excel")
