"""The one writer of every download (web/spreadsheets.py): values keep their type, texts never run."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from maillage.web.spreadsheets import neutralised, spreadsheet_response
from tests.spreadsheets.worlds import assert_neutralised, read_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["=Titre", "Date", "Montant", "Moment", "Oui ?"]
ROW = [
    "  =1+1",
    datetime.date(2024, 11, 25),
    Decimal("12.50"),
    datetime.datetime(2024, 11, 25, 9, 30, tzinfo=ZoneInfo("UTC")),
    True,
]


def test_texts_that_could_run_get_a_quote_and_the_others_do_not():
    assert [neutralised(t) for t in ["=x", "+x", "-x", "@x", "\tx", "\rx", " =x"]] == [
        "'=x",
        "'+x",
        "'-x",
        "'@x",
        "'\tx",
        "'\rx",
        "' =x",
    ]
    assert [neutralised(t) for t in ["x", "'=x", "2024", "x=1", ""]] == ["x", "'=x", "2024", "x=1", ""]


def test_a_csv_download_for_french_excel():
    response = spreadsheet_response("essai", HEADER, [ROW, [None, None, 3, None, False]], "csv", actor=None)
    assert response.content.startswith(b"\xef\xbb\xbf'=Titre;Date;")
    assert assert_neutralised(response.content, "csv") == [
        ["'=Titre", "Date", "Montant", "Moment", "Oui ?"],
        ["'  =1+1", "25/11/2024", "12,50", "25/11/2024 10:30", "oui"],
        ["", "", "3", "", "non"],
    ]


def test_an_xlsx_download_keeps_dates_and_numbers_and_stores_every_text_as_text():
    rows = [ROW, ["bell\x07 and nul\x00", None, 3, None, False]]
    response = spreadsheet_response("essai", HEADER, rows, "xlsx", actor=None)
    assert_neutralised(response.content, "xlsx")
    cells = read_xlsx(response.content)
    assert cells[0][0] == ("'=Titre", "s")
    assert cells[1] == [
        ("'  =1+1", "s"),
        (datetime.datetime(2024, 11, 25), "d"),  # noqa: DTZ001 (read back by openpyxl)
        (12.5, "n"),
        (datetime.datetime(2024, 11, 25, 10, 30), "d"),  # noqa: DTZ001 (Paris time)
        (True, "b"),
    ]
    assert cells[2][0] == ("bell and nul", "s")


def test_an_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown spreadsheet format"):
        spreadsheet_response("essai", HEADER, [], "ods", actor=None)
