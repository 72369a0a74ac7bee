"""French pseudonymisation of case notes (ADR 0031): known identities, checked patterns, spaCy's French NER.

from maillage.privacy.pseudonymiser import find_spans, pseudonymise
pseudonymise(text, known={"victim": {"first_name": "Aurélie", …}, "children": ["Lina"]}).text

The engine (and spaCy, ~3 s to import) is loaded on first use of `find_spans`, `pseudonymise` or
`pseudonymise_many`, not when a page's module imports this package: every process and every management
command would otherwise pay it at start-up."""

from maillage.privacy.pseudonymiser.spans import PLACEHOLDERS, Result, Span, default_placeholder

ENGINE = ("find_spans", "pseudonymise", "pseudonymise_many")

__all__ = ["PLACEHOLDERS", "Result", "Span", "default_placeholder", *ENGINE]


def __getattr__(name: str):
    if name in ENGINE:
        from maillage.privacy.pseudonymiser import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
