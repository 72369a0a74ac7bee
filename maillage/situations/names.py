"""Finding a person by name without a plaintext index (ADR 0021).

Each first, usage and birth name is cut into words ("Canarelli-Vasseur" → "canarelli", "vasseur"; "Le Goff"
→ "le", "goff"), each word kept encrypted with its keyed blind index (`PersonNameToken`). A search finds the
persons who have every word of the query among the words of their names, in any order and whatever the
part: "Zéphyrine Canarelli-Vasseur", "Canarelli Zéphyrine" and "Canarelli" all find Zéphyrine
Canarelli-Vasseur; "Canar" finds nothing (whole words only). Only the situations the searcher may see are
ever looked at or shown (the caller passes `situations_listed(actor)`).
"""

from django.db.models import Exists, OuterRef

from maillage.privacy.crypto import normalise
from maillage.privacy.fields import blind_match
from maillage.situations.models import Person, PersonNameToken

NAME_PARTS = ("first_name", "last_name", "birth_name")
PART_LABELS = {"first_name": "prénom", "last_name": "nom d'usage", "birth_name": "nom de naissance"}
# One letter is an initial ("M.", "Z."): too common to narrow a search, and not stored.
MIN_WORD_LENGTH = 2
MAX_QUERY_WORDS = 6


def name_words(value: str) -> list[str]:
    """The distinct words of a name as compared (case, accents and punctuation folded), initials left out."""
    return sorted({word for word in normalise(value or "").split() if len(word) >= MIN_WORD_LENGTH})


def person_name_tokens(person: Person) -> list[PersonNameToken]:
    """The word rows of a person's names, unsaved."""
    return [
        PersonNameToken(person=person, situation_id=person.situation_id, part=part, token=word)
        for part in NAME_PARTS
        for word in name_words(getattr(person, part))
    ]


def _tokens_bearing(words: list[str], **lookups):
    """The first word's rows (narrowed by `lookups`) whose person bears every other word too: each further
    word probed for the same situation and person, from the index (word, situation, person) alone."""
    first, *others = words
    tokens = PersonNameToken.objects.filter(blind_match("token_index", first), **lookups)
    for word in others:
        tokens = tokens.filter(
            Exists(
                PersonNameToken.objects.filter(
                    blind_match("token_index", word),
                    situation=OuterRef("situation"),
                    person=OuterRef("person"),
                )
            )
        )
    return tokens


def _bearing(words: list[str], situation, person=None):
    """An EXISTS: the situation `situation` (an outer reference) has a person — `person` if given — bearing
    every one of `words` (ADR 0046)."""
    lookups = {"situation": situation} if person is None else {"situation": situation, "person": person}
    return Exists(_tokens_bearing(words, **lookups))


def persons_named(words: list[str]):
    """Persons having every one of `words` among the words of their names."""
    return Person.objects.filter(_bearing(words, OuterRef("situation_id"), OuterRef("pk")))


# A name borne in at most this many situations (all territories) is looked up by their ids.
SELECTIVE_NAME = 5000
# A name search is counted up to this many situations (« plus de 100 ») : it looks for a person, and a
# longer list asks for a more precise name rather than a count; counting further walked ten times the rows
# for a common name at 1 M situations.
NAME_COUNT_CAP = 100


def with_name(situations, name: str):
    """The situations among `situations` where a person bears every word of `name`, in two steps (ADR 0046).
    First, up to SELECTIVE_NAME + 1 situations bearing the name, read from the words' index alone (every
    territory: a prefilter; what the searcher may see is decided by `situations`). A name found no more
    often is then looked up by those ids — the exact count the planner needs, which it misjudges when two
    common words make a rare name. A commoner one stays an EXISTS the planner probes for each situation
    it walks, stopping at the count's cap."""
    words = name_words(name)
    if not words:
        return situations.none()
    ids = list(_situations_bearing(words)[: SELECTIVE_NAME + 1])
    if len(ids) <= SELECTIVE_NAME:
        return situations.filter(pk__in=ids)
    return situations.filter(_bearing(words, OuterRef("pk")))


def _situations_bearing(words: list[str]):
    """The ids of the situations where a person bears every one of `words`, in id order."""
    return _tokens_bearing(words).order_by("situation_id").values_list("situation_id", flat=True).distinct()


def name_matches(situations, name: str) -> dict[int, list[str]]:
    """For each of `situations` (already found by `with_name`): who matched and through which names, e.g.
    {12: ["Victime : prénom, nom d'usage"]} — what the searcher needs to tell a namesake from the person."""
    words = name_words(name)
    ids = [s.pk for s in situations]
    if not words or not ids:
        return {}
    persons = persons_named(words).filter(situation_id__in=ids).order_by("situation_id", "role", "pk")
    parts: dict[int, set[str]] = {}
    for person_id, part in (
        PersonNameToken.objects.filter(person__in=persons)
        .filter(_any_word(words))
        .values_list("person_id", "part")
        .distinct()
    ):
        parts.setdefault(person_id, set()).add(part)
    matches: dict[int, list[str]] = {}
    for person in persons:
        found = ", ".join(PART_LABELS[p] for p in NAME_PARTS if p in parts.get(person.pk, ()))
        matches.setdefault(person.situation_id, []).append(f"{person.get_role_display()} : {found}")
    return matches


def _any_word(words: list[str]):
    query = blind_match("token_index", words[0])
    for word in words[1:]:
        query |= blind_match("token_index", word)
    return query
