"""Layer 2: identifiers with a shape, each checked before it is taken.

- French phone numbers: ten digits from 0, or +33 / 0033 (with or without "(0)"), grouped by two with one
  consistent separator (space, dot, dash, slash) or none. Short numbers (17, 115, 3919, 116 006) and procedure
  numbers are not phones.
- E-mail addresses.
- NIR (numéro de sécurité sociale): 13 digits + a key that must equal 97 − (number mod 97), Corsica's 2A/2B
  counted as 19/18; 13 digits without a key only after a cue ("sécurité sociale", "NIR", "carte Vitale").
- IBAN: country, check digits, BBAN; the ISO 13616 mod-97 check must hold (a French IBAN has 27 characters).
- Licence plates: SIV "AB-123-CD" (letters without I, O, U; "SS" and "WW" not issued first), and the old FNI
  "1234 AB 85" only after a vehicle cue — it looks too much like other references otherwise.
- Dates of birth (`dates.py`), postal addresses (`addresses.py`).
"""

import re

from maillage.privacy.pseudonymiser import addresses, dates
from maillage.privacy.pseudonymiser.spans import Span

PHONE = re.compile(
    r"(?<![\w+/.\-])(?:"
    r"(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9](?P<a>[\s.\-]?)\d{2}(?:(?P=a)\d{2}){3}"
    r"|0[1-9](?P<b>[\s.\-/]?)\d{2}(?:(?P=b)\d{2}){3}"
    r")(?![\w/]|[.\-]\d)"
)
EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}(?!\w)", re.IGNORECASE)
NIR = re.compile(
    r"(?<![\w])(?P<sex>[1-478])[\s.]?(?P<year>\d{2})[\s.]?(?P<month>0[1-9]|1[0-2]|[2-9]\d)[\s.]?"
    r"(?P<dept>\d{2}|2[ABab])[\s.]?(?P<commune>\d{3})[\s.]?(?P<order>\d{3})"
    r"(?:[\s.]?(?:-\s?)?(?P<key>\d{2}))?(?![\w])"
)
NIR_CUE = re.compile(
    r"(?:s[ée]curit[ée]\s+sociale|\bNIR\b|\bn°\s*SS\b|\bINSEE\b|carte\s+vitale|\bs[ée]cu\b|\bSSN\b)",
    re.IGNORECASE,
)
IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{4}){2,7}(?:[ \u00a0]?[A-Z0-9]{1,3})?(?![\w])")
IBAN_LENGTHS = {"FR": 27, "MC": 27, "BE": 16, "DE": 22, "ES": 24, "IT": 27, "PT": 25, "LU": 20, "CH": 21,
                "GB": 22, "NL": 18}  # fmt: skip
PLATE_LETTER = "[A-HJ-NP-TV-Z]"
PLATE_SIV = re.compile(
    rf"(?<![\w\-])(?!SS|WW){PLATE_LETTER}{{2}}(?P<s>[\s\-]?)\d{{3}}(?P=s){PLATE_LETTER}{{2}}(?![\w\-])"
)
PLATE_FNI = re.compile(
    r"(?<![\w\-])\d{1,4}[\s\-]?[A-HJ-NP-Z]{1,3}[\s\-]?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])(?![\w\-])"
)
VEHICLE_CUE = re.compile(
    r"(?:immatricul|plaque|véhicule|vehicule|voiture|auto|camion|moto|scooter|fourgon|utilitaire|volant|"
    r"immat\b|garée?|stationn|roul|circul|reparti|parti\s+en|renault|peugeot|citro[eë]n|dacia|volkswagen|opel|"
    r"ford|toyota|fiat|nissan|kia|hyundai|seat|skoda|bmw|mercedes|audi)",
    re.IGNORECASE,
)
# Ten digits in one block after these are a file's number, not a phone ("N° unique 0851346225").
REFERENCE_CUE = re.compile(r"(?:n°|réf|dossier|allocataire|unique|identifiant|matricule)", re.I)
PHONE_CUE = re.compile(r"(?:t[ée]l|phone|portable|mobile|joign|appel|fixe|sms|whatsapp|contact|rappel)", re.I)


def _reference_number(text: str, match: re.Match) -> bool:
    before = text[max(0, match.start() - 30) : match.start()]
    compact = match.group().isdigit()
    return compact and bool(REFERENCE_CUE.search(before)) and not PHONE_CUE.search(before)


def nir_key_ok(match: re.Match) -> bool:
    body = "".join(match.group(name) for name in ("sex", "year", "month", "dept", "commune", "order"))
    number = int(body.upper().replace("2A", "19").replace("2B", "18"))
    return int(match.group("key")) == 97 - number % 97


def iban_ok(candidate: str) -> str | None:
    """The valid IBAN at the start of `candidate` (spaces removed), or None."""
    compact = re.sub(r"\s", "", candidate)
    length = IBAN_LENGTHS.get(compact[:2])
    lengths = [length] if length else range(len(compact), 14, -1)
    for size in lengths:
        iban = compact[:size]
        if len(iban) != size:
            continue
        rearranged = iban[4:] + iban[:4]
        if int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1:
            return iban
    return None


def _end_of_compact(candidate: str, start: int, compact_length: int) -> int:
    """Offset where `compact_length` non-space characters of `candidate` end."""
    seen = 0
    for index, char in enumerate(candidate):
        if not char.isspace():
            seen += 1
            if seen == compact_length:
                return start + index + 1
    return start + len(candidate)


def find_patterns(text: str) -> list[Span]:
    spans = [Span(*m.span(), "PHONE") for m in PHONE.finditer(text) if not _reference_number(text, m)]
    spans += [Span(*m.span(), "EMAIL") for m in EMAIL.finditer(text)]
    for m in NIR.finditer(text):
        if m.group("key") and nir_key_ok(m):
            spans.append(Span(*m.span(), "NIR"))
        elif not m.group("key") and NIR_CUE.search(text[max(0, m.start() - 60) : m.start()]):
            spans.append(Span(*m.span(), "NIR"))
    for m in IBAN.finditer(text):
        if iban := iban_ok(m.group()):
            spans.append(Span(m.start(), _end_of_compact(m.group(), m.start(), len(iban)), "IBAN"))
    spans += [Span(*m.span(), "PLATE") for m in PLATE_SIV.finditer(text)]
    spans += [
        Span(*m.span(), "PLATE")
        for m in PLATE_FNI.finditer(text)
        if VEHICLE_CUE.search(text[max(0, m.start() - 80) : m.start()])
    ]
    spans += [Span(start, end, "ADDRESS") for start, end in addresses.find_addresses(text)]
    spans += [Span(start, end, "DATE_OF_BIRTH") for start, end in dates.year_of_birth(text)]
    return spans


def find_birth_dates(text: str, persons: list[Span]) -> list[Span]:
    """Dates announced as dates of birth, or written in brackets right after a person's name."""
    ends = {span.end for span in persons if span.label == "PERSON"}
    found = []
    for m in dates.DATE.finditer(text):
        start, end = m.span()
        before = text[max(0, start - 60) : start]
        paren = dates.PAREN_BEFORE.search(before)
        after_person = paren and any(0 <= (start - len(before) + paren.start()) - e <= 2 for e in ends)
        in_brackets_after_birth = paren and dates.BIRTH_IN_SENTENCE.search(before)
        if (
            dates.has_birth_cue(text, start)
            or after_person
            or in_brackets_after_birth
            or dates.AGE_AFTER.match(text, end)
        ):
            found.append(Span(start, end, "DATE_OF_BIRTH"))
    return found
