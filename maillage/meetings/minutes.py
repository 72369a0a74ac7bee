"""The minutes' document (ADR 0034): composed from a held meeting, pseudonymised, reviewed, made final.

A document is JSON. Its free-text parts — each examined situation's summary, each decision and its action —
are `Part`s while a draft: the text as written and the replacements, each proposed by the pseudonymiser
(`privacy.pseudonymiser`, with the situation's known identities) or added by the coordinator, and the
coordinator's choice ("proposed": replaced; "kept": left as written; "added": replaced). `final_document`
turns every part into its pseudonymised text: the document then names nobody but the situations'
pseudonyms. Nothing here writes to the database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from django.utils import timezone
from django.utils.formats import date_format

from maillage.meetings import policies, selectors
from maillage.meetings.enums import Attendance
from maillage.meetings.models import Meeting
from maillage.privacy import pseudonymiser
from maillage.privacy.pseudonymiser import PLACEHOLDERS, Span, default_placeholder
from maillage.situations.enums import PersonRole

# What the coordinator may mask by hand, and the placeholder it becomes.
ADDED_LABELS = {
    "PERSON": "une personne",
    "ADDRESS": "une adresse",
    "PHONE": "un téléphone",
    "OTHER": "une autre information",
}
OTHER_PLACEHOLDER = "[information masquée]"
ADDED_MAX_LENGTH = 200


def _day(value) -> str:
    return date_format(value, "d/m/Y") if value else ""


def known_identities(situation) -> dict:
    """The situation's people as the pseudonymiser takes them (ADR 0031): the victim, the alleged
    perpetrator, the children's first names."""
    known: dict = {"children": []}
    for person in situation.persons.order_by("pk"):
        if person.role == PersonRole.CHILD:
            if person.first_name:
                known["children"].append(person.first_name)
            continue
        key = "victim" if person.role == PersonRole.VICTIM else "perpetrator"
        if key in known:
            continue  # one of each: the first recorded
        known[key] = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "birth_name": person.birth_name,
            "phone": person.phone,
            "email": person.email,
            "address": person.address,
            "date_of_birth": person.birth_date.isoformat() if person.birth_date else "",
        }
    return known


def _part(key: str, text: str) -> dict:
    return {"key": key, "text": text or "", "spans": []}


def compose(meeting: Meeting) -> dict:
    """The draft document of a held meeting, replacements proposed (one pass of the pseudonymiser over
    every part, each with its situation's known identities)."""
    start = timezone.localtime(meeting.starts_at)
    present: dict[str, int] = {}
    excused = absent = 0
    for participant in meeting.participants.select_related("membership__organisation"):
        if participant.attendance == Attendance.PRESENT:
            name = participant.membership.organisation.name
            present[name] = present.get(name, 0) + 1
        elif participant.attendance == Attendance.EXCUSED:
            excused += 1
        elif participant.attendance == Attendance.ABSENT:
            absent += 1
    document = {
        "title": f"Compte rendu de la cellule de suivi du {start:%d/%m/%Y}",
        "date": date_format(start, "l j F Y"),
        "hours": f"{start:%H:%M} – {timezone.localtime(meeting.ends_at):%H:%M}",
        "place": meeting.place or ("Visioconférence" if meeting.video_link else ""),
        "present": sorted(present.items()),
        "excused": excused,
        "absent": absent,
        "items": [],
    }
    knowns = []
    items = meeting.items.select_related("situation").prefetch_related("decisions__task").order_by("position")
    for item in items:
        known = known_identities(item.situation)
        entry = {
            "item": str(item.public_id),
            "pseudonym": item.situation.pseudonym,
            "reasons": [selectors.reason_label(code) for code in item.reasons],
            "examined": item.reviewed_at is not None,
            "summary": _part(f"summary:{item.public_id}", item.summary),
            "decisions": [],
            "next_review_on": _day(item.next_review_on),
        }
        knowns.append((entry["summary"], known))
        for decision in item.decisions.all():
            line = {
                "text": _part(f"decision:{decision.public_id}", decision.text),
                "action": _part(f"action:{decision.public_id}", decision.task.title if decision.task else ""),
                "due_on": _day(decision.task.due_on) if decision.task else "",
            }
            knowns += [(line["text"], known), (line["action"], known)]
            entry["decisions"].append(line)
        document["items"].append(entry)
    results = pseudonymiser.pseudonymise_many((part["text"], known) for part, known in knowns)
    for (part, _known), result in zip(knowns, results, strict=True):
        part["spans"] = [
            {"start": s.start, "end": s.end, "label": s.label, "who": s.who, "state": "proposed"}
            for s in result.spans
        ]
    return document


def parts(document: dict) -> Iterator[dict]:
    for entry in document["items"]:
        yield entry["summary"]
        for line in entry["decisions"]:
            yield line["text"]
            yield line["action"]


def span_id(part: dict, span: dict) -> str:
    return f"{part['key']}:{span['start']}:{span['end']}"


def placeholder(span: dict) -> str:
    """What a replacement becomes: the pseudonymiser's own placeholder ("[victime]", "[téléphone]"…), or
    "[information masquée]" for what the coordinator masked as « autre »."""
    if span["label"] not in PLACEHOLDERS:
        return OTHER_PLACEHOLDER
    return default_placeholder(Span(span["start"], span["end"], span["label"], span.get("who")))


def choose(document: dict, kept: set[str], added: list[tuple[str, str]]) -> dict:
    """The coordinator's choices: the proposed replacements in `kept` are left as written (the others
    replaced); each text of `added` is masked wherever it occurs (any case), as the label says. The whole
    set of choices is given each time: what is not in it is dropped."""
    document["added"] = []
    for part in parts(document):
        part["spans"] = [s for s in part["spans"] if s["state"] != "added"]
        for span in part["spans"]:
            span["state"] = "kept" if span_id(part, span) in kept else "proposed"
    for text, label in added:
        pattern = re.compile(re.escape(text.strip()), re.IGNORECASE)
        for part in parts(document):
            for match in pattern.finditer(part["text"]):
                overlaps = any(
                    s["start"] < match.end() and match.start() < s["end"] and s["state"] != "kept"
                    for s in part["spans"]
                )
                if not overlaps:
                    part["spans"] = [
                        s
                        for s in part["spans"]
                        if not (s["start"] < match.end() and match.start() < s["end"])
                    ]
                    part["spans"].append(
                        {
                            "start": match.start(),
                            "end": match.end(),
                            "label": label,
                            "who": None,
                            "state": "added",
                        }
                    )
        if [text.strip(), label] not in document["added"]:
            document["added"].append([text.strip(), label])
    for part in parts(document):
        part["spans"].sort(key=lambda s: s["start"])
    return document


def segments(part: dict) -> list[tuple[str, dict | None, str]]:
    """The part's text cut at its replacements, for the review page: (text, span or None, span id)."""
    pieces, cursor = [], 0
    for span in part["spans"]:
        if span["start"] > cursor:
            pieces.append((part["text"][cursor : span["start"]], None, ""))
        pieces.append((part["text"][span["start"] : span["end"]], span, span_id(part, span)))
        cursor = span["end"]
    if cursor < len(part["text"]):
        pieces.append((part["text"][cursor:], None, ""))
    return pieces


def pseudonymised(part: dict) -> str:
    """The part as it circulates: each replacement not kept becomes its placeholder."""
    out, cursor = [], 0
    for span in part["spans"]:
        out.append(part["text"][cursor : span["start"]])
        out.append(
            part["text"][span["start"] : span["end"]] if span["state"] == "kept" else placeholder(span)
        )
        cursor = span["end"]
    out.append(part["text"][cursor:])
    return "".join(out)


def counts(document: dict) -> dict[str, int]:
    states = [span["state"] for part in parts(document) for span in part["spans"]]
    return {state: states.count(state) for state in ("proposed", "kept", "added")}


def final_document(document: dict) -> dict:
    """The document with every part replaced by its pseudonymised text (and no choices left)."""
    final = {key: value for key, value in document.items() if key not in ("items", "added")}
    final["items"] = []
    for entry in document["items"]:
        final["items"].append(
            {
                **{key: entry[key] for key in ("item", "pseudonym", "reasons", "examined", "next_review_on")},
                "summary": pseudonymised(entry["summary"]),
                "decisions": [
                    {
                        "text": pseudonymised(line["text"]),
                        "action": pseudonymised(line["action"]),
                        "due_on": line["due_on"],
                    }
                    for line in entry["decisions"]
                ],
            }
        )
    return final


def final_for(actor, meeting: Meeting, minutes) -> dict:
    """The final document with only the items the reader may see on the agenda (the charter gate, their
    exclusions, restricted situations: `policies.agenda_items_visible_to`)."""
    final = json.loads(minutes.final)
    visible = {
        str(pid)
        for pid in policies.agenda_items_visible_to(actor, meeting).values_list("public_id", flat=True)
    }
    return {**final, "items": [entry for entry in final["items"] if entry["item"] in visible]}
