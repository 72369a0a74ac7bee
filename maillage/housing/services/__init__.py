"""Writes on housing, one module per part: `units` (re-exported here: `services.unit_create(...)`) and `stays`
(requests and the stay lifecycle: `from maillage.housing.services import stays`)."""

from maillage.housing.services.units import unit_address_reveal, unit_create, unit_update

__all__ = ["unit_address_reveal", "unit_create", "unit_update"]
