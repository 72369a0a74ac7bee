"""Reading a territory file (JSON or CSV) into checked data, without touching the database.

Every problem is collected, with its line (CSV) or entry (JSON) number, and raised at once in a
ValidationError so that the person fixes the whole file in one go. Nothing here writes: the import itself is
`maillage.territories.services.territory_import`.

JSON: {"name": ..., "kind": "epci|commune|cispd|clspd", "department_code": "85",
       "communes": [{"name", "postal_code", "population", "insee_code" (optional)}]}
CSV (UTF-8, with or without BOM, `;` or `,` separated): header `nom;code_postal;population;code_insee`
(code_insee optional); the territory's name, kind and department are given beside the file.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError

from maillage.territories.enums import TerritoryKind

MAX_FILE_BYTES = 1_000_000
NAME_MAX_LENGTH = 200  # Territory.name and Commune.name
# No French commune comes near this; it also keeps the value inside the database integer.
POPULATION_MAX = 10_000_000

POSTAL_CODE_RE = re.compile(r"\d{5}")
# Five digits, or Corsica's 2A/2B followed by three digits (e.g. 85109, 2A004).
INSEE_CODE_RE = re.compile(r"(\d{5}|2[AB]\d{3})")
# Metropolitan departments 01–95 (Corsica as 2A/2B) and overseas 971–976.
DEPARTMENT_CODE_RE = re.compile(r"(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])")

JSON_TERRITORY_KEYS = {"name", "kind", "department_code", "communes"}
JSON_COMMUNE_KEYS = {"name", "postal_code", "population", "insee_code"}
CSV_COLUMNS = {
    "nom": "name",
    "code_postal": "postal_code",
    "population": "population",
    "code_insee": "insee_code",
}
CSV_REQUIRED_COLUMNS = ("nom", "code_postal", "population")


@dataclass(frozen=True)
class CommuneData:
    name: str
    postal_code: str
    population: int
    insee_code: str = ""  # empty when the file does not give it


@dataclass(frozen=True)
class TerritoryData:
    name: str
    kind: str
    department_code: str
    communes: tuple[CommuneData, ...]


def commune_key(name: str) -> str:
    """How two commune names are recognised as the same one (case and spacing ignored)."""
    return " ".join(name.split()).casefold()


def _clean_text(value) -> str:
    return " ".join(str(value).split())


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_territory_file(
    content: bytes,
    *,
    filename: str = "",
    name: str = "",
    kind: str = "",
    department_code: str = "",
) -> TerritoryData:
    """Reads a JSON or CSV territory file (told apart by its extension, else by its first character).

    `name`, `kind` and `department_code` are required beside a CSV file; beside a JSON file, those given
    take precedence over the file's own values.
    """
    _check_size(content)
    text = _decode(content)
    if _looks_like_json(filename, text):
        return parse_json(text, name=name, kind=kind, department_code=department_code)
    return parse_csv(text, name=name, kind=kind, department_code=department_code)


def _check_size(content: bytes) -> None:
    if not content.strip():
        raise ValidationError(["Le fichier est vide."])
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError([f"Le fichier dépasse la taille maximale de {MAX_FILE_BYTES // 1_000_000} Mo."])


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ValidationError(
            [
                f"Le fichier n'est pas encodé en UTF-8 (caractère illisible à la ligne {line}). "
                "Enregistrez-le en « UTF-8 » depuis votre tableur ou éditeur, puis réessayez."
            ]
        ) from None


def _looks_like_json(filename: str, text: str) -> bool:
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".json":
        return True
    if suffix in {".csv", ".txt"}:
        return False
    return text.lstrip()[:1] in {"{", "["}


# --- Territory fields ---------------------------------------------------------------------------------


def _territory_fields(name, kind, department_code, errors: list[str]) -> tuple[str, str, str]:
    if _is_blank(name) or not isinstance(name, str):
        errors.append("Nom du territoire : indiquez-le.")
        name = ""
    else:
        name = _clean_text(name)
        if len(name) > NAME_MAX_LENGTH:
            errors.append(f"Nom du territoire : {NAME_MAX_LENGTH} caractères au plus.")
    if _is_blank(kind):
        errors.append("Type du territoire : indiquez-le (epci, commune, cispd ou clspd).")
        kind = ""
    else:
        kind = str(kind).strip().lower()
        if kind not in TerritoryKind.values:
            errors.append(
                f"Type du territoire : « {kind} » n'est pas reconnu ; utilisez epci, commune, cispd ou clspd."
            )
    if _is_blank(department_code):
        department_code = ""
    else:
        department_code = str(department_code).strip().upper()
        if not DEPARTMENT_CODE_RE.fullmatch(department_code):
            errors.append(
                f"Département : « {department_code} » n'est pas un code de département "
                "(par exemple 85, 2A ou 974)."
            )
    return name, kind, department_code


def _prefer(given: str, from_file):
    return given if not _is_blank(given) else from_file


# --- Communes -----------------------------------------------------------------------------------------


def _commune(where: str, name, postal_code, population, insee_code, errors: list[str]) -> CommuneData | None:
    """Checks one commune; `where` is « Ligne 3 » or « Commune n° 3 » and starts every message."""
    problems: list[str] = []
    if _is_blank(name) or not isinstance(name, str):
        problems.append("le nom de la commune manque")
        name = ""
    else:
        name = _clean_text(name)
        if len(name) > NAME_MAX_LENGTH:
            problems.append(f"le nom de la commune dépasse {NAME_MAX_LENGTH} caractères")

    if _is_blank(postal_code):
        problems.append("le code postal manque")
    else:
        postal_code = str(postal_code).strip()
        if not POSTAL_CODE_RE.fullmatch(postal_code):
            problems.append(f"le code postal « {postal_code} » doit comporter 5 chiffres")

    population_value = _population(population, problems)

    if _is_blank(insee_code):
        insee_code = ""
    else:
        insee_code = str(insee_code).strip().upper()
        if not INSEE_CODE_RE.fullmatch(insee_code):
            problems.append(
                f"le code INSEE « {insee_code} » doit comporter 5 caractères (par exemple 85109 ou 2A004)"
            )

    if problems:
        label = f" ({name})" if name else ""
        errors.append(f"{where}{label} : " + " ; ".join(problems) + ".")
        return None
    return CommuneData(name=name, postal_code=postal_code, population=population_value, insee_code=insee_code)


def _population(value, problems: list[str]) -> int | None:
    if _is_blank(value):
        problems.append("la population manque")
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        number = None
    elif isinstance(value, int | float):
        number = int(value)
    else:
        # Spreadsheets write thousands with spaces (« 16 135 »), sometimes non-breaking ones.
        digits = re.sub(r"[\s\u00a0\u202f]", "", str(value))
        number = int(digits) if digits.isdigit() else None
    if number is None or number <= 0:
        problems.append(f"la population « {value} » doit être un nombre entier positif")
        return None
    if number > POPULATION_MAX:
        problems.append(f"la population « {value} » est trop grande")
        return None
    return number


def _check_duplicates(located: list[tuple[str, CommuneData]], errors: list[str]) -> None:
    """Two entries for one commune (same name, or same INSEE code) make the file ambiguous."""
    first_by_name: dict[str, str] = {}
    first_by_insee: dict[str, str] = {}
    for where, commune in located:
        key = commune_key(commune.name)
        if key in first_by_name:
            errors.append(
                f"{where} : la commune « {commune.name} » apparaît déjà ({first_by_name[key].lower()})."
            )
        else:
            first_by_name[key] = where
        if commune.insee_code:
            if commune.insee_code in first_by_insee:
                errors.append(
                    f"{where} : le code INSEE {commune.insee_code} est déjà celui d'une autre commune "
                    f"({first_by_insee[commune.insee_code].lower()})."
                )
            else:
                first_by_insee[commune.insee_code] = where


def _finish(name, kind, department_code, located, errors: list[str]) -> TerritoryData:
    if not located and not errors:
        errors.append("Le fichier ne contient aucune commune.")
    _check_duplicates(located, errors)
    if errors:
        raise ValidationError(errors)
    return TerritoryData(
        name=name, kind=kind, department_code=department_code, communes=tuple(c for _, c in located)
    )


# --- JSON ---------------------------------------------------------------------------------------------


def parse_json(text: str, *, name: str = "", kind: str = "", department_code: str = "") -> TerritoryData:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            [f"Le fichier JSON est mal formé (ligne {error.lineno}, colonne {error.colno})."]
        ) from None
    if not isinstance(document, dict):
        raise ValidationError(
            ["Le fichier JSON doit contenir un objet avec name, kind, department_code et communes."]
        )
    errors: list[str] = []
    unknown = sorted(set(document) - JSON_TERRITORY_KEYS)
    if unknown:
        errors.append(f"Champ inconnu dans le fichier : {', '.join(unknown)}.")
    name, kind, department_code = _territory_fields(
        _prefer(name, document.get("name")),
        _prefer(kind, document.get("kind")),
        _prefer(department_code, document.get("department_code")),
        errors,
    )
    entries = document.get("communes")
    located: list[tuple[str, CommuneData]] = []
    if entries is None:
        errors.append("Le fichier ne contient pas de liste « communes ».")
    elif not isinstance(entries, list):
        errors.append("« communes » doit être une liste de communes.")
    else:
        for number, entry in enumerate(entries, start=1):
            where = f"Commune n° {number}"
            if not isinstance(entry, dict):
                errors.append(
                    f"{where} : chaque commune doit être un objet avec name, postal_code, population."
                )
                continue
            unknown = sorted(set(entry) - JSON_COMMUNE_KEYS)
            if unknown:
                errors.append(f"{where} : champ inconnu {', '.join(unknown)}.")
                continue
            commune = _commune(
                where,
                entry.get("name"),
                entry.get("postal_code"),
                entry.get("population"),
                entry.get("insee_code"),
                errors,
            )
            if commune is not None:
                located.append((where, commune))
    return _finish(name, kind, department_code, located, errors)


# --- CSV ----------------------------------------------------------------------------------------------


def parse_csv(text: str, *, name: str = "", kind: str = "", department_code: str = "") -> TerritoryData:
    errors: list[str] = []
    name, kind, department_code = _territory_fields(name, kind, department_code, errors)
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    located: list[tuple[str, CommuneData]] = []
    try:
        columns = _csv_header(reader, errors)
        if columns is None:
            raise ValidationError(errors)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"Ligne {reader.line_num}"
            if len(row) != len(columns):
                errors.append(f"{where} : {len(columns)} valeurs attendues, {len(row)} trouvées.")
                continue
            values = dict(zip(columns, row, strict=True))
            commune = _commune(
                where,
                values["name"],
                values["postal_code"],
                values["population"],
                values.get("insee_code"),
                errors,
            )
            if commune is not None:
                located.append((where, commune))
    except csv.Error as error:
        errors.append(f"Ligne {reader.line_num} : le fichier CSV est mal formé ({error}).")
    return _finish(name, kind, department_code, located, errors)


def _csv_header(reader, errors: list[str]) -> list[str] | None:
    """The header's columns as field names, or None (with the reasons in `errors`)."""
    for row in reader:
        if any(cell.strip() for cell in row):
            break
    else:
        errors.append("Le fichier ne contient aucune commune.")
        return None
    names = [cell.strip().lower() for cell in row]
    unknown = [n for n in names if n not in CSV_COLUMNS]
    missing = [n for n in CSV_REQUIRED_COLUMNS if n not in names]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    where = f"Ligne {reader.line_num} (en-tête)"
    if missing:
        errors.append(f"{where} : colonne manquante {', '.join(missing)}.")
    if unknown:
        errors.append(f"{where} : colonne inconnue {', '.join(unknown)}.")
    if duplicated:
        errors.append(f"{where} : colonne en double {', '.join(duplicated)}.")
    if missing or unknown or duplicated:
        errors.append(
            "L'en-tête attendu est : nom;code_postal;population;code_insee (code_insee facultatif)."
        )
        return None
    return [CSV_COLUMNS[n] for n in names]
