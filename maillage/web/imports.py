"""Importing a spreadsheet's rows as records of one kind (ADR 0037): the file kept on the server between the
steps, the columns matched to fields (guessed from their titles, adjusted by the person), every row checked
with its errors, and nothing written unless every row is right.

An app describes what it imports with an `ImportKind` (its fields, a row's own checks, the keys already
imported, how new rows are written) and serves the three pages (`upload_page`, `preview_page`,
`result_page`) behind its own access rule. Each row gets an import key, the file's « Identifiant » when
mapped or a digest of its values: a row whose key is already in the territory is skipped, so importing the
same file twice changes nothing.

Kernel module: no domain app (import contract); `actor` is `request.actor` (its `membership`).
"""

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.web.import_cells import CellError, Identifier, cell_text, is_blank, normalise
from maillage.web.spreadsheets import (
    MAX_DATA_ROWS,
    MAX_FILE_BYTES,
    Formula,
    SpreadsheetError,
    Table,
    column_letter,
    read_table,
    starts_dangerously,
    thousands,
    too_big_message,
)

# The uploaded file waits this long for its preview and confirmation, then is forgotten.
STORE_SECONDS = 3600
PREVIEW_ROWS = 10
KEY_PREFIX = "id:"  # an import key from the file's identifier; a digest is 64 hexadecimal characters


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Any  # Text, Identifier, Date, Count, Choice, Reference or References
    required: bool = False
    synonyms: tuple[str, ...] = ()  # other column titles that mean this field
    hint: str = ""  # how to write it, on the upload page

    @property
    def is_identifier(self) -> bool:
        return isinstance(self.kind, Identifier)


@dataclass(frozen=True)
class ImportKind:
    """What an app imports. `fields(territory)` lists the fields (references limited to the territory);
    `check_row(values)` returns (field name, message) for what is wrong across a row's cells;
    `existing_keys(territory)` the import keys already there; `create(actor=, rows=)` writes the new rows
    (`ParsedRow`: `values` by field name, `key`)."""

    name: str  # « actions », « prevention_events »: in the audit trail and the stored upload
    title: str  # « Importer des actions du plan d'action »
    records: str  # « actions », as in « 12 actions créées »
    namespace: str  # the app's URL namespace: index, import, import_preview, import_result
    list_path: str  # the page listing the records
    list_label: str  # « Voir le plan d'action »
    fields: Callable[[Any], list[Field]]
    check_row: Callable[[dict], list[tuple[str, str]]]
    existing_keys: Callable[[Any], set[str]]
    create: Callable[..., None]


# --- Checking a table ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # « Début » (colonne C); empty for the row as a whole
    value: str
    message: str

    def __str__(self) -> str:
        where = f"Ligne {self.row}" + (f", colonne {self.column}" if self.column else "")
        return f"{where} : {self.message}"


@dataclass
class ParsedRow:
    number: int
    values: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)
    key: str = ""
    has_errors: bool = False
    already_imported: bool = False


@dataclass
class Check:
    rows: list[ParsedRow]
    errors: list[RowError]

    @property
    def new_rows(self) -> list[ParsedRow]:
        return [row for row in self.rows if not row.has_errors and not row.already_imported]

    @property
    def already_imported(self) -> int:
        return sum(row.already_imported for row in self.rows)


def _column_name(table: Table, index: int) -> str:
    return f"« {table.header[index]} » ({column_letter(index)})"


def _parse_cell(spec: Field, raw):
    if isinstance(raw, Formula):
        raise CellError(
            "La cellule contient une formule : Maillage n'évalue pas les formules. Remplacez-la par sa "
            "valeur (copier, puis « collage spécial : valeurs »)."
        )
    if is_blank(raw):
        if spec.required:
            raise CellError(f"Cellule vide : « {spec.label} » est obligatoire.")
        return spec.kind.empty
    # A number or a date typed in a text column is checked as the text it becomes.
    text = raw if isinstance(raw, str) else cell_text(raw)
    if starts_dangerously(text):
        plain_number = spec.kind.numeric and re.fullmatch(r"\s*[+-]?\d+\s*", text)
        if not plain_number:
            first = text.lstrip(" ")[:1]
            shown = {"\t": "une tabulation", "\r": "un retour chariot"}.get(first, f"« {first} »")
            raise CellError(
                f"La cellule commence par {shown} : un tableur pourrait la prendre pour une formule "
                "(injection de formule). Retirez ce caractère ou mettez un autre caractère devant."
            )
    return spec.kind.parse(raw)


def _row_key(values: dict, fields: dict[str, Field]) -> str:
    for name, value in values.items():
        if fields[name].is_identifier and value:
            return KEY_PREFIX + value
    canonical = {
        name: fields[name].kind.canonical(value)
        for name, value in values.items()
        if not fields[name].is_identifier and value not in (None, "", ())
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def check_table(
    table: Table, mapping: list[str], fields: list[Field], check_row: Callable, existing_keys: set[str]
) -> Check:
    """Every row parsed with the columns' mapping (a field name per column, "" to ignore it): the errors of
    every row, in the order of the file; each sound row's import key, and whether it is already imported."""
    by_name = {spec.name: spec for spec in fields}
    columns = [(index, by_name[name]) for index, name in enumerate(mapping) if name]
    column_of = {spec.name: index for index, spec in columns}
    rows, errors, seen = [], [], {}
    for number, cells in table.rows:
        row = ParsedRow(number=number)
        for index, spec in columns:
            raw = cells[index]
            try:
                row.values[spec.name] = _parse_cell(spec, raw)
            except CellError as error:
                row.has_errors = True
                row.shown[spec.name] = cell_text(raw)
                errors.append(RowError(number, _column_name(table, index), cell_text(raw), error.message))
            else:
                value = row.values[spec.name]
                row.shown[spec.name] = spec.kind.show(value) if value not in (None, "", ()) else ""
        if not row.has_errors:
            for name, message in check_row(row.values):
                row.has_errors = True
                index = column_of.get(name)
                if index is None:
                    errors.append(RowError(number, "", "", message))
                else:
                    errors.append(
                        RowError(number, _column_name(table, index), cell_text(cells[index]), message)
                    )
        if not row.has_errors:
            row.key = _row_key(row.values, by_name)
            if row.key in seen:
                row.has_errors = True
                same = "porte le même identifiant que" if row.key.startswith(KEY_PREFIX) else "répète"
                errors.append(
                    RowError(
                        number,
                        "",
                        "",
                        f"Cette ligne {same} la ligne {seen[row.key]} : elle serait importée deux fois. "
                        "Supprimez le doublon, ou distinguez les lignes par une colonne « Identifiant ».",
                    )
                )
            else:
                seen[row.key] = number
                row.already_imported = row.key in existing_keys
        rows.append(row)
    return Check(rows=rows, errors=errors)


def guess_mapping(header: Iterable[str], fields: list[Field]) -> list[str]:
    """The field each column title names (by its label or a synonym), each field for one column at most."""
    names = {}
    for spec in fields:
        for title in (spec.label, spec.name, *spec.synonyms):
            names.setdefault(normalise(title), spec.name)
    used, mapping = set(), []
    for title in header:
        name = names.get(normalise(title), "")
        if name in used:
            name = ""
        used.add(name)
        mapping.append(name)
    return mapping


class MappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or « Ignorer cette colonne »."""

    marks_optional_fields = False
    IGNORE = "Ignorer cette colonne"

    def __init__(self, data, *, table: Table, fields: list[Field]):
        super().__init__(data)
        self.table = table
        self.import_fields = fields
        choices = [("", self.IGNORE)] + [
            (spec.name, f"{spec.label} (obligatoire)" if spec.required else spec.label) for spec in fields
        ]
        for index, title in enumerate(table.header):
            example = next(
                (cell_text(cells[index]) for _n, cells in table.rows if not is_blank(cells[index])), ""
            )
            self.fields[self.field_name(index)] = forms.ChoiceField(
                label=f"Colonne {column_letter(index)} « {title} »",
                choices=choices,
                required=False,
                help_text=f"Exemple : « {example[:80]} »" if example else "Colonne vide.",
            )

    @staticmethod
    def field_name(index: int) -> str:
        return f"colonne_{index}"

    @classmethod
    def data_for(cls, mapping: list[str]) -> dict:
        return {cls.field_name(index): name for index, name in enumerate(mapping)}

    def clean(self):
        cleaned = super().clean()
        labels = {spec.name: spec.label for spec in self.import_fields}
        chosen = {}
        for index in range(len(self.table.header)):
            name = cleaned.get(self.field_name(index))
            if not name:
                continue
            if name in chosen:
                self.add_error(
                    self.field_name(index),
                    f"« {labels[name]} » est déjà choisi pour la colonne {chosen[name]} : une seule colonne "
                    "par champ.",
                )
            else:
                chosen[name] = column_letter(index)
        missing = [spec.label for spec in self.import_fields if spec.required and spec.name not in chosen]
        if missing:
            raise ValidationError(
                [
                    f"Aucune colonne ne correspond à « {label} », obligatoire : choisissez-la ci-dessous."
                    for label in missing
                ]
            )
        return cleaned

    def mapping(self) -> list[str]:
        return [
            self.cleaned_data.get(self.field_name(index)) or "" for index in range(len(self.table.header))
        ]


# --- The uploaded file, kept between the steps --------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    token: uuid.UUID
    membership_id: int
    kind: str
    filename: str
    content: bytes
    sha256: str
    result: dict | None = None  # once imported: the counts, and the file is gone


def _store_key(token: uuid.UUID) -> str:
    return f"maillage:spreadsheet-import:{token.hex}"


def upload_store(*, actor, kind: ImportKind, filename: str, content: bytes) -> uuid.UUID:
    token = uuid.uuid4()
    upload = Upload(
        token=token,
        membership_id=actor.membership.pk,
        kind=kind.name,
        filename=filename[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    cache.set(_store_key(token), asdict(upload), STORE_SECONDS)
    return token


def upload_get(*, actor, kind: ImportKind, token: uuid.UUID) -> Upload:
    """The actor's own upload of this kind; anyone else's, an expired or a missing one: 404, the same."""
    stored = cache.get(_store_key(token))
    if not stored or stored["membership_id"] != actor.membership.pk or stored["kind"] != kind.name:
        raise Http404
    return Upload(**stored)


class ImportRefused(Exception):
    """The rows were right at the preview but not any more (a name changed meanwhile): nothing written."""


def rows_import(*, actor, kind: ImportKind, upload: Upload, mapping: list[str]) -> dict:
    """Writes the file's new rows, all or none, and records it (counts and the file's digest, never its
    content). The stored file is read and checked again here: of what the browser sends, only the mapping
    is used."""
    territory = actor.membership.territory
    table = read_table(upload.content, upload.filename)
    with transaction.atomic():
        check = check_table(
            table, mapping, kind.fields(territory), kind.check_row, kind.existing_keys(territory)
        )
        if check.errors:
            raise ImportRefused
        new_rows = check.new_rows
        kind.create(actor=actor, rows=new_rows)
        result = {
            "kind": kind.name,
            "rows": len(check.rows),
            "created": len(new_rows),
            "already_imported": check.already_imported,
            "sha256": upload.sha256,
        }
        audit.record(actor=actor, action=AuditAction.SPREADSHEET_IMPORTED, changes=result)
    # Written: the file is forgotten, the counts stay for the result page.
    cache.set(_store_key(upload.token), asdict(replace(upload, content=b"", result=result)), STORE_SECONDS)
    return result


# --- The pages ---------------------------------------------------------------------------------------------


class UploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier",
        help_text=(
            f"Tableur Excel (.xlsx) ou CSV, {MAX_FILE_BYTES // 1_000_000} Mo et {thousands(MAX_DATA_ROWS)} "
            "lignes au plus. Seule la première feuille d'un classeur est lue ; sa première ligne non vide "
            "donne les titres des colonnes."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_FILE_BYTES:  # refused before reading it
            raise ValidationError(too_big_message())
        content = upload.read()
        try:
            read_table(content, upload.name)
        except SpreadsheetError as error:
            raise ValidationError(error.message) from None
        self.content = content
        return upload


def _urls(kind: ImportKind) -> dict:
    return {
        "index_url": reverse(f"{kind.namespace}:index"),
        "upload_url": reverse(f"{kind.namespace}:import"),
    }


def upload_page(request, kind: ImportKind):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = upload_store(
            actor=request.actor, kind=kind, filename=form.cleaned_data["fichier"].name, content=form.content
        )
        return redirect(f"{kind.namespace}:import_preview", token=token)
    context = {
        "page_title": kind.title,
        "kind": kind,
        "form": form,
        "fields": kind.fields(request.actor.territory),
    }
    return render(request, "web/spreadsheet_import.html", {**context, **_urls(kind)})


def _checked(form: MappingForm, table: Table, kind: ImportKind, fields: list[Field], territory) -> Check:
    check = check_table(table, form.mapping(), fields, kind.check_row, kind.existing_keys(territory))
    for error in check.errors:
        form.add_error(None, str(error))
    return check


def preview_page(request, kind: ImportKind, token: uuid.UUID):
    """The file's columns with their fields, its first rows as they would be imported and every error; the
    mapping sent back (« Actualiser l'aperçu ») checks again, « Importer » imports if nothing is wrong."""
    actor = request.actor
    upload = upload_get(actor=actor, kind=kind, token=token)
    if upload.result is not None:
        return redirect(f"{kind.namespace}:import_result", token=token)
    territory = actor.membership.territory
    try:
        table = read_table(upload.content, upload.filename)
    except SpreadsheetError:  # read at upload time: only a change of the limits since could land here
        raise Http404 from None
    fields = kind.fields(territory)
    if request.method == "POST":
        data = request.POST
    else:
        data = MappingForm.data_for(guess_mapping(table.header, fields))
    form = MappingForm(data, table=table, fields=fields)
    check = _checked(form, table, kind, fields, territory) if form.is_valid() else None
    if check and not check.errors and request.POST.get("etape") == "importer":
        try:
            rows_import(actor=actor, kind=kind, upload=upload, mapping=form.mapping())
        except (ImportRefused, IntegrityError):
            form.add_error(
                None,
                "Les données ont changé pendant l'import (une autre personne importait peut-être le même "
                "fichier) : rien n'a été importé. Vérifiez l'aperçu ci-dessous et recommencez.",
            )
            check = _checked(form, table, kind, fields, territory)
        else:
            return redirect(f"{kind.namespace}:import_result", token=token)
    mapped = [spec for spec in fields if spec.name in form.mapping()] if check else []
    rows = check.rows[:PREVIEW_ROWS] if check else []
    context = {
        "page_title": f"{kind.title} : aperçu",
        "kind": kind,
        "filename": upload.filename,
        "form": form,
        "check": check,
        "new_count": len(check.new_rows) if check else 0,
        "already_count": check.already_imported if check else 0,
        "row_count": len(table.rows),
        "mapped": mapped,
        "preview": [(row, [row.shown.get(spec.name, "") for spec in mapped]) for row in rows],
    }
    return render(request, "web/spreadsheet_preview.html", {**context, **_urls(kind)})


def result_page(request, kind: ImportKind, token: uuid.UUID):
    upload = upload_get(actor=request.actor, kind=kind, token=token)
    if upload.result is None:
        return redirect(f"{kind.namespace}:import_preview", token=token)
    context = {
        "page_title": f"{kind.title} : résultat",
        "kind": kind,
        "filename": upload.filename,
        "result": upload.result,
    }
    return render(request, "web/spreadsheet_result.html", {**context, **_urls(kind)})
