"""A cell of an imported file becomes a value of its kind, or a French message (web/import_cells.py)."""

import datetime
from types import SimpleNamespace

import pytest

from maillage.actionplan.enums import ActionStatus
from maillage.web.import_cells import CellError, Choice, Count, Date, References, Text, normalise


def test_names_and_titles_compare_without_accents_case_punctuation_or_spacing():
    assert normalise("  Saint-Paul-en-Pareds ") == normalise("SAINT PAUL EN PAREDS") == "saint paul en pareds"
    assert normalise("Mesnard-la-Barotière") == "mesnard la barotiere"
    assert normalise("Œuvre d'État") == "oeuvre d etat"


@pytest.mark.parametrize(
    "raw",
    [
        "01/03/2024",
        "1/3/2024",
        "2024-03-01",
        "01-03-2024",
        "01.03.2024",
        "01/03/2024 00:00:00",
        datetime.datetime(2024, 3, 1),  # noqa: DTZ001 (what openpyxl reads)
        datetime.date(2024, 3, 1),
        45352,
        45352.0,
    ],
)
def test_dates_in_french_iso_or_excel_form(raw):
    assert Date().parse(raw) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("raw", ["31/02/2024", "2024/31/01", "mars 2024", "01/03/24", "12", "01/03/1850"])
def test_what_is_not_a_date_is_refused(raw):
    with pytest.raises(CellError) as refused:
        Date().parse(raw)
    assert "date" in refused.value.message.lower()


@pytest.mark.parametrize(
    ("raw", "number"), [("120", 120), (" 1 200 ", 1200), ("1\u202f200", 1200), (7, 7), (7.0, 7)]
)
def test_counts(raw, number):
    assert Count().parse(raw) == number


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-3", "négatif"),
        (-3, "négatif"),
        ("12,5", "nombre entier"),
        (12.5, "nombre entier"),
        ("beaucoup", "entier"),
    ],
)
def test_what_is_not_a_count_is_refused(raw, message):
    with pytest.raises(CellError, match=message):
        Count().parse(raw)


def test_a_choice_by_label_code_or_synonym():
    status = Choice(ActionStatus.choices, {"terminée": ActionStatus.DONE})
    assert status.parse("EN COURS") == status.parse("in_progress") == ActionStatus.IN_PROGRESS
    assert status.parse("Terminee") == ActionStatus.DONE
    with pytest.raises(CellError) as refused:
        status.parse("Peut-être")
    assert refused.value.message.startswith(
        "« Peut-être » n'est pas reconnu. Valeurs possibles : « Prévue » ;"
    )


def test_several_records_in_one_cell():
    cidff, ccas = SimpleNamespace(pk=1, name="CIDFF, Vendée"), SimpleNamespace(pk=2, name="CCAS")
    kind = References([cidff, ccas], unknown="{names} : inconnue", names=lambda org: (org.name,))
    assert kind.parse("ccas ; CIDFF, Vendée") == (ccas, cidff)
    assert kind.parse("CIDFF, Vendée") == (cidff,)
    assert kind.parse("CCAS;\nccas") == (ccas,)
    with pytest.raises(CellError, match="« Mairie », « Préfecture » : inconnue"):
        kind.parse("CCAS ; Mairie ; Préfecture")


def test_text_is_cut_to_nothing_but_checked_for_length():
    assert Text(max_length=10).parse("  deux   mots ") == "deux mots"
    assert Text(multiline=True).parse("ligne 1\r\n  ligne   2 ") == "ligne 1\nligne 2"
    with pytest.raises(CellError, match="Texte trop long : 11 caractères pour 10 au plus."):
        Text(max_length=10).parse("x" * 11)
