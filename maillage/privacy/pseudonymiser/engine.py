"""The three layers put together: known identities, checked patterns, the French NER model (ADR 0031).

Every layer proposes spans; overlapping ones become one span covering them all, labelled by the longest (the
most trusted source on a tie: known, then pattern, then ner); then the pieces of one mention are joined
("Claire" + "CORDIER", a street + its postal code and commune). Dates of birth come last: a date in brackets
after a name is one, so the names must be known first.
"""

import re
from collections.abc import Callable, Iterable, Iterator

from maillage.privacy.pseudonymiser import known as known_layer
from maillage.privacy.pseudonymiser import ner, patterns, persons
from maillage.privacy.pseudonymiser.spans import Result, Span, apply, join_adjacent, resolve
from maillage.privacy.pseudonymiser.text import fold

Replace = Callable[[Span, str], str]


def _find(text: str, known: dict | None, doc) -> list[Span]:
    folded = fold(text)
    candidates = known_layer.find_known(text, folded, known_layer.compile_known(known))
    candidates += patterns.find_patterns(text)
    found_names = persons.find_cued_persons(text) + ner.find_ner(text, doc)
    found_names += persons.continue_lists(text, found_names + candidates)
    candidates += found_names
    # A "name" inside an address or an e-mail ("rue Jean Jaurès") is not searched for elsewhere.
    taken = [s for s in candidates if s.label in ("ADDRESS", "EMAIL")]
    names = [n for n in found_names if not any(n.start < t.end and t.start < n.end for t in taken)]
    candidates += persons.propagate(text, folded, names)
    candidates += patterns.find_birth_dates(text, candidates)
    return join_adjacent(text, drop_communes(text, resolve(candidates)))


COMMUNE_AFTER_ADDRESS = re.compile(r"[ \t]*(?:,|à|–|-)[ \t]*")


def drop_communes(text: str, spans: list[Span]) -> list[Span]:
    """ "12 rue des Lilas, Beaurepaire": the word after an address is its commune, not a person the model
    imagined (a commune alone is not an identifier, ADR 0031)."""
    kept = []
    for span in spans:
        previous = kept[-1] if kept else None
        if (
            previous
            and previous.label == "ADDRESS"
            and span.label == "PERSON"
            and span.source != "known"
            and COMMUNE_AFTER_ADDRESS.fullmatch(text[previous.end : span.start])
        ):
            continue
        kept.append(span)
    return kept


def find_spans(text: str, known: dict | None = None) -> list[Span]:
    """The identifiers of `text`, sorted and without overlap, in the text's offsets."""
    return _find(text, known, None)


def pseudonymise(text: str, known: dict | None = None, replace: Replace | None = None) -> Result:
    """`text` with each identifier replaced by `replace(span, original)` or the default placeholder
    ("[victime]", "[auteur]", "[enfant 1]", "[téléphone]"…); the spans are in the original text's offsets."""
    spans = _find(text, known, None)
    return Result(text=apply(text, spans, replace), spans=spans)


def pseudonymise_many(
    items: Iterable[tuple[str, dict | None]], replace: Replace | None = None, batch_size: int = 32
) -> Iterator[Result]:
    """The same as `pseudonymise` for many texts, the NER model reading them in batches (faster)."""
    items = list(items)
    for (text, known), doc in zip(items, ner.docs((t for t, _ in items), batch_size), strict=True):
        spans = _find(text, known, doc)
        yield Result(text=apply(text, spans, replace), spans=spans)
