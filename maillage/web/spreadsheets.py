"""Spreadsheets in and out (ADR 0037): reading an uploaded XLSX or CSV file into a plain table, and the one
writer of every CSV or XLSX download.

Reading never evaluates anything: a cell holding a formula comes back as a `Formula`, for the import to
refuse.
Writing neutralises formula injection (OWASP « CSV injection »): a text cell starting with = + - @, a tab or a
carriage return is prefixed with a single quote, and an XLSX cell is always stored as a string, never as a
formula. Every download goes through `spreadsheet_response`, which records it in the audit trail; a view
serving one is marked by `@spreadsheet_export`, which refuses any answer that did not come from the writer
(a test walks the URLconf for it).

Kernel module: it imports no domain app (import contract), only the audit core.
"""

import csv
import datetime
import decimal
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import PurePath

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from maillage import audit
from maillage.audit.enums import AuditAction

MAX_FILE_BYTES = 2_000_000
MAX_DATA_ROWS = 2_000
MAX_COLUMNS = 50
# A 2 MB XLSX file is a zip archive: refuse one that would unpack to more than this (a « zip bomb »).
MAX_UNPACKED_BYTES = 40_000_000
# Rows are read up to here (empty ones included): a stray cell far below the table does not keep us reading.
MAX_SHEET_ROW = 20_000

# OWASP: a spreadsheet program may run a cell starting with one of these as a formula.
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV = "csv"
XLSX = "xlsx"
FORMATS = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {CSV: "CSV", XLSX: "Excel (.xlsx)"}

# Set on every response the writer builds, and on every view marked `@spreadsheet_export`.
WRITER_MARK = "maillage_spreadsheet_writer"
EXPORT_VIEW_MARK = "maillage_spreadsheet_export"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (format, size, encoding): a French message for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Formula:
    """A cell of an XLSX file that holds a formula: never evaluated, never imported."""

    text: str


@dataclass(frozen=True)
class Table:
    """The first sheet of a file: its header (the first non-empty row) and its non-empty data rows, each with
    its number as the spreadsheet program shows it. Cells are str (CSV), or str, int, float, datetime, bool
    and `Formula` (XLSX); None when empty."""

    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple], ...]


def starts_dangerously(text: str) -> bool:
    return text.lstrip(" ")[:1] in DANGEROUS_STARTS


def thousands(number: int) -> str:
    """2000 → « 2 000 » (a narrow no-break space, as French typography writes it)."""
    return f"{number:,}".replace(",", "\u202f")


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column: 0 → A, 26 → AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# --- Reading -------------------------------------------------------------------------------------------


def read_table(content: bytes, filename: str) -> Table:
    """The table of an XLSX or CSV file (told apart by extension, else by content), within the limits."""
    if not content.strip():
        raise SpreadsheetError("Le fichier est vide.")
    if len(content) > MAX_FILE_BYTES:
        raise SpreadsheetError(too_big_message())
    suffix = PurePath(filename).suffix.lower()
    if suffix in {".xls", ".ods", ".numbers"}:
        raise SpreadsheetError(
            f"Le format « {suffix} » n'est pas pris en charge : enregistrez le tableau au format Excel "
            "(.xlsx) ou CSV depuis votre tableur, puis envoyez-le de nouveau."
        )
    if suffix == ".xlsx" or (suffix not in {".csv", ".txt"} and content[:4] == b"PK\x03\x04"):
        raw_rows = _xlsx_rows(content)
    else:
        raw_rows = _csv_rows(content)
    return _table(raw_rows)


def too_big_message() -> str:
    return (
        f"Le fichier dépasse la taille maximale de {MAX_FILE_BYTES // 1_000_000} Mo : "
        "découpez-le en plusieurs fichiers."
    )


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(raw_rows: Iterable[tuple[int, list]]) -> Table:
    header: list | None = None
    rows = []
    for number, cells in raw_rows:
        if number > MAX_SHEET_ROW:
            raise SpreadsheetError(
                f"Le tableau s'étend au-delà de la ligne {MAX_SHEET_ROW} : supprimez les lignes inutilisées "
                "en bas de la feuille, ou découpez le fichier."
            )
        if len(cells) > MAX_COLUMNS and any(not _is_empty(v) for v in cells[MAX_COLUMNS:]):
            raise SpreadsheetError(f"Le tableau compte plus de {MAX_COLUMNS} colonnes (ligne {number}).")
        cells = list(cells[:MAX_COLUMNS])
        if all(_is_empty(value) for value in cells):
            continue
        if header is None:
            header = cells[: _last_filled(cells)]
            continue
        rows.append((number, cells))
        if len(rows) > MAX_DATA_ROWS:
            raise SpreadsheetError(
                f"Le fichier compte plus de {thousands(MAX_DATA_ROWS)} lignes : découpez-le en plusieurs "
                "fichiers."
            )
    if header is None:
        raise SpreadsheetError("Le fichier ne contient aucune ligne.")
    if not rows:
        raise SpreadsheetError("Le fichier ne contient aucune ligne de données sous les titres des colonnes.")
    width = max(len(header), *(_last_filled(cells) for _number, cells in rows))
    titles = tuple(_header_title(header[i] if i < len(header) else None, i) for i in range(width))
    return Table(
        header=titles,
        rows=tuple((number, tuple(cells[:width]) + (None,) * (width - len(cells))) for number, cells in rows),
    )


def _last_filled(cells: list) -> int:
    return max((i + 1 for i, value in enumerate(cells) if not _is_empty(value)), default=0)


def _header_title(value, index: int) -> str:
    if isinstance(value, Formula):
        value = value.text
    text = " ".join(str(value).split()) if value is not None else ""
    return text or f"Colonne {column_letter(index)}"


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    unreadable = SpreadsheetError(
        "Le fichier n'est pas un classeur Excel (.xlsx) lisible : enregistrez-le de nouveau au format .xlsx "
        "ou CSV depuis votre tableur."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError("Le classeur est trop volumineux une fois décompressé : découpez-le.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, InvalidFileException…)
        raise unreadable from None
    try:
        if not workbook.worksheets:
            raise unreadable
        sheet = workbook.worksheets[0]
        # The dimension a file declares may be huge (A1:XFD1048576): read the rows that are there.
        sheet.reset_dimensions()
        try:
            for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1), start=1):
                yield number, [_xlsx_value(cell) for cell in row]
        except Exception:  # a damaged sheet inside a sound archive
            raise unreadable from None
    finally:
        workbook.close()


def _xlsx_value(cell):
    if cell.data_type == "f":
        return Formula(str(cell.value))
    return cell.value


def _csv_rows(content: bytes):
    text = _decode(content)
    lines = (line for line in text.splitlines() if line.strip())
    first = next(lines, "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise SpreadsheetError(f"Le fichier CSV est mal formé (ligne {reader.line_num}) : {error}.") from None


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What French Excel writes by default (« CSV (séparateur : point-virgule) »).
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            "L'encodage du fichier n'est pas reconnu : enregistrez-le en « CSV UTF-8 » depuis votre tableur."
        ) from None


# --- Writing -------------------------------------------------------------------------------------------


def neutralised(text: str) -> str:
    """The text as a spreadsheet program shows it, never runs it (OWASP: a leading single quote)."""
    return "'" + text if starts_dangerously(text) else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
            if timezone.is_aware(value)
            else (value.strftime("%d/%m/%Y %H:%M"))
        )
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float | decimal.Decimal):
        # French Excel reads « 12,5 » as a number, « 12.5 » as a date or text.
        return str(value).replace(".", ",")
    return neutralised(str(value))


def _csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    # « ; » and a BOM: what French Excel opens as columns, with its accents, on a double click.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(value) for value in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        count += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8"), count


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        return WriteOnlyCell(sheet, value=value)
    text = neutralised(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell = WriteOnlyCell(sheet, value=text)
    if cell.data_type != "s":  # openpyxl takes a text starting with « = » for a formula: never let it
        raise ValueError(f"A text cell would be stored as {cell.data_type!r}: {text[:40]!r}")
    return cell


def _xlsx_bytes(title: str, header: Sequence, rows: Iterable[Sequence]) -> tuple[bytes, int]:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_cell(sheet, value) for value in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _sheet_title(title: str) -> str:
    # A sheet's name: 31 characters at most, none of : \\ / ? * [ ], no quote at either end
    cleaned = "".join(" " if ch in ":\\/?*[]" else ch for ch in title)
    return cleaned[:31].strip(" '") or "Export"


def export_filename(name: str, file_format: str) -> str:
    """A safe name with the day's date: « actions-2025-2026-05-01.csv » (ASCII only, no path, no quote)."""
    stem = slugify(name.replace("'", " "))[:80] or "export"
    return f"{stem}-{timezone.localdate():%Y-%m-%d}.{file_format}"


def spreadsheet_response(
    name: str,
    header: Sequence,
    rows: Iterable[Sequence],
    file_format: str,
    *,
    actor,
    facts: dict | None = None,
) -> HttpResponse:
    """A CSV or XLSX download of `header` and `rows` (str, numbers, dates, None), neutralised, recorded in
    the audit trail as `spreadsheet.exported` with `facts` (what was exported: never the values) and the
    number of rows. `actor` is whoever downloads (`request.actor`)."""
    if file_format == CSV:
        content, count = _csv_bytes(header, rows)
    elif file_format == XLSX:
        content, count = _xlsx_bytes(name, header, rows)
    else:
        raise ValueError(f"Unknown spreadsheet format {file_format!r}")
    audit.record(
        actor=actor,
        action=AuditAction.SPREADSHEET_EXPORTED,
        changes={"name": name, "format": file_format, "rows": count, **(facts or {})},
    )
    response = HttpResponse(content, content_type=FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(name, file_format)}"'
    response["X-Content-Type-Options"] = "nosniff"
    setattr(response, WRITER_MARK, True)
    return response


def spreadsheet_export(view: Callable) -> Callable:
    """Marks a view that serves a spreadsheet: any successful answer must come from `spreadsheet_response`,
    else the view fails loudly instead of sending a file nobody neutralised. Apply it under the access
    decorator; `tests/spreadsheets/test_export_routes.py` fails on an export route without it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not getattr(response, WRITER_MARK, False):
            raise ImproperlyConfigured(
                f"{view.__module__}.{view.__qualname__} answered a download without spreadsheet_response."
            )
        return response

    setattr(wrapper, EXPORT_VIEW_MARK, True)
    return wrapper


def is_spreadsheet_export(callback: Callable) -> bool:
    return getattr(callback, EXPORT_VIEW_MARK, False)


class ExportForm(forms.Form):
    """What an export link sends: the year (optional) and the format."""

    marks_optional_fields = False

    annee = forms.IntegerField(
        label="Année", required=False, min_value=2000, max_value=2100, help_text="Toutes les années si vide."
    )
    format = forms.ChoiceField(label="Format", choices=list(FORMAT_LABELS.items()))


@dataclass(frozen=True)
class Export:
    label: str  # « Actions du plan d'action »
    url: str
    description: str = ""


def spreadsheets_page(
    request,
    *,
    title: str,
    back: tuple[str, str],
    exports: list[Export],
    import_url: str | None = None,
    form: ExportForm | None = None,
    status: int = 200,
):
    """An app's « Tableur » page: its downloads (one year, or all) and, for who may, its import."""
    return render(
        request,
        "web/spreadsheets.html",
        {
            "page_title": title,
            "back_url": back[0],
            "back_label": back[1],
            "exports": exports,
            "import_url": import_url,
            "form": form or ExportForm(),
            "formats": FORMAT_LABELS.items(),
        },
        status=status,
    )
