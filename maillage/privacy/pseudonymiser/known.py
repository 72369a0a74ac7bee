"""Layer 1: the situation's known identities, found in every form people write them.

`known` is `{"victim": {...}, "perpetrator": {...}, "children": ["Lina", …]}` with the keys first_name,
last_name, birth_name, phone, email, address, date_of_birth (ISO), any of them missing or empty.
- Names: every name, its hyphenated parts, and without its leading particles ("de La Brosse" → "La Brosse"
  → "Brosse"), in any case, with or without accents, with any spacing or hyphen ("Le Goff" = "LEGOFF" =
  "le-goff"), and initials ("M.-C. L.", "A.C."). A name written in lower case is taken only when it is not
  also an ordinary French word ("rose", "blanc") or when its line has no capital at all (a text message),
  and never as a piece of a place name ("La Roche-sur-Yon").
- The phone: its ten digits however they are grouped, with +33, 0033 or "(0)".
- The e-mail, in any case. The date of birth, in any written form (`dates.py`).
- The address: its street with or without its number, a hamlet's name, a residence (`addresses.py`).
The compiled form is cached: the notes of one situation share their identities.
"""

import datetime
import functools
import json
import re
from dataclasses import dataclass, field

from maillage.privacy.pseudonymiser import addresses, dates
from maillage.privacy.pseudonymiser.lexicon import COMMON_WORDS
from maillage.privacy.pseudonymiser.spans import Span
from maillage.privacy.pseudonymiser.text import PARTICLES, bounded, flexible, fold, in_place_name, words

PEOPLE = ("victim", "perpetrator")
# Any ten-digit French number, with any separators (a known number may be written "06 123 456 78").
LOOSE_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-/]{0,2}\d){8}(?!\d)")
INITIALS = re.compile(r"(?<![\w.])([A-ZÀ-Þ])\.(?:\s?-?\s?([A-ZÀ-Þ])\.)?\s?([A-ZÀ-Þ])\.(?!\w)")
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+(?!\w)")
SEPARATORS = re.compile(r"[\s\-'.]+")


@dataclass
class Known:
    names: re.Pattern | None = None
    owners: dict = field(default_factory=dict)  # folded name without separators → {who}
    initials: dict = field(default_factory=dict)  # (first names' initials, a last name's initial) → {who}
    phones: dict = field(default_factory=dict)  # ten digits → who
    emails: dict = field(default_factory=dict)  # folded e-mail → who
    births: list = field(default_factory=list)  # (date, who)
    addresses: list = field(default_factory=list)  # (regex over the folded text, who)


def people(known: dict | None) -> list[tuple[str, dict]]:
    known = known if isinstance(known, dict) else {}
    found = [(who, known[who]) for who in PEOPLE if isinstance(known.get(who), dict)]
    for index, child in enumerate(known.get("children") or []):
        if isinstance(child, dict):
            found.append((f"child:{index}", child))
        elif isinstance(child, str) and child.strip():
            found.append((f"child:{index}", {"first_name": child}))
    return found


def name_forms(value: str) -> list[tuple[str, ...]]:
    """Folded word lists for one name and its usual shortenings."""
    forms: list[tuple[str, ...]] = []

    def add(tokens):
        tokens = tuple(tokens)
        if any(t not in PARTICLES and len(t) > 1 for t in tokens) and tokens not in forms:
            forms.append(tokens)

    whole = words(value)
    add(whole)
    for part in value.split("-"):
        add(words(part))
    while len(whole) > 1 and whole[0] in PARTICLES:
        whole = whole[1:]
        add(whole)
    return forms


def initials(record: dict) -> set[tuple[str, str]]:
    """{("MC", "L")} for Marie-Claire Le Goff: the first names' initials, and each capitalised word's."""
    first = str(record.get("first_name") or "")
    firsts = "".join(fold(p[0]).upper() for p in re.split(r"[-\s]+", first.strip()) if p)
    lasts = [str(record.get("last_name") or ""), str(record.get("birth_name") or "")]
    letters = {fold(w[0]).upper() for last in lasts for w in re.split(r"[\s\-']+", last) if w[:1].isupper()}
    return {(firsts, letter) for letter in letters} if firsts else set()


def national_digits(value: str) -> str | None:
    digits = re.sub(r"\D", "", value.replace("(0)", ""))
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if len(digits) == 10 and digits.startswith("0") else None


def _birth_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


@functools.lru_cache(maxsize=512)
def _regex(source: str) -> re.Pattern:
    return re.compile(source)


@functools.lru_cache(maxsize=64)
def _compile(known_json: str) -> Known:
    compiled = Known()
    forms = set()
    for who, record in people(json.loads(known_json)):
        for key in ("first_name", "last_name", "birth_name"):
            value = record.get(key)
            if isinstance(value, str) and value.strip():
                for tokens in name_forms(value):
                    forms.add(tokens)
                    compiled.owners.setdefault("".join(tokens), set()).add(who)
        for pair in initials(record):
            compiled.initials.setdefault(pair, set()).add(who)
        if digits := national_digits(str(record.get("phone") or "")):
            compiled.phones[digits] = who
        if email := str(record.get("email") or "").strip():
            compiled.emails[fold(email)] = who
        if dob := _birth_date(record.get("date_of_birth")):
            compiled.births.append((dob, who))
        for source in addresses.known_address_sources(str(record.get("address") or "")):
            compiled.addresses.append((_regex(source), who))
    if forms:
        sources = sorted((flexible(list(tokens)) for tokens in forms), key=len, reverse=True)
        compiled.names = _regex(bounded("(?:" + "|".join(sources) + ")"))
    return compiled


def compile_known(known: dict | None) -> Known:
    return _compile(json.dumps(known or {}, sort_keys=True, ensure_ascii=False, default=str))


def _only(owners) -> str | None:
    """The one person behind a name, or None when several share it (a married couple's surname)."""
    return next(iter(owners)) if owners and len(owners) == 1 else None


def _message(text: str, start: int, end: int) -> str:
    """The line around [start, end), after its speaker's label if it has one ("Sabrina : ambre tu viens")."""
    line_start = text.rfind("\n", 0, start) + 1
    label = text.rfind(" : ", line_start, start)
    line_end = text.find("\n", end)
    return text[label + 3 if label >= 0 else line_start : line_end if line_end >= 0 else len(text)]


def acceptable_name(text: str, start: int, end: int) -> bool:
    found = text[start:end]
    if found[:1].islower() and fold(found) in COMMON_WORDS:
        # "un pull rose" is a colour; "dis a rose que papa l aime", in a message written without capitals,
        # is the child.
        if any(c.isupper() for c in _message(text, start, end)):
            return False
    return not in_place_name(text, start, end)


def find_known(text: str, folded: str, known: Known) -> list[Span]:
    spans = []
    if known.names:
        for match in known.names.finditer(folded):
            start, end = match.span()
            if acceptable_name(text, start, end):
                owners = known.owners.get(SEPARATORS.sub("", match.group()))
                spans.append(Span(start, end, "PERSON", _only(owners), "known"))
    if known.initials:
        for match in INITIALS.finditer(text):
            firsts = fold((match.group(1) or "") + (match.group(2) or "")).upper()
            if owners := known.initials.get((firsts, fold(match.group(3)).upper())):
                spans.append(Span(*match.span(), "PERSON", _only(owners), "known"))
    if known.phones:
        for match in LOOSE_PHONE.finditer(text):
            if (who := known.phones.get(national_digits(match.group()) or "")) is not None:
                spans.append(Span(*match.span(), "PHONE", who, "known"))
    if known.emails:
        for match in EMAIL.finditer(text):
            if (who := known.emails.get(fold(match.group()))) is not None:
                spans.append(Span(*match.span(), "EMAIL", who, "known"))
    if known.births:
        for match in dates.DATE.finditer(text):
            parsed = dates.parse(match)
            for dob, who in known.births:
                if parsed[2] is not None and dates.same_day(parsed, dob):
                    spans.append(Span(*match.span(), "DATE_OF_BIRTH", who, "known"))
    for regex, who in known.addresses:
        for match in regex.finditer(folded):
            spans.append(Span(match.start(), addresses.extend(text, match.end()), "ADDRESS", who, "known"))
    return spans
