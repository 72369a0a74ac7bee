"""Grid files (`grids/*.json`, or a territory's own file) read and checked before anything is written.

A file holds one version of one grid: `code`, `version`, `title`, `source`, `provisional`, the thresholds
(`high_at_yes`, `high_at_red`, `medium_at_yes`) and `blocks`, each a `title` and `questions` (`text`, `red`).
Questions are numbered 1, 2, … in file order; answers are stored by that number."""

import json
from dataclasses import dataclass
from pathlib import Path

from maillage.errors import DomainError

SHIPPED = Path(__file__).resolve().parent / "grids"


@dataclass(frozen=True)
class QuestionData:
    number: int
    block: str
    text: str
    red: bool


@dataclass(frozen=True)
class GridData:
    code: str
    version: int
    title: str
    source: str
    provisional: bool
    high_at_yes: int
    high_at_red: int | None
    medium_at_yes: int | None
    questions: tuple[QuestionData, ...]


def _int(data: dict, name: str, *, optional: bool = False) -> int | None:
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise DomainError(f"« {name} » doit être un nombre entier positif.")
    return value


def parse_grid(data: dict) -> GridData:
    """The grid a file describes, or a DomainError saying what is wrong with it (in French)."""
    if not isinstance(data, dict):
        raise DomainError("Le fichier doit décrire une grille (un objet JSON).")
    for name in ("code", "title"):
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise DomainError(f"« {name} » est obligatoire.")
    questions = []
    for block in data.get("blocks") or []:
        title = str(block.get("title", "")).strip()
        if not title:
            raise DomainError("Chaque partie de la grille a un titre.")
        for question in block.get("questions") or []:
            text = str(question.get("text", "")).strip()
            if not text:
                raise DomainError(f"Une question de la partie « {title} » est vide.")
            questions.append(QuestionData(len(questions) + 1, title, text, bool(question.get("red"))))
    if not questions:
        raise DomainError("La grille n'a aucune question.")
    grid = GridData(
        code=data["code"].strip(),
        version=_int(data, "version"),
        title=data["title"].strip(),
        source=str(data.get("source", "")).strip(),
        provisional=bool(data.get("provisional", True)),
        high_at_yes=_int(data, "high_at_yes"),
        high_at_red=_int(data, "high_at_red", optional=True),
        medium_at_yes=_int(data, "medium_at_yes", optional=True),
        questions=tuple(questions),
    )
    if grid.high_at_yes > len(questions) or (grid.medium_at_yes or 0) > grid.high_at_yes:
        raise DomainError("Les seuils de la grille ne correspondent pas à son nombre de questions.")
    if grid.high_at_red is not None and grid.high_at_red > sum(q.red for q in questions):
        raise DomainError("Le seuil de questions rouges dépasse le nombre de questions rouges.")
    return grid


def read_grid_file(path: Path) -> GridData:
    try:
        return parse_grid(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise DomainError(f"Impossible de lire {path.name} : {error}") from None


def shipped_grids() -> list[GridData]:
    return [read_grid_file(path) for path in sorted(SHIPPED.glob("*.json"))]
