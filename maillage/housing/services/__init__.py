"""Writes on housing. Each part lives in its own module; this package re-exports them:
`from maillage.housing import services; services.unit_create(...)`."""

from maillage.housing.services.units import unit_address_reveal, unit_create, unit_update

__all__ = ["unit_address_reveal", "unit_create", "unit_update"]
