"""French pseudonymisation of case notes (ADR 0031): known identities, checked patterns, spaCy's French NER.

from maillage.privacy.pseudonymiser import find_spans, pseudonymise
pseudonymise(text, known={"victim": {"first_name": "Aurélie", …}, "children": ["Lina"]}).text
"""

from maillage.privacy.pseudonymiser.engine import find_spans, pseudonymise, pseudonymise_many
from maillage.privacy.pseudonymiser.spans import PLACEHOLDERS, Result, Span, default_placeholder

__all__ = [
    "PLACEHOLDERS",
    "Result",
    "Span",
    "default_placeholder",
    "find_spans",
    "pseudonymise",
    "pseudonymise_many",
]
