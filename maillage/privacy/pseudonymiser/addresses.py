"""Postal addresses: a street with its number, a hamlet (lieu-dit), a residence with building and flat, and
the postal code and commune that follow them.

A street is taken when a number precedes it ("12 rue des Lilas", "3 bis, impasse du Moulin") or when a
residence verb announces it ("habite rue Nationale"); a street merely mentioned ("vu rue Nationale, près de
l'école") is a place, not an address. A hamlet, a residence or a housing estate is always taken: in a rural
territory its name points to a handful of houses. A commune alone is not taken (ADR 0031): the territory's
communes are not identifying by themselves; it is when it follows a street, as part of the address line.
"""

import re

from spacy.lang.fr.stop_words import STOP_WORDS

from maillage.privacy.pseudonymiser.text import flexible, fold, words

STREET_TYPES = {
    "rue": r"rue|r\.", "avenue": r"avenue|av\.?|ave\.?", "boulevard": r"boulevard|bd|bld|blvd\.?",
    "chemin": r"chemin|ch\.|chem\.?", "impasse": r"impasse|imp\.?", "allée": r"allée|allee|all\.",
    "place": r"place|pl\.", "route": r"route|rte", "quai": r"quai", "cours": r"cours",
    "square": r"square|sq\.",
    "passage": r"passage", "cité": r"cité|cite", "voie": r"voie", "sentier": r"sentier",
    "faubourg": r"faubourg|fbg", "rond-point": r"rond-point", "parvis": r"parvis", "esplanade": r"esplanade",
    "promenade": r"promenade", "venelle": r"venelle", "ruelle": r"ruelle", "montée": r"montée|montee",
    "clos": r"clos", "domaine": r"domaine", "villa": r"villa",
}  # fmt: skip
# Named places of a few houses: always an address.
PLACE_TYPES = {
    "lieu-dit": r"lieu-dit|lieudit|lieu dit|l\.-d\.", "hameau": r"hameau",
    "résidence": r"résidence|residence|rés\.",
    "lotissement": r"lotissement|lot\.",
}  # fmt: skip
ALL_TYPES = "|".join(list(STREET_TYPES.values()) + list(PLACE_TYPES.values()))
PLACE_ONLY = "|".join(PLACE_TYPES.values())

NUMBER = r"(?P<num>\d{1,4}(?:\s?(?:bis|ter|quater|[A-Da-d])(?!\w))?)\s*,?\s+"
STREET_START = re.compile(rf"(?<![\w'])(?:{NUMBER})?(?P<type>{ALL_TYPES})(?=[\s«])", re.IGNORECASE)
CONNECTOR = re.compile(
    r"(?:de\s+la\s|de\s+l['’]|d['’]|de\s|du\s|des\s|la\s|le\s|les\s|l['’]|aux\s|sur\s|en\s)\s*", re.I
)
# A capitalised word, or a day number before a word ("rue du 8 Mai").
CAPITAL_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*|\d{1,2}(?=[ \t]+[A-Za-zÀ-ÿ])")
LOWER_WORD = re.compile(r"[a-zà-öø-ÿ][\w'’]*(?:-[\w'’]+)*")
RESIDENCE_CUE = re.compile(
    r"(?:demeur\w*|domicili\w*|habit\w*|résid\w*|vit|vivent|log[ée]\w*|hébergée?s?|adresse|sise?|situé\w*)"
    r"\s*(?:au|à|a|:|dans\s+la|dans\s+le|en)?\s*$",
    re.IGNORECASE,
)
SPACES = re.compile(r"\s*")
BLANKS = re.compile(r"[ \t\u00a0]+")
LOWER_TAIL = re.compile(r"(?P<words>(?:[ \t]+[a-zà-öø-ÿ][\w'’-]*){1,2})(?=[ \t]*[,.;?!])")
QUOTE_OPEN = re.compile(r"\s*«\s*")
QUOTE_CLOSE = re.compile(r"\s*»")
FLAT = re.compile(
    r"\s*,?\s*(?:bât(?:iment)?\.?|bat\.?|appt\.?|appartement|apt\.?|app\.?|esc(?:alier)?\.?|porte|logement)"
    r"\s*(?:n°\s*)?[\w]{1,4}(?!\w)",
    re.IGNORECASE,
)
POSTAL = re.compile(r"(?:\s*,\s*|\s+|\s*[–-]\s*)\d{5}(?!\d)")
COMMUNE_WORD = re.compile(r"[ \t]+(?:[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*|cedex)", re.IGNORECASE)


def _reads_as_name(word: re.Match) -> bool:
    """A lower-case word after another still belongs to the street's name when it reads as a name (the NER
    model's word vectors): "12 rue georges clemenceau", but not "12 rue des lilas jte préviens"."""
    from maillage.privacy.pseudonymiser.ner import nameness

    score = nameness(word.group().capitalize())
    return score is not None and score >= 0.3


def _street_name_end(text: str, position: int, allow_lower: bool) -> int | None:
    """Where the street's name ends, from just after its type; None when no name follows. Lower-case words
    ("12 rue des lilas") are taken after a number only, and only the first one or one after a connector."""
    quoted = QUOTE_OPEN.match(text, position)
    position = quoted.end() if quoted else SPACES.match(text, position).end()
    end = None
    while True:
        connector = CONNECTOR.match(text, position)
        after = connector.end() if connector else position
        word = CAPITAL_WORD.match(text, after)
        if not word and allow_lower:
            word = LOWER_WORD.match(text, after)
            if word and not (
                connector or (end is None and fold(word.group()) not in STOP_WORDS) or _reads_as_name(word)
            ):
                word = None
        if not word:
            break
        end = word.end()
        space = BLANKS.match(text, end)
        if not space:
            break
        position = space.end()
    if end is not None and allow_lower and (tail := LOWER_TAIL.match(text, end)):
        end = tail.end("words")  # "23 chemin du bois joli, Vendrennes": the name runs up to the comma
    if end is not None and quoted and (closing := QUOTE_CLOSE.match(text, end)):
        end = closing.end()
    return end


def extend(text: str, end: int) -> int:
    """Past a building and flat, then a postal code and its commune, when they follow."""
    while flat := FLAT.match(text, end):
        end = flat.end()
    postal = POSTAL.match(text, end)
    if postal and "\n" not in postal.group():
        end = postal.end()
        while word := COMMUNE_WORD.match(text, end):
            end = word.end()
    return end


def _without_capitals(text: str, match: re.Match) -> bool:
    """A line written without a capital (a text message): there, a hamlet's name may be in lower case."""
    line_start = text.rfind("\n", 0, match.start()) + 1
    label = text.rfind(": ", line_start, match.start())  # a transcript: "Tiago: ta mère elle habite…"
    line_start = label + 2 if label >= 0 else line_start
    line_end = text.find("\n", match.end())
    return not any(c.isupper() for c in text[line_start : line_end if line_end >= 0 else len(text)])


def find_addresses(text: str) -> list[tuple[int, int]]:
    found = []
    for match in STREET_START.finditer(text):
        kind = match.group("type").lower()
        is_place = re.fullmatch(PLACE_ONLY, kind, re.IGNORECASE) is not None
        numbered = match.group("num") is not None
        if not (
            numbered or is_place or RESIDENCE_CUE.search(text[max(0, match.start() - 40) : match.start()])
        ):
            continue
        end = _street_name_end(
            text, match.end(), allow_lower=numbered or (is_place and _without_capitals(text, match))
        )
        if end is None:
            continue
        found.append((match.start(), extend(text, end)))
    return found


# A street type as written in a known address ("av", "rue", "lieu-dit") → every way of writing it.
TYPE_SOURCES = {
    fold(alternative.replace("\\", "").rstrip("?")): fold(source)
    for source in [*STREET_TYPES.values(), *PLACE_TYPES.values()]
    for alternative in source.split("|")
}


def known_address_sources(address: str) -> list[str]:
    """Regex sources over the folded text for the parts of a known address: "12 rue des Lilas" (number
    optional, street type abbreviated or not), a hamlet's name, a residence."""
    sources = []
    for part in (p.strip() for p in re.split(r"[,\n]", address) if p.strip()):
        folded = fold(part)
        if re.fullmatch(r"\d{5}.*|(?:bât|bat|appt|appartement|apt|app|esc|escalier|porte)\b.*", folded):
            continue
        match = re.match(rf"(?:(\d{{1,4}})\s*(bis|ter|quater|[a-d])?\s*)?({fold(ALL_TYPES)})\s+(.+)", folded)
        if match:
            number, suffix, kind, name = match.groups()
            tokens = words(name)
            if not tokens:
                continue
            numbered = ""
            if number:
                numbered = rf"(?:{number}\s*(?:{suffix or ''})\s*,?\s*)?"
            place = re.fullmatch(fold(PLACE_ONLY), kind) is not None
            kind_source = TYPE_SOURCES.get(kind, re.escape(kind))
            optional = "?" if place and kind not in ("résidence", "residence") else ""
            sources.append(
                rf"(?<![\w]){numbered}(?:(?:{kind_source})\s*«?\s*){optional}{flexible(tokens)}(?!\w)"
            )
        else:
            tokens = words(part)
            if tokens and not any(t.isdigit() for t in tokens):
                sources.append(rf"(?<![\w])(?:(?:{fold(PLACE_ONLY)})\s*«?\s*)?{flexible(tokens)}(?!\w)")
    return sources
