"""The coordinator imports the prevention events kept so far: communes, organisations, kinds, audiences and
counts checked row by row; nothing imported while an error remains; a second import changes nothing."""

import datetime
import hashlib

import pytest

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.prevention.models import PreventionEvent
from tests.helpers import sign_in
from tests.spreadsheets.worlds import csv_file, error_lines, mapping_of, place, upload, xlsx_file

pytestmark = pytest.mark.django_db

NS = "prevention_spreadsheets"
HEADER = [
    "Date",
    "Intitulé",
    "Type",
    "Commune",
    "Public visé",
    "Personnes touchées",
    "Partenaires",
    "Supports",
]


@pytest.fixture
def herbiers():
    return place()


@pytest.fixture
def coordinator_client(client, herbiers):
    return sign_in(client, herbiers.coordinator.user, herbiers.coordinator)


def preview(client, content: bytes, filename: str):
    response = upload(client, NS, content, filename)
    assert response.status_code == 302
    return client.get(response["Location"]), response["Location"]


def confirm(client, url, page):
    return client.post(url, {**mapping_of(page), "etape": "importer"})


def valid_rows(herbiers):
    cidff, gendarmerie = herbiers.organisations["CIDFF"].name, herbiers.organisations["Gendarmerie"].name
    return [
        HEADER,
        [
            "25/11/2023",
            "Marche blanche",
            "25 novembre",
            "LES HERBIERS",
            "Tout public",
            "350",
            f"{cidff}, {gendarmerie}",
            "Affiches",
        ],
        [
            "2024-02-12",
            "Intervention au collège",
            "scolaire",
            "saint paul en pareds",
            "Élèves",
            "1 200",
            "",
            "",
        ],
        [
            "12/03/2024",
            "Article dans la presse locale",
            "Presse et médias",
            "",
            "Grand public",
            "",
            cidff,
            "",
        ],
    ]


def test_a_malformed_file_shows_every_row_error_and_imports_nothing(coordinator_client, herbiers):
    cidff = herbiers.organisations["CIDFF"].name
    rows = valid_rows(herbiers) + [
        ["30/02/2024", "Date impossible", "Stand", "Mouchamps", "Jeunes", "10", "", ""],
        ["01/04/2024", "Commune inconnue", "Stand", "Pouzauges", "Jeunes", "10", "", ""],
        [
            "01/04/2024",
            "Organisation inconnue",
            "Stand",
            "Mouchamps",
            "Jeunes",
            "10",
            f"{cidff} ; Rotary",
            "",
        ],
        ["01/04/2024", "Nombre négatif", "Stand", "Mouchamps", "Jeunes", "-5", "", ""],
        ["01/04/2024", "Type inconnu", "Tournoi", "Mouchamps", "Jeunes", "", "", ""],
        ["01/04/2024", "Public inconnu", "Stand", "Mouchamps", "Chats", "", "", ""],
        ["01/04/2024", "Supports", "Stand", "Mouchamps", "Jeunes", "", "", "\tDépliants"],
        valid_rows(herbiers)[2],
    ]
    page, url = preview(coordinator_client, csv_file(rows), "evenements.csv")
    lines = error_lines(page)
    assert lines[0] == (
        "Ligne 5, colonne « Date » (A) : « 30/02/2024 » n'est pas une date valide : écrivez-la jj/mm/aaaa "
        "(par exemple 25/11/2024) ou aaaa-mm-jj."
    )
    assert lines[1] == (
        "Ligne 6, colonne « Commune » (D) : « Pouzauges » n'est pas une commune du territoire (Les Herbiers, "
        "Mesnard-la-Barotière, Mouchamps, Saint-Paul-en-Pareds)."
    )
    assert lines[2] == (
        "Ligne 7, colonne « Partenaires » (G) : « Rotary » : organisation inconnue du territoire. "
        "Écrivez son nom comme dans l'annuaire du réseau."
    )
    assert lines[3] == "Ligne 8, colonne « Personnes touchées » (F) : Le nombre ne peut pas être négatif."
    assert lines[4].startswith(
        "Ligne 9, colonne « Type » (C) : « Tournoi » n'est pas reconnu. Valeurs possibles"
    )
    assert lines[5].startswith("Ligne 10, colonne « Public visé » (E) : « Chats » n'est pas reconnu.")
    assert lines[6].startswith("Ligne 11, colonne « Supports » (H) : La cellule commence par une tabulation")
    assert lines[7].startswith("Ligne 12 : Cette ligne répète la ligne 3")
    assert len(lines) == 8

    assert confirm(coordinator_client, url, page).status_code == 200
    assert not PreventionEvent.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_IMPORTED).exists()


def test_a_valid_file_imports_exactly_its_rows_and_a_second_import_changes_nothing(
    coordinator_client, herbiers
):
    content = xlsx_file(valid_rows(herbiers))
    page, url = preview(coordinator_client, content, "evenements.xlsx")
    assert error_lines(page) == []
    confirm(coordinator_client, url, page)

    events = {event.title: event for event in PreventionEvent.objects.all()}
    assert set(events) == {"Marche blanche", "Intervention au collège", "Article dans la presse locale"}
    march = events["Marche blanche"]
    assert (march.held_on, march.kind, march.audience) == (
        datetime.date(2023, 11, 25),
        "november_25",
        "general_public",
    )
    assert march.commune == herbiers.communes["Les Herbiers"]
    assert march.people_reached == 350 and march.materials == "Affiches"
    assert set(march.organisations.all()) == {
        herbiers.organisations["CIDFF"],
        herbiers.organisations["Gendarmerie"],
    }
    school = events["Intervention au collège"]
    assert (school.kind, school.audience, school.people_reached) == ("school_talk", "pupils", 1200)
    assert school.commune == herbiers.communes["Saint-Paul-en-Pareds"]
    press = events["Article dans la presse locale"]
    assert (press.commune, press.people_reached, press.kind) == (None, None, "press")
    assert {event.created_by for event in events.values()} == {herbiers.coordinator}
    entry = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_IMPORTED)
    assert entry.changes["kind"] == "prevention_events"
    assert entry.changes["sha256"] == hashlib.sha256(content).hexdigest()
    assert (entry.changes["created"], entry.changes["already_imported"]) == (3, 0)

    before = list(PreventionEvent.objects.order_by("pk").values())
    again, url = preview(coordinator_client, csv_file(valid_rows(herbiers)), "evenements.csv")
    result = coordinator_client.get(confirm(coordinator_client, url, again)["Location"])
    assert result.context["result"]["created"] == 0
    assert "Ce fichier avait déjà été importé" in result.content.decode()
    assert list(PreventionEvent.objects.order_by("pk").values()) == before


def test_only_the_new_rows_of_a_longer_file_are_imported(coordinator_client, herbiers):
    rows = valid_rows(herbiers)
    page, url = preview(coordinator_client, csv_file(rows[:2]), "evenements.csv")
    confirm(coordinator_client, url, page)
    page, url = preview(coordinator_client, csv_file(rows), "evenements.csv")
    assert [row.already_imported for row in page.context["check"].rows] == [True, False, False]
    result = coordinator_client.get(confirm(coordinator_client, url, page)["Location"])
    assert (result.context["result"]["created"], result.context["result"]["already_imported"]) == (2, 1)
    assert PreventionEvent.objects.count() == 3


def test_the_territory_of_another_coordinator_names_nothing_here(client, herbiers):
    """Communes and organisations are looked up in the importer's own territory only."""
    elsewhere = place("Pays de Pouzauges")
    sign_in(client, elsewhere.coordinator.user, elsewhere.coordinator)
    rows = [
        HEADER,
        ["25/11/2023", "Stand", "Stand", "Mouchamps", "Jeunes", "", herbiers.organisations["CIDFF"].name, ""],
    ]
    page, _url = preview(client, csv_file(rows), "evenements.csv")
    assert [line.split(" : ")[0] for line in error_lines(page)] == [
        "Ligne 2, colonne « Partenaires » (G)",
    ]
