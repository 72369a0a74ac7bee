"""Dates, and which of them are dates of birth.

A date is not an identifier: the date of an incident, a hearing or a meeting must stay readable. A date of
birth is. A date is taken as one when a French cue announces it ("née le", "né(e) le", "date de naissance",
"DDN", "DN", "°", "accouchement le", "(date)" right after a person's name, "(37 ans)" right after it, a date
in brackets in a sentence about a birth), or when it is, in any written form, the known date of birth of
someone in the situation.
"""

import datetime
import re

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "février": 2, "fevr": 2, "févr": 2, "fev": 2, "fév": 2,
    "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "août": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12,
    "décembre": 12, "dec": 12, "déc": 12,
}  # fmt: skip
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+"

NUMERIC = r"(?P<d1>0?[1-9]|[12]\d|3[01])(?P<sep>[/.\-])(?P<m1>0?[1-9]|1[0-2])(?P=sep)(?P<y1>\d{4}|\d{2})"
ISO = r"(?P<y2>(?:19|20)\d{2})-(?P<m2>0[1-9]|1[0-2])-(?P<d2>0[1-9]|[12]\d|3[01])"
TEXTUAL = (
    rf"(?:{WEEKDAY})?(?P<d3>1er|0?[1-9]|[12]\d|3[01])\s+(?P<m3>{MONTH_NAMES})\.?"
    r"(?:\s+(?P<y3>(?:19|20)\d{2}|\d{2}(?![\d:h])))?"
)
YEAR_ONLY = r"(?P<y4>(?:19|20)\d{2})"
DATE = re.compile(rf"(?<![\w/.\-])(?:{NUMERIC}|{ISO}|{TEXTUAL})(?![\w/]|[.\-]\d)", re.IGNORECASE)

# The cue just before a date of birth (a name may sit between "née" and "le": "née Dubois le").
BIRTH_CUE = re.compile(
    r"(?:\bn(?:ée?s?|ee)(?:\s?\(e\))?(?:\s+[^\s.,;:()\d]+){0,3}?\s+(?:le|en)|\bn(?:ée?s?|ee)(?:\s?\(e\))?\s*(?:le)?\s*:"
    r"|naissance\s*(?:le\s*)?:?|\bD\.?D\.?N\.?\s*:?|\bD\.?N\.?\s*:?|°\s*|\baccouch\w*\s+(?:le|du)"
    r"|\bborn(?:\s+on)?)\s*:?\s*(?:le\s+)?$",
    re.IGNORECASE,
)
AGE_AFTER = re.compile(r"\s*\(\s*\d{1,3}\s*ans\b", re.IGNORECASE)
PAREN_BEFORE = re.compile(r"\(\s*°?\s*$")
# "la date de naissance de sa fille (…) et la sienne (…)": a date in brackets in a sentence about births.
BIRTH_IN_SENTENCE = re.compile(r"(?:naissance|\bn(?:ée?s?|ee)\b)[^.!?\n]*\(\s*°?\s*$", re.IGNORECASE)


def parse(match: re.Match) -> tuple[int | None, int, int | None] | None:
    """(day, month, year) of a DATE match, the year None when not written; a two-digit year is read as the
    latest year it can be, not after this one ("87" → 1987, "18" → 2018)."""
    g = match.groupdict()
    if g["d1"]:
        day, month, year = int(g["d1"]), int(g["m1"]), g["y1"]
    elif g["y2"]:
        day, month, year = int(g["d2"]), int(g["m2"]), g["y2"]
    else:
        day = 1 if g["d3"].lower() == "1er" else int(g["d3"])
        month = MONTHS[g["m3"].lower()]
        year = g["y3"]
    if year is None:
        return day, month, None
    full = int(year)
    if len(year) == 2:
        full += 2000 if full <= datetime.datetime.now(datetime.UTC).year % 100 else 1900
    return day, month, full


def has_birth_cue(text: str, start: int) -> bool:
    return bool(BIRTH_CUE.search(text[max(0, start - 60) : start]))


def year_of_birth(text: str) -> list[tuple[int, int]]:
    """ "née en 1987": a year alone, announced as a birth year."""
    return [
        m.span("y")
        for m in re.finditer(
            r"\bn(?:ée?s?|ee)(?:\s?\(e\))?\s+en\s+(?P<y>(?:19|20)\d{2})\b", text, re.IGNORECASE
        )
    ]


def same_day(parsed, dob: datetime.date) -> bool:
    day, month, year = parsed
    return day == dob.day and month == dob.month and (year is None or year == dob.year)
