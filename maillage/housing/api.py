"""API: emergency housing units under the same policy as the pages (policies.py, ADR 0028).

A missing unit and one the caller may not see answer the same 404; so does `?address=true` for anyone but
the unit's housing managers and the territory's coordinator. The address is in the answer only when asked
for and allowed, and each such answer is recorded in the audit trail like the page's « Afficher l'adresse ».
Writes go through the services, which check permissions again; a change read at an older version is 409."""

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from maillage.api.auth import member_auth
from maillage.api.schemas import CommuneRef, ErrorOut, OrganisationRef, Version
from maillage.errors import DomainError
from maillage.housing import policies, services
from maillage.housing.enums import UnitStatus
from maillage.housing.models import HousingUnit
from maillage.housing.policies import UNIT_ROLES
from maillage.network.enums import Role
from maillage.territories.models import Commune

router = Router(tags=["Hébergement d'urgence"])

DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, **DENIED, 404: ErrorOut, 409: ErrorOut}
# The attribute a revealed address is put on for one answer (the model's own `address` is never read).
REVEALED = "revealed_address"


class UnitOut(Schema):
    public_id: UUID
    name: str
    organisation: OrganisationRef
    secret: bool = Field(description="Adresse secrète (refuge) : aucune commune, jamais.")
    commune: CommuneRef | None = Field(description="Vide pour un logement à adresse secrète.")
    adults: int
    children: int
    cots: int
    accessible: bool
    pets_allowed: bool
    rules: str
    status: UnitStatus
    status_label: str
    version: int = Field(description="À renvoyer pour modifier le logement (modifications concurrentes).")

    @staticmethod
    def resolve_status_label(unit) -> str:
        return unit.get_status_display()


class UnitDetailOut(UnitOut):
    address: str | None = Field(
        None,
        description=(
            "Seulement avec `?address=true`, pour les personnes qui gèrent le logement et la coordination ; "
            "chaque lecture est inscrite au journal d'audit."
        ),
    )

    @staticmethod
    def resolve_address(unit) -> str | None:
        return getattr(unit, REVEALED, None)


class UnitQuery(Schema):
    address: bool = Field(False, description="Afficher l'adresse (action inscrite au journal d'audit).")


class UnitIn(Schema):
    name: str = Field(max_length=80, description="Nom affiché ; pour un refuge, aucun nom de lieu.")
    secret: bool = False
    commune: UUID | None = Field(None, description="Une commune du territoire ; vide pour un refuge.")
    adults: int = Field(1, ge=1, le=50)
    children: int = Field(0, ge=0, le=50)
    cots: int = Field(0, ge=0, le=50)
    accessible: bool = False
    pets_allowed: bool = False
    rules: str = Field("", max_length=300)
    status: UnitStatus = UnitStatus.AVAILABLE


class UnitCreateIn(UnitIn):
    address: str = Field(max_length=300, description="Chiffrée ; jamais renvoyée sans `?address=true`.")


class UnitUpdateIn(UnitIn):
    address: str | None = Field(None, max_length=300, description="Vide : l'adresse actuelle est gardée.")
    version: Version = Field(
        description="La version lue ; une version dépassée répond 409 sans rien changer."
    )


def _values(actor, payload: UnitIn) -> dict:
    values = payload.dict(exclude={"address", "version"})
    if values["commune"] is not None:
        commune = Commune.objects.filter(
            territory_id=actor.membership.territory_id, public_id=values["commune"]
        ).first()
        if commune is None:
            raise DomainError("Choisissez une commune de votre territoire.")
        values["commune"] = commune
    return values


def _answer(actor, unit: HousingUnit) -> HousingUnit:
    return policies.access_unit(actor, unit.public_id)


@router.get(
    "/housing/units",
    auth=member_auth(*UNIT_ROLES),
    response={200: list[UnitOut], **DENIED},
    url_name="housing_units",
    summary="Logements d'urgence",
)
def unit_list(request: HttpRequest):
    """Les logements que l'adhésion voit : ceux de son organisation pour qui gère l'hébergement, tous ceux
    du territoire pour la coordination et les personnes qui demandent un hébergement. Jamais d'adresse."""
    return policies.units_visible_to(request.actor).select_related("organisation", "commune")


@router.get(
    "/housing/units/{uuid:public_id}",
    auth=member_auth(*UNIT_ROLES),
    response={200: UnitDetailOut, **DENIED, 404: ErrorOut},
    url_name="housing_unit",
    summary="Un logement d'urgence",
)
def unit_detail(request: HttpRequest, public_id: UUID, query: Query[UnitQuery]):
    """Un logement visible ; inexistant ou non visible : 404, sans distinction. Avec `?address=true`, son
    adresse, pour les personnes qui gèrent le logement et la coordination du territoire seulement (404 pour
    toute autre), et la lecture est inscrite au journal d'audit."""
    actor = request.actor
    unit = policies.access_unit(actor, public_id)
    if query.address:
        if not policies.can_see_address(actor, unit):
            raise Http404
        setattr(unit, REVEALED, services.unit_address_reveal(actor=actor, unit=unit, via="api"))
    return unit


@router.post(
    "/housing/units",
    auth=member_auth(Role.HOUSING_MANAGER),
    response={201: UnitOut, **REFUSED},
    url_name="housing_unit_create",
    summary="Ajouter un logement d'urgence",
)
def unit_create(request: HttpRequest, payload: UnitCreateIn):
    """Un logement de l'organisation de l'adhésion, dans son territoire. L'adresse est chiffrée et n'est
    pas renvoyée."""
    actor = request.actor
    unit = services.unit_create(actor=actor, address=payload.address, **_values(actor, payload))
    return Status(201, _answer(actor, unit))


@router.put(
    "/housing/units/{uuid:public_id}",
    auth=member_auth(Role.HOUSING_MANAGER),
    response={200: UnitOut, **REFUSED},
    url_name="housing_unit_update",
    summary="Modifier un logement d'urgence",
)
def unit_update(request: HttpRequest, public_id: UUID, payload: UnitUpdateIn):
    """Remplace la fiche d'un logement de son organisation, lue à `version` (409 si quelqu'un l'a modifiée
    depuis). Une adresse vide garde l'adresse actuelle."""
    actor = request.actor
    unit = policies.access_unit(actor, public_id)
    if not policies.can_manage(actor, unit):
        raise Http404
    unit = services.unit_update(
        actor=actor, unit=unit, version=payload.version, address=payload.address, **_values(actor, payload)
    )
    return _answer(actor, unit)
