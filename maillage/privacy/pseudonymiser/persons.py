"""Person names found from the words around them, and names found once, then everywhere in the note.

- After a title or a rank: "Mme Poulain", "Dr LEFÈVRE", "Maître Bénard", "l'adjudant Morel", "MDL DUFOUR",
  "Mme A. C." — the title itself stays.
- After a greeting or a relation: "Bonjour Morgane", "sa sœur Nadia", "ma voisine nadia" (in lower case only
  when the word reads as a name, `ner.nameness`).
- Around a role, as forms and signatures write them: "Juriste : Delphine Dupuis", "Rédigé par Maud Roux",
  "Claire Bodin, assistante sociale", a line holding only a name above the signatory's role.
- Speakers of a transcript: "Nathalie : oui il est parti" when the same label opens several lines.
- Propagation: a name found once by any layer (a cue, the NER model) is a name wherever it is written in the
  same note ("Dr Lefèvre" … "Lefèvre a constaté").
"""

import re
from collections import Counter

from spacy.lang.fr.stop_words import STOP_WORDS

from maillage.privacy.pseudonymiser.lexicon import COMMON_WORDS, NOT_NAMES, PERSON_BEFORE, ROLES
from maillage.privacy.pseudonymiser.ner import nameness
from maillage.privacy.pseudonymiser.spans import Span
from maillage.privacy.pseudonymiser.text import PARTICLES, fold, in_place_name

TITLE = re.compile(
    r"(?<![\w.])(?:M\.|Mr\.?|MM\.|Mme\.?|Mmes|Mlle\.?|Madame|Mademoiselle|Monsieur|Dr\.?|Docteure?|Pr\.?|"
    r"Professeure?|Maître|Me\.?|Mᵉ)(?=[\s\u00a0])"
)
RANK_SOURCE = (
    r"(?:(?:adjudant|brigadier|maréchal des logis|maréchal-des-logis)(?:-chef)?|major|capitaine|lieutenant|"
    r"commandant|colonel|gendarme|sergent|(?-i:ADJ|ADC|MDL|MDC|GND|CNE|LTN|LCL|CDT|MDL/C|MDLC|BRI))"
)
RANK = re.compile(rf"(?<![\w]){RANK_SOURCE}(?=[\s\u00a0])", re.IGNORECASE)
# Words after which a name comes: greetings, naming ("née Dubois", "s'appelle", "enregistré « … »").
NAMING = re.compile(
    r"(?<![\w])(?:bonjour|bonsoir|coucou|salut|cher|chère|merci|c['’]est|s['’]appelle|se\s+nomme|"
    r"se\s+pr[ée]sente\s+comme|pr[ée]nomm[ée]e?s?|surnomm[ée]e?|dite|alias|n(?:ée?|ee)|[ée]pouse|[ée]p\.|veuve|"
    r"enregistr[ée]e?(?:\s+sous(?:\s+le\s+nom(?:\s+de)?)?)?)(?=[\s\u00a0«])",
    re.IGNORECASE,
)
# After a name: an age ("Lucie, 45 ans", "Noah (7 ans)", "Éden a 10 ans"), or a birth ("X, née le …").
AGE_OR_BIRTH_AFTER = re.compile(
    r"(?:,?[ \t\u00a0]*\(?[ \t]*\d{1,3}[ \t]*ans\b|[ \t]+a[ \t]+\d{1,3}[ \t]+ans\b"
    r"|,?[ \t]+n(?:é|ée|e|ee)s?(?:[ \t]?\(e\))?[ \t]+(?:le|en|à|a)\b)",
    re.IGNORECASE,
)
# Surnames in capitals inside an ordinary sentence ("Notifions à LE GOFF la fin de la mesure").
CAPITALS_NAME = re.compile(
    r"(?<![\w'’-])(?:(?:LE|LA|DE|DU|DES|D['’]|VAN|DA|DOS|EL|BEN|AIT|AÏT)[ \t\u00a0]*)*"
    r"[A-ZÀ-ÖØ-Þ]{3,}(?:-[A-ZÀ-ÖØ-Þ]{2,})*(?![\w'’-])"
)
WORD_THEN_SPACE = re.compile(r"(?<![\w-])(?P<word>[\w-]+)(?:\s*[,(«:])?[\s\u00a0]*")
WORD = re.compile(r"(?<![\w-])[^\W\d_][\w-]*")  # after an elision too: "l'assistante"
COLON_AFTER_ROLE = re.compile(
    r"(?:[^:\n]{0,40}?(?:\s*(?::|\bpar\b))+|(?:[ \t\u00a0]+[a-zà-öø-ÿ'’-]+){0,3}[ \t\u00a0]*,)[ \t\u00a0]*"
)
ROLE_AFTER = re.compile(
    r"(?:,|[ \t\u00a0]+[—–-])[ \t\u00a0]*"
    r"(?:(?:son|sa|ses|leur|mon|ma|notre|votre|une|un|le|la)[ \t\u00a0]+|l['’])?(?P<role>[\w-]+)"
)
LIST_NEXT = re.compile(
    r"(?:[ \t\u00a0]*\([^)\n]{0,20}\))?(?:[ \t\u00a0]*,[ \t\u00a0]*|[ \t\u00a0]+et[ \t\u00a0]+)"
)
SPEAKER = re.compile(
    r"^[ \t]*(?:\[[^\]\n]*\][ \t]*)?(?P<name>[^\W\d_][\w'’-]*)[ \t]*(?:\([^)\n]*\))?[ \t]*:", re.M
)
NAME_LINE = re.compile(r"^[ \t]*(?P<name>[^\W\d_][\w'’-]*(?:[ \t]+[^\W\d_][\w'’-]*){1,4})[ \t]*$", re.M)
SIGNATURE = re.compile(
    r"^[ \t]*(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?)[ \t]*$", re.M
)
LINE_PARTICLE = re.compile(r"(?:de|du|des|le|la|van|von|da|dos|el|ben|d['’]\w+)$", re.IGNORECASE)
# Initials first ("J.S.", "M.-C. L."), else a capitalised word.
NAME_WORD = re.compile(r"(?:[A-ZÀ-ÖØ-Þ]\.[ \t\u00a0]?-?){1,3}(?![\w])|[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*")
LIST_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:-[^\W\d_]+)*(?![\w])")
BRACKET_OPEN = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*")
BRACKET_CLOSE = re.compile(r"[ \t\u00a0]*\)")
LOWER_WORD = re.compile(r"[a-zà-öø-ÿ][\w'’]*(?:-[\w'’]+)*")
PARTICLE_RUN = re.compile(
    r"(?:(?:de|du|des|le|la|les|van|von|der|den|da|dos|do|di|del|el|al|ben|ait|aït)[ \t\u00a0]+|d['’])+", re.I
)
BLANK = re.compile(r"[ \t\u00a0]+")
LINE_START_BEFORE = re.compile(r"(?:^|\n)[ \t\u00a0]*$")
BIRTHPLACE_BEFORE = re.compile(r"(?<![\w])(?:à|a|en|au)[ \t\u00a0]+$", re.IGNORECASE)
POSTAL_BEFORE = re.compile(r"\d{5}[ \t\u00a0]*$")
OPENING = re.compile(r"[ \t\u00a0]*(?:[«\"][ \t\u00a0]*)?")
LETTERS = re.compile(r"[^\W\d_]+")
WORD_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’]*(?:-[\w'’]+)*$")
GAP_BEFORE = re.compile(r"[ \t\u00a0]+(?:(?:de|du|des|le|la|van|da|el|ben)[ \t\u00a0]+)?$", re.IGNORECASE)


def is_name_word(word: str) -> bool:
    folded = fold(word).rstrip(".")
    return bool(folded) and folded not in NOT_NAMES and folded not in STOP_WORDS


def name_after(text: str, position: int, limit=4) -> tuple[int, int] | None:
    """The name starting at `position` (after spaces, titles and ranks), up to `limit` words, or None."""
    space = OPENING.match(text, position)
    position = space.end() if space else position
    while (cue := TITLE.match(text, position) or RANK.match(text, position)) and (
        space := BLANK.match(text, cue.end())
    ):
        position = space.end()
    start, end, count = position, None, 0
    while count < limit:
        particles = PARTICLE_RUN.match(text, position)
        word = NAME_WORD.match(text, particles.end() if particles else position)
        if not word or not is_name_word(word.group()):
            break
        end, count = word.end(), count + 1
        gap = BLANK.match(text, end)
        if not gap:
            break
        position = gap.end()
    return (start, end) if end else None


def name_before(text: str, end: int, limit=4, threshold=0.25) -> tuple[int, int] | None:
    """The name ending at `end` on the same line (capitalised words, one reading as a name), or None."""
    window = max(0, end - 80)
    start, count, position = None, 0, end
    while count < limit:
        word = WORD_BEFORE.search(text[window:position])
        if not word or not is_name_word(word.group()):
            break
        start, count = window + word.start(), count + 1
        gap = GAP_BEFORE.search(text[window:start])
        if not gap or not gap.group():
            break
        position = window + gap.start()
    if start is None or not any(is_namelike(w, threshold) for w in LETTERS.findall(text, start, end)):
        return None
    return start, end


def is_namelike(word: str, threshold=0.25) -> bool:
    score = nameness(word)
    return score is None or score >= threshold


def capitals(text: str) -> list[tuple[int, int]]:
    """Words in capitals that read as a surname, in a line that is not itself all capitals (a heading)."""
    found = []
    for m in CAPITALS_NAME.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        previous = LETTERS.findall(before)
        after = NAME_WORD.match(text, m.end() + 1) if text[m.end() : m.end() + 1] == " " else None
        # Inside a sentence (after a word not in capitals), or just before a first name ("LA ROCCA Maëlle");
        # never a commune after its postal code.
        in_sentence = previous and not previous[-1].isupper()
        before_first_name = after and not after.group().isupper() and is_name_word(after.group())
        if not (in_sentence or before_first_name) or POSTAL_BEFORE.search(before):
            continue
        core = LETTERS.findall(m.group())[-1]
        score = nameness(core.capitalize())
        if is_name_word(core) and fold(core) not in PARTICLES and score is not None and score >= 0.2:
            found.append(m.span())
    return found


def _lower_name(text: str, position: int) -> tuple[int, int] | None:
    """ "ma voisine nadia": a lower-case word that reads as a first name."""
    word = LOWER_WORD.match(text, position)
    folded = fold(word.group()) if word else ""
    if word and "'" not in folded and folded not in STOP_WORDS | NOT_NAMES | PERSON_BEFORE | ROLES:
        score = nameness(word.group().capitalize())
        if score is not None and score >= 0.25:
            return word.span()
    return None


def find_cued_persons(text: str) -> list[Span]:
    found = []
    for cue in (TITLE, RANK, NAMING):
        found += [name_after(text, m.end()) for m in cue.finditer(text)]
    for m in AGE_OR_BIRTH_AFTER.finditer(text):
        name = name_before(text, m.start(), limit=3, threshold=0.1)
        if name and not BIRTHPLACE_BEFORE.search(text, 0, name[0]):  # "née le … à Cholet, 28 ans"
            found.append(name)
    found += capitals(text)
    for m in WORD_THEN_SPACE.finditer(text):
        if fold(m.group("word")) in PERSON_BEFORE:
            found.append(name_after(text, m.end(), limit=3) or _lower_name(text, m.end()))
    for m in WORD.finditer(text):
        if fold(m.group()) in ROLES | PERSON_BEFORE and (colon := COLON_AFTER_ROLE.match(text, m.end())):
            found.append(name_after(text, colon.end()))
    for m in ROLE_AFTER.finditer(text):
        if fold(m.group("role")) in ROLES | PERSON_BEFORE:
            # At the start of a line ("BOISSEAU Mégane, sage-femme de PMI") the words need not read as names.
            name = name_before(text, m.start(), threshold=-1.0)
            if not name or BIRTHPLACE_BEFORE.search(text, 0, name[0]):  # "né … à Pouzauges, agent de …"
                continue
            if LINE_START_BEFORE.search(text, 0, name[0]) or name_before(text, m.start(), threshold=0.1):
                found.append(name)
    for m in NAME_LINE.finditer(text):
        names = [w for w in m.group("name").split() if not LINE_PARTICLE.fullmatch(w)]
        if all(w[:1].isupper() and is_name_word(w) for w in names) and any(
            is_namelike(w, 0.3) for w in names
        ):
            found.append(m.span("name"))
    for m in SIGNATURE.finditer(text):
        word = m.group("name")
        score = nameness(word)
        if is_name_word(word) and (score is None or score >= 0.3):
            found.append(m.span("name"))
    labels = Counter(fold(m.group("name")) for m in SPEAKER.finditer(text))
    for m in SPEAKER.finditer(text):
        word = m.group("name")
        if (
            is_name_word(word)
            and word[:1].isupper()
            and (labels[fold(word)] > 1 or (nameness(word) or 0) >= 0.45)
        ):
            found.append(m.span("name"))
    return [Span(*span, "PERSON", source="pattern") for span in found if span]


def continue_lists(text: str, spans: list[Span]) -> list[Span]:
    """ "Noah (7 ans) et Ayden", "(Rose, Aya)": a name after a name in a list is a name."""
    found = []
    for span in spans:
        if span.label != "PERSON":
            continue
        end = span.end
        while (link := LIST_NEXT.match(text, end)) and (word := LIST_WORD.match(text, link.end())):
            if not is_name_word(word.group()) or not is_namelike(word.group(), 0.1):
                break
            found.append(Span(*word.span(), "PERSON", source="pattern"))
            end = word.end()
        if (bracket := BRACKET_OPEN.match(text, end)) and (name := name_after(text, bracket.end(), limit=3)):
            if BRACKET_CLOSE.match(text, name[1]):
                found.append(Span(*name, "PERSON", source="pattern"))
    return found


def name_words(text: str, spans: list[Span]) -> set[str]:
    """The folded words of the names found so far, to look for again in the note."""
    found = set()
    for span in spans:
        if span.label != "PERSON":
            continue
        for word in LETTERS.findall(text, span.start, span.end):
            folded = fold(word)
            if folded not in PARTICLES and is_name_word(word) and len(folded) > 2:
                found.add(folded)
    return found


def propagate(text: str, folded: str, spans: list[Span]) -> list[Span]:
    words = name_words(text, spans)
    if not words:
        return []
    found = []
    for match in LETTERS.finditer(folded):
        word = match.group()
        if word not in words:
            continue
        start, end = match.span()
        if text[start].islower() and (word in COMMON_WORDS or word in STOP_WORDS):
            continue
        if in_place_name(text, start, end):
            continue
        found.append(Span(start, end, "PERSON", source="pattern"))
    return found
