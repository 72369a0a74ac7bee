"""The open-data file of the yearly indicators (ADR 0039, 0040): every indicator of an ended year for the
whole territory, under disclosure control whoever downloads it — a file leaves the platform, to be published.

Two shapes of the same figures, both read from `dashboard.shown` (each indicator is defined once):
- CSV, one figure a line with the keys beside the labels (`HEADER`), written by the one spreadsheet writer
  (`web/spreadsheets.py`: formulas neutralised, dated name, `spreadsheet.exported` in the audit trail);
- JSON, a document with its metadata (territory, year, threshold, date, licence, how to read « < 11 » and
  « secret ») and the tables in the API's shape (`dashboard.document`), recorded in the audit trail as
  `statistics.open_data_exported` with the same facts."""

import json

from django.http import HttpResponse
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.stats.dashboard import ShownTable, document, figures, shown
from maillage.stats.indicators import INDICATORS, Scope
from maillage.territories.models import Territory
from maillage.web.spreadsheets import CSV, export_filename, spreadsheet_response

JSON = "json"
LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
HEADER = ("Code indicateur", "Indicateur", "Code ligne", "Ligne", "Code colonne", "Colonne", "Valeur")


def protected_tables(territory: Territory, year: int, *, threshold: int) -> list[ShownTable]:
    """Every indicator of the year for the whole territory, under disclosure control."""
    scope = Scope.of(territory, year)
    return [shown(indicator.compute(scope), threshold=threshold, exact=False) for indicator in INDICATORS]


def rows(tables: list[ShownTable]):
    """The CSV's lines (`HEADER`): one figure each, totals included."""
    for table in tables:
        for row_key, row, column_key, column, value in figures(table):
            yield (table.name, table.title, row_key, row, column_key, column, value)


def reading_note(threshold: int) -> str:
    return (
        f"Pour que personne ne puisse être reconnu, un effectif de 1 à {threshold - 1} est remplacé par "
        f"« < {threshold} », et « secret » masque un effectif (nul ou d'au moins {threshold}) qui "
        "permettrait de retrouver un effectif masqué à partir des totaux. Les chiffres portent sur une année "
        "civile terminée, pour tout le territoire ; un total est la somme des cellules de sa ligne ou de sa "
        "colonne."
    )


def open_document(territory: Territory, year: int, *, threshold: int, tables: list[ShownTable]) -> dict:
    return {
        "metadata": {
            "title": (
                "Statistiques du réseau local contre les violences conjugales, sexistes et sexuelles — "
                f"{territory.name} — {year}"
            ),
            "territory": territory.name,
            "year": year,
            "threshold": threshold,
            "generated_on": timezone.localdate().isoformat(),
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "note": reading_note(threshold),
        },
        "indicators": [document(table) for table in tables],
    }


def file_name(territory: Territory, year: int) -> str:
    return f"donnees ouvertes {territory.name} {year}"


def csv_response(territory: Territory, year: int, *, threshold: int, actor) -> HttpResponse:
    tables = protected_tables(territory, year, threshold=threshold)
    return spreadsheet_response(
        file_name(territory, year),
        HEADER,
        rows(tables),
        CSV,
        actor=actor,
        facts={"kind": "open_data", "year": year, "threshold": threshold},
    )


def json_response(territory: Territory, year: int, *, threshold: int, actor) -> HttpResponse:
    """The JSON document as an attachment, recorded like a spreadsheet download (name, format, number of
    figures, what was exported — never the values)."""
    tables = protected_tables(territory, year, threshold=threshold)
    name = file_name(territory, year)
    audit.record(
        actor=actor,
        action=AuditAction.OPEN_DATA_EXPORTED,
        changes={
            "name": name,
            "format": JSON,
            "rows": sum(1 for _ in rows(tables)),
            "kind": "open_data",
            "year": year,
            "threshold": threshold,
        },
    )
    content = json.dumps(
        open_document(territory, year, threshold=threshold, tables=tables), ensure_ascii=False, indent=1
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(name, JSON)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
