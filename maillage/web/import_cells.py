"""The cells of an imported spreadsheet (ADR 0037): how a raw cell becomes a value of each kind (text, date,
count, one of a list, a record of the territory or several), with a French message when it cannot.

Each kind parses a non-blank cell (`parse`, raising `CellError`), shows the value on the preview (`show`) and
gives its canonical form for the row's digest (`canonical`); `empty` is the value of a blank cell.
Kernel module: no domain app (import contract); the records a reference may name are given by the app.
"""

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from maillage.web.spreadsheets import Formula, thousands

IDENTIFIER_MAX_LENGTH = 61  # Action.import_key and PreventionEvent.import_key hold « id: » and the identifier


def normalise(text) -> str:
    """How titles and names are compared: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def cell_text(value) -> str:
    """A cell as the person typed it: 3.0 → « 3 », a date without time → « 2024-03-01 »."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Kinds of cells: parse a non-blank cell, show the value, give its canonical form (the row's digest) ---


class Text:
    numeric = False
    empty = ""

    def __init__(self, *, max_length: int | None = None, multiline: bool = False):
        self.max_length = max_length
        self.multiline = multiline

    def parse(self, raw) -> str:
        text = cell_text(raw).replace("\r\n", "\n").replace("\r", "\n")
        if self.multiline:
            text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        else:
            text = " ".join(text.split())
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                f"Texte trop long : {thousands(len(text))} caractères pour {thousands(self.max_length)} "
                "au plus."
            )
        return text

    def show(self, value) -> str:
        return value

    def canonical(self, value) -> str:
        return value


class Identifier(Text):
    def __init__(self):
        super().__init__(max_length=IDENTIFIER_MAX_LENGTH)


class Date:
    numeric = False
    empty = None
    FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
    TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2})?$")
    EARLIEST, LATEST = 1990, 2100

    def parse(self, raw) -> datetime.date:
        if isinstance(raw, datetime.datetime):
            day = raw.date()
        elif isinstance(raw, datetime.date):
            day = raw
        elif isinstance(raw, int | float) and not isinstance(raw, bool):
            day = self._serial(raw)
        else:
            day = self._text(cell_text(raw).strip())
        if not self.EARLIEST <= day.year <= self.LATEST:
            raise CellError(
                f"Date hors des limites : {day:%d/%m/%Y} (années {self.EARLIEST} à {self.LATEST})."
            )
        return day

    def _serial(self, number) -> datetime.date:
        # A date typed in a cell not formatted as a date: the number of days Excel counts since 1900.
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(number).date()
        except (ValueError, OverflowError, AttributeError):
            raise CellError(f"« {cell_text(number)} » n'est pas une date : écrivez-la jj/mm/aaaa.") from None

    def _text(self, text: str) -> datetime.date:
        text = self.TIME_SUFFIX.sub("", text)
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a day, no time)
            except ValueError:
                continue
        raise CellError(
            f"« {text} » n'est pas une date valide : écrivez-la jj/mm/aaaa (par exemple 25/11/2024) "
            "ou aaaa-mm-jj."
        )

    def show(self, value) -> str:
        return f"{value:%d/%m/%Y}"

    def canonical(self, value) -> str:
        return value.isoformat()


class Count:
    """A whole number of people or things, zero or more."""

    numeric = True
    empty = None
    MAXIMUM = 10_000_000

    def parse(self, raw) -> int:
        if isinstance(raw, bool):
            raise CellError("Indiquez un nombre entier.")
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, int):
            number = raw
        else:
            text = re.sub(r"[\s\u00a0\u202f]", "", cell_text(raw))
            if not re.fullmatch(r"[+-]?\d+", text):
                raise CellError(f"« {cell_text(raw).strip()} » n'est pas un nombre entier.")
            number = int(text)
        if number < 0:
            raise CellError("Le nombre ne peut pas être négatif.")
        if number > self.MAXIMUM:
            raise CellError(f"Nombre trop grand ({thousands(self.MAXIMUM)} au plus).")
        return number

    def show(self, value) -> str:
        return thousands(value)

    def canonical(self, value) -> str:
        return str(value)


class Choice:
    """One of a list of values (TextChoices), by its label, its code or a synonym."""

    numeric = False
    empty = None

    def __init__(self, choices: Iterable[tuple[str, str]], synonyms: dict[str, str] | None = None):
        self.labels = dict(choices)
        self.lookup = {}
        for code, label in self.labels.items():
            self.lookup[normalise(code)] = code
            self.lookup[normalise(label)] = code
        for word, code in (synonyms or {}).items():
            self.lookup.setdefault(normalise(word), code)

    def parse(self, raw) -> str:
        text = cell_text(raw).strip()
        code = self.lookup.get(normalise(text))
        if code is None:
            known = " ; ".join(f"« {label} »" for label in self.labels.values())
            raise CellError(f"« {text} » n'est pas reconnu. Valeurs possibles : {known}.")
        return code

    def show(self, value) -> str:
        return self.labels[value]

    def canonical(self, value) -> str:
        return value


def _own_name(obj) -> tuple[str]:
    return (str(obj),)


class Reference:
    """One record among `objects`, found by any of its `names` (accents and case ignored). `unknown` says
    why a name was not found: « {names} » is replaced by the names given."""

    numeric = False
    empty = None

    def __init__(self, objects: Iterable, *, unknown: str, names: Callable[[Any], Iterable[str]] = _own_name):
        self.unknown = unknown
        self.lookup = {}
        for obj in objects:
            for name in names(obj):
                self.lookup.setdefault(normalise(name), obj)

    def _find(self, text: str):
        found = self.lookup.get(normalise(text))
        if found is None:
            raise CellError(self.unknown.format(names=f"« {text} »"))
        return found

    def parse(self, raw):
        return self._find(cell_text(raw).strip())

    def show(self, value) -> str:
        return str(value)

    def canonical(self, value) -> str:
        return str(value.pk)


class References(Reference):
    """Several records in one cell, separated by « ; », a line break or « , » (a name holding a comma is
    found whole first)."""

    empty = ()
    SEPARATORS = re.compile(r"[;\n]")

    def parse(self, raw) -> tuple:
        found, unknown = [], []
        for part in self.SEPARATORS.split(cell_text(raw)):
            names = [part] if normalise(part) in self.lookup else part.split(",")
            for name in (name.strip() for name in names):
                obj = self.lookup.get(normalise(name)) if name else None
                if obj is None and name:
                    unknown.append(f"« {name} »")
                elif obj is not None and obj not in found:
                    found.append(obj)
        if unknown:
            raise CellError(self.unknown.format(names=", ".join(unknown)))
        return tuple(found)

    def show(self, value) -> str:
        return ", ".join(str(obj) for obj in value)

    def canonical(self, value) -> str:
        return ",".join(sorted(str(obj.pk) for obj in value))
