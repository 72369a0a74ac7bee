"""The synthetic, annotated French case notes of the pseudonymiser's corpus (ADR 0031).

`people.py` makes fictional identities and writes their identifiers in the many forms people write them;
`render.py` fills the hand-written templates of `templates/` and records where each identifier went;
`scripts/make_pseudo_corpus.py` writes `maillage/privacy/pseudonymiser/corpus/notes.jsonl`.
"""
