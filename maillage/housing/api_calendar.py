"""API: the availability search (ADR 0030), for the roles of the « Trouver un hébergement » page.

One query; the answer carries no address and, for a secret unit, no commune."""

import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from maillage.api.auth import member_auth
from maillage.api.schemas import Day, ErrorOut
from maillage.errors import DomainError
from maillage.housing.availability import SEARCHING_ROLES, commune_shown, units_available

router = Router(tags=["Hébergement d'urgence"])
LONGEST_STAY_NIGHTS = 365


class AvailabilityQuery(Schema):
    adults: int = Field(1, ge=1, le=20, description="Adultes du foyer.")
    children: int = Field(0, ge=0, le=20, description="Enfants du foyer.")
    under_three: int = Field(
        0,
        ge=0,
        le=20,
        description="Dont enfants de moins de 3 ans : un lit bébé leur suffit (au plus `children`).",
    )
    starts_on: Day = Field(description="Soir de l'arrivée (AAAA-MM-JJ).")
    nights: int = Field(ge=1, le=LONGEST_STAY_NIGHTS, description="Nombre de nuits.")
    accessible: bool = Field(False, description="Exiger l'accessibilité en fauteuil roulant.")
    pets: bool = Field(False, description="Exiger que les animaux soient acceptés.")


class AvailableUnitOut(Schema):
    public_id: UUID
    name: str
    commune: str = Field(description="Vide pour un logement à l'adresse secrète.")
    organisation: str
    adults: int
    children: int
    cots: int
    accessible: bool
    pets_allowed: bool


@router.get(
    "/housing/availability",
    auth=member_auth(*SEARCHING_ROLES),
    response={200: list[AvailableUnitOut], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    url_name="housing_availability",
    summary="Logements libres pour un foyer",
)
def availability(request: HttpRequest, query: Query[AvailabilityQuery]):
    """Les logements d'urgence du territoire libres toutes les nuits demandées et assez grands pour le
    foyer, les plus petits d'abord. Jamais d'adresse ; aucune commune pour un logement à l'adresse
    secrète."""
    if query.under_three > query.children:
        raise DomainError("under_three : pas plus que le nombre d'enfants (children).")
    ends_on = query.starts_on + datetime.timedelta(days=query.nights)
    units = units_available(
        request.actor.territory,
        query.adults,
        query.children,
        query.starts_on,
        ends_on,
        under_three=query.under_three,
        accessible=query.accessible or None,
        pets=query.pets or None,
    )
    return [
        {
            "public_id": unit.public_id,
            "name": unit.name,
            "commune": commune_shown(unit),
            "organisation": unit.organisation.name,
            "adults": unit.adults,
            "children": unit.children,
            "cots": unit.cots,
            "accessible": unit.accessible,
            "pets_allowed": unit.pets_allowed,
        }
        for unit in units
    ]
