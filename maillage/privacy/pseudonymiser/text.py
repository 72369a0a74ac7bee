"""Text folding that keeps offsets: one character in, one character out.

`fold("Émilie LE GOFF’s")` is "emilie le goff's": lower case, accents off, typographic apostrophes and dashes
made plain. Because every character maps to exactly one, a match in the folded text has the same offsets in
the original — no offset table to carry around.
"""

import functools
import re
import unicodedata

PUNCTUATION = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "\u2010": "-", "\u2011": "-",
               "\u2012": "-", "\u2013": "-", "\u00a0": " ", "\u202f": " "}  # fmt: skip
# Small words inside French and Breton names and street names: never a name by themselves.
PARTICLES = set(
    """de du des d la le les l van von den der da dos das do di del della el al ben ait aït bin y et saint
    sainte st ste""".split()
)


@functools.lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    if char in PUNCTUATION:
        return PUNCTUATION[char]
    if char.isascii():
        return char.lower()
    base = unicodedata.normalize("NFD", char)[0].lower()
    return base if len(base) == 1 else char


def fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return "".join(map(fold_char, text))


WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """The folded words of a name: "Le Goff-Marchand" → ["le", "goff", "marchand"]."""
    return WORD.findall(fold(text))


def flexible(tokens: list[str]) -> str:
    """A regex source for these folded words with any (or no) space, hyphen or apostrophe between them."""
    return r"[\s\-'.]{0,3}".join(re.escape(t) for t in tokens)


def bounded(source: str) -> str:
    return rf"(?<![^\W_]){source}(?![^\W_])"


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


HYPHENATED = re.compile(r"[^\W_]+(?:['’]?-[^\W_]+|['’][^\W_]+)*")
PLACE_PIECE = re.compile(
    r"-(?:sur|sous|en|la|le|les|de|du|des|d|l|aux|lès)-|^(?:saint|sainte|st|ste)-", re.IGNORECASE
)


def in_place_name(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a piece of a hyphenated place name ("Paul" in "Saint-Paul-en-Pareds", "Roche" in
    "La Roche-sur-Yon")?"""
    left = start
    while left > 0 and (text[left - 1].isalnum() or text[left - 1] in "-'’"):
        left -= 1
    right = end
    while right < len(text) and (text[right].isalnum() or text[right] in "-'’"):
        right += 1
    word = text[left:right]
    if word == text[start:end]:
        return False  # the whole word: a name may be hyphenated ("de Saint-Aubin")
    return bool(PLACE_PIECE.search(word))


PLACE_FORM = re.compile(r"\w-(?:sur|sous|en|la|le|les|de|du|des|d|l|aux|lès)-\w", re.IGNORECASE)


def looks_like_place(name: str) -> bool:
    """ "La Roche-sur-Yon", "Mesnard-la-Barotière", "Saint-Paul-en-Pareds": the shape of a place's name."""
    return bool(PLACE_FORM.search(name))
