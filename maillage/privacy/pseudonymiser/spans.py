"""Spans, results, placeholders, and how the three layers' candidate spans become one list."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

LABELS = ("PERSON", "PHONE", "EMAIL", "NIR", "IBAN", "PLATE", "DATE_OF_BIRTH", "ADDRESS", "LOCATION")
PLACEHOLDERS: dict[str, str] = {
    "PERSON": "[personne]",
    "PHONE": "[téléphone]",
    "EMAIL": "[courriel]",
    "NIR": "[n° de sécurité sociale]",
    "IBAN": "[IBAN]",
    "PLATE": "[immatriculation]",
    "DATE_OF_BIRTH": "[date de naissance]",
    "ADDRESS": "[adresse]",
    "LOCATION": "[lieu]",
}
SOURCES = ("known", "pattern", "ner")  # in order of trust
# Two spans of one person or one address separated only by these characters are one mention.
PERSON_GAP = re.compile(r"[ \t\u00a0]+|[ \t\u00a0]*-[ \t\u00a0]*")
ADDRESS_GAP = re.compile(r"[\s,–\-]+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    who: str | None = None  # "victim", "perpetrator", "child:0"… for a known identity
    source: str = "pattern"  # "known", "pattern" or "ner"


@dataclass(frozen=True)
class Result:
    text: str
    spans: list[Span]


def default_placeholder(span: Span) -> str:
    if span.label == "PERSON" and span.who:
        if span.who == "victim":
            return "[victime]"
        if span.who == "perpetrator":
            return "[auteur]"
        if span.who.startswith("child:"):
            return f"[enfant {int(span.who.split(':')[1]) + 1}]"
    return PLACEHOLDERS[span.label]


def _rank(span: Span) -> tuple:
    return (span.end - span.start, -SOURCES.index(span.source))


def _who(spans: Iterable[Span]) -> str | None:
    """The one known person behind these spans, or None when there is none or several."""
    people = {s.who for s in spans if s.who}
    return people.pop() if len(people) == 1 else None


def _best_source(spans: Iterable[Span]) -> str:
    return min((s.source for s in spans), key=SOURCES.index)


def resolve(candidates: Iterable[Span]) -> list[Span]:
    """Overlapping candidates become one span covering them all (never leave a piece of an identifier
    behind), labelled by the longest one (the most trusted source on a tie)."""
    ordered = sorted(candidates, key=lambda s: (s.start, -s.end))
    clusters: list[list[Span]] = []
    end = -1
    for span in ordered:
        if clusters and span.start < end:
            clusters[-1].append(span)
            end = max(end, span.end)
        else:
            clusters.append([span])
            end = span.end
    resolved = []
    for cluster in clusters:
        best = max(cluster, key=_rank)
        same = [s for s in cluster if s.label == best.label]
        resolved.append(
            Span(
                start=min(s.start for s in cluster),
                end=max(s.end for s in cluster),
                label=best.label,
                who=_who(same) if best.label == "PERSON" else _who(cluster),
                source=_best_source(same),
            )
        )
    return resolved


def join_adjacent(text: str, spans: list[Span]) -> list[Span]:
    """ "Claire" + "CORDIER" → one person; "12 rue des Lilas" + ", 85500 Les Herbiers" → one address."""
    joined: list[Span] = []
    for span in spans:
        if joined:
            last = joined[-1]
            gap = text[last.end : span.start]
            same_person = (
                last.label == span.label == "PERSON"
                and PERSON_GAP.fullmatch(gap)
                and (not last.who or not span.who or last.who == span.who)
            )
            same_place = (
                last.label == span.label == "ADDRESS" and ADDRESS_GAP.fullmatch(gap) and "\n" not in gap
            )
            if same_person or same_place:
                joined[-1] = replace(
                    last,
                    end=span.end,
                    who=last.who or span.who,
                    source=_best_source([last, span]),
                )
                continue
        joined.append(span)
    return joined


def apply(text: str, spans: list[Span], replace_with: Callable[[Span, str], str] | None) -> str:
    out, position = [], 0
    for span in spans:
        original = text[span.start : span.end]
        out.append(text[position : span.start])
        out.append(replace_with(span, original) if replace_with else default_placeholder(span))
        position = span.end
    out.append(text[position:])
    return "".join(out)
