"""How well the engine cleans the corpus (`maillage eval-pseudo`, the quality test).

Everything is counted on letters and digits only (spaces and punctuation inside an identifier say nothing):
- recall per annotated label, span level: an annotated identifier is found when every one of its letters and
  digits is replaced, whatever label the engine gave it (a phone replaced as a NIR has not leaked); the
  character-level recall is given beside it;
- precision per predicted label, span level: a predicted span is right when it touches an annotated
  identifier; the character precision (share of replaced characters that belong to an identifier) is given
  beside it and overall;
- a note is fully cleaned when none of its annotated identifiers' characters is left;
- speed: notes per second of processor time (one core: the process is single-threaded), one note at a
  time through `find_spans` with the model already loaded — other processes on the machine do not count.
"""

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from maillage.privacy.pseudonymiser.engine import find_spans, pseudonymise_many
from maillage.privacy.pseudonymiser.spans import LABELS

CORPUS = Path(__file__).parent / "corpus" / "notes.jsonl"
STRUCTURED = ("PHONE", "EMAIL", "NIR", "IBAN", "PLATE", "DATE_OF_BIRTH", "ADDRESS")


def load_corpus(path: Path = CORPUS, subset: str = "all") -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        notes = [json.loads(line) for line in lines if line.strip()]
    return [n for n in notes if subset == "all" or n["set"] == subset]


def _chars(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if text[i].isalnum()}


@dataclass
class Figures:
    notes: int = 0
    cleaned: int = 0
    gold_spans: Counter = field(default_factory=Counter)
    found_spans: Counter = field(default_factory=Counter)
    gold_chars: Counter = field(default_factory=Counter)
    found_chars: Counter = field(default_factory=Counter)
    predicted_spans: Counter = field(default_factory=Counter)
    correct_spans: Counter = field(default_factory=Counter)
    predicted_chars: Counter = field(default_factory=Counter)
    correct_chars: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    def recall(self, label: str) -> float:
        return self.found_spans[label] / self.gold_spans[label] if self.gold_spans[label] else 1.0

    def char_recall(self, label: str) -> float:
        return self.found_chars[label] / self.gold_chars[label] if self.gold_chars[label] else 1.0

    def precision(self, label: str) -> float:
        return self.correct_spans[label] / self.predicted_spans[label] if self.predicted_spans[label] else 1.0

    def char_precision_of(self, label: str) -> float:
        return self.correct_chars[label] / self.predicted_chars[label] if self.predicted_chars[label] else 1.0

    def f1(self, label: str) -> float:
        p, r = self.precision(label), self.recall(label)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def char_precision(self) -> float:
        total = sum(self.predicted_chars.values())
        return sum(self.correct_chars.values()) / total if total else 1.0

    @property
    def cleaned_share(self) -> float:
        return self.cleaned / self.notes if self.notes else 1.0

    @property
    def notes_per_second(self) -> float:
        return self.notes / self.seconds if self.seconds else 0.0

    def group_recall(self, labels=STRUCTURED) -> float:
        gold = sum(self.gold_spans[label] for label in labels)
        return sum(self.found_spans[label] for label in labels) / gold if gold else 1.0

    def labels(self) -> list[str]:
        return [label for label in LABELS if self.gold_spans[label] or self.predicted_spans[label]]


def score(note: dict, spans, figures: Figures, keep_examples: bool) -> None:
    text = note["text"]
    replaced = set()
    for span in spans:
        replaced |= _chars(text, span.start, span.end)
    gold_all = set()
    for start, end, label in note["entities"]:
        chars = _chars(text, start, end)
        gold_all |= chars
        figures.gold_spans[label] += 1
        figures.gold_chars[label] += len(chars)
        figures.found_chars[label] += len(chars & replaced)
        if chars <= replaced:
            figures.found_spans[label] += 1
        elif keep_examples:
            figures.misses.append((note["id"], label, text[start:end], text[max(0, start - 40) : end + 20]))
    for span in spans:
        chars = _chars(text, span.start, span.end)
        figures.predicted_spans[span.label] += 1
        figures.predicted_chars[span.label] += len(chars)
        figures.correct_chars[span.label] += len(chars & gold_all)
        if chars & gold_all:
            figures.correct_spans[span.label] += 1
        elif keep_examples:
            context = text[max(0, span.start - 40) : span.end + 20]
            figures.false_alarms.append(
                (note["id"], span.label, text[span.start : span.end], span.source, context)
            )
    figures.notes += 1
    figures.cleaned += gold_all <= replaced


def evaluate(notes: list[dict], *, with_known=True, keep_examples=False) -> dict[str, Figures]:
    """Figures for the whole corpus ("all") and for each part ("dev", "held_out"), from one pass."""
    figures = {"all": Figures()}
    find_spans("Mme Exemple.")  # the model is loaded before the clock starts
    for note in notes:
        started = time.process_time()
        spans = find_spans(note["text"], note["known"] if with_known else None)
        elapsed = time.process_time() - started
        for key in ("all", note.get("set", "dev")):
            part = figures.setdefault(key, Figures())
            part.seconds += elapsed
            score(note, spans, part, keep_examples and key == "all")
    return figures


def batch_speed(notes: list[dict], batch_size=32) -> float:
    """Notes per second of processor time through `pseudonymise_many` (the NER model reads in batches)."""
    started = time.process_time()
    for _ in pseudonymise_many(((n["text"], n["known"]) for n in notes), batch_size=batch_size):
        pass
    elapsed = time.process_time() - started
    return len(notes) / elapsed if elapsed else 0.0
