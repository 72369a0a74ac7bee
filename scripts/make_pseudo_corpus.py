"""Writes the pseudonymiser's corpus: synthetic French case notes with exact annotations (ADR 0031).

    .venv/bin/python scripts/make_pseudo_corpus.py [--out PATH] [--per-template N] [--seed S]

Each hand-written template of scripts/pseudo_corpus/templates/ is filled N times with fictional people; each
note's seed comes from the template's id and the base seed, so the same command writes the same file, and
adding a template changes no other note. A template's `set` says how it was used (ADR 0031): `dev` — the
engine was tuned on it; `held_out` — written before the engine, measured blind once, then examined;
`fresh` — written after that tuning, measured blind once, then examined. The evaluation reports each apart;
the blind figures are recorded in the ADR.
"""

import argparse
import json
import sys
import zlib
from pathlib import Path
from random import Random

from pseudo_corpus.render import Note, parse_templates

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "pseudo_corpus" / "templates"
OUT = ROOT / "maillage" / "privacy" / "pseudonymiser" / "corpus" / "notes.jsonl"


def check(record: dict) -> None:
    """The annotations are exactly what was inserted, in order and without overlap."""
    previous_end = 0
    for start, end, _label in record["entities"]:
        if start < previous_end or end <= start:
            raise ValueError(f"{record['id']}: overlapping or empty span at {start}")
        previous_end = end


def notes(per_template: int, seed: int):
    templates = [
        t for path in sorted(TEMPLATES.glob("*.txt")) for t in parse_templates(path.read_text("utf-8"))
    ]
    ids = [t.id for t in templates]
    if len(ids) != len(set(ids)):
        raise ValueError("two templates share an id")
    for template in templates:
        for n in range(per_template):
            rng = Random(zlib.crc32(f"{seed}:{template.id}:{n}".encode()))
            note = Note(template, rng).write()
            record = {
                "id": f"{template.id}-{n:02d}",
                "style": template.style,
                "set": template.header.get("set", "dev"),
                "text": note.text,
                "known": note.known(),
                "entities": [[s, e, label] for s, e, label, _value in note.entities],
            }
            check(record)
            yield record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--per-template", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    records = list(notes(args.per_template, args.seed))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    words = sum(len(r["text"].split()) for r in records) / len(records)
    parts = ", ".join(
        f"{name} {sum(r['set'] == name for r in records)}" for name in ("dev", "held_out", "fresh")
    )
    print(f"{len(records)} notes ({parts}), {words:.0f} words on average → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
