"""Writes on housing, one module per part: `stays` (requests and the stay lifecycle). Callers import the
module they need, e.g. `from maillage.housing.services import stays`."""
