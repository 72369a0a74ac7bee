"""Reading an uploaded file into a table, within limits, without evaluating anything (web/spreadsheets.py)."""

import datetime
import io
import zipfile

import pytest

from maillage.web import spreadsheets
from maillage.web.spreadsheets import Formula, SpreadsheetError, read_table
from tests.spreadsheets.worlds import csv_file, xlsx_file

ROWS = [
    ["Intitulé", "Début", "Commune"],
    ["Stand", "01/03/2024", "Mouchamps"],
    ["Conférence", "", "Les Épesses"],
]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8-sig"), (",", "utf-8"), (";", "cp1252"), (",", "cp1252")],
)
def test_a_csv_file_in_any_usual_encoding_and_separator(delimiter, encoding):
    table = read_table(csv_file(ROWS, delimiter=delimiter, encoding=encoding), "actions.csv")
    assert table.header == ("Intitulé", "Début", "Commune")
    assert table.rows == ((2, ("Stand", "01/03/2024", "Mouchamps")), (3, ("Conférence", "", "Les Épesses")))


def test_the_header_is_the_first_non_empty_row_and_rows_keep_their_spreadsheet_number():
    content = csv_file([[], ["", ""], *ROWS[:2], [], ["", " "], ROWS[2]])
    table = read_table(content, "actions.csv")
    assert table.header == ("Intitulé", "Début", "Commune")
    assert [number for number, _cells in table.rows] == [4, 7]


def test_an_xlsx_file_keeps_types_and_row_numbers_and_never_evaluates_a_formula():
    content = xlsx_file(
        [["Intitulé", "Date", "Nombre"], [], ["Stand", datetime.date(2024, 3, 1), 12], ["=1+2", None, 3]],
        start_row=3,
    )
    table = read_table(content, "fichier.xlsx")
    assert table.header == ("Intitulé", "Date", "Nombre")
    assert table.rows[0] == (5, ("Stand", datetime.datetime(2024, 3, 1), 12))  # noqa: DTZ001
    assert table.rows[1] == (6, (Formula("=1+2"), None, 3))


def test_columns_beyond_the_header_get_a_name_of_their_own():
    table = read_table(csv_file([["Intitulé", ""], ["Stand", "x", "y"]]), "f.csv")
    assert table.header == ("Intitulé", "Colonne B", "Colonne C")


def test_an_xlsx_file_is_recognised_by_its_content_without_extension():
    assert read_table(xlsx_file(ROWS), "export").header[0] == "Intitulé"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "Le fichier est vide."),
        (b"\n\n", "a.csv", "Le fichier est vide."),
        (b"Titre;Date\r\n", "a.csv", "aucune ligne de données"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "n'est pas un classeur Excel (.xlsx) lisible"),
        (b"whatever", "ancien.xls", "« .xls » n'est pas pris en charge"),
        (b'a;b\r\n"' + b"x" * 200_000, "a.csv", "mal formé"),
    ],
)
def test_unreadable_files_are_refused_with_a_message(content, filename, message):
    with pytest.raises(SpreadsheetError) as refused:
        read_table(content, filename)
    assert message in refused.value.message


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    content = csv_file([["Intitulé"]] + [["x" * 100]] * 30)
    monkeypatch.setattr(spreadsheets, "MAX_FILE_BYTES", len(content) - 1)
    with pytest.raises(SpreadsheetError) as refused:
        read_table(content, "a.csv")
    assert "dépasse la taille maximale" in refused.value.message


def test_a_file_over_the_row_limit_is_refused():
    content = csv_file([["Intitulé"]] + [[f"action {n}"] for n in range(spreadsheets.MAX_DATA_ROWS + 1)])
    with pytest.raises(SpreadsheetError) as refused:
        read_table(content, "a.csv")
    assert (
        refused.value.message
        == "Le fichier compte plus de 2\u202f000 lignes : découpez-le en plusieurs fichiers."
    )
    exactly = csv_file([["Intitulé"]] + [[f"action {n}"] for n in range(spreadsheets.MAX_DATA_ROWS)])
    assert len(read_table(exactly, "a.csv").rows) == spreadsheets.MAX_DATA_ROWS


def test_too_many_columns_or_a_cell_far_below_are_refused():
    with pytest.raises(SpreadsheetError, match="colonnes"):
        read_table(csv_file([[f"c{n}" for n in range(spreadsheets.MAX_COLUMNS + 1)], ["x"]]), "a.csv")
    with pytest.raises(SpreadsheetError, match="au-delà de la ligne"):
        read_table(xlsx_file([["Titre"], ["x"], *[[None]] * spreadsheets.MAX_SHEET_ROW, ["far"]]), "a.xlsx")


def test_an_archive_that_unpacks_too_big_is_refused_before_parsing(monkeypatch):
    content = xlsx_file(ROWS)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", unpacked - 1)
    with pytest.raises(SpreadsheetError, match="trop volumineux une fois décompressé"):
        read_table(content, "a.xlsx")
