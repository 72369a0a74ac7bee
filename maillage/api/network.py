"""API: the partner network of the caller's territory (communes, organisations, directory)."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from maillage.api.auth import member_auth
from maillage.api.pagination import LimitOffset
from maillage.api.schemas import CommuneOut, DirectoryOut, ErrorOut, OrganisationOut
from maillage.network import selectors
from maillage.network.emergency import EMERGENCY_NUMBERS
from maillage.network.enums import OrganisationKind
from maillage.territories.models import Commune

router = Router(tags=["Réseau"])

DENIED = {401: ErrorOut, 403: ErrorOut}


@router.get(
    "/communes",
    auth=member_auth(),
    response={200: list[CommuneOut], **DENIED},
    url_name="communes",
    summary="Communes du territoire",
)
@paginate(LimitOffset)
def communes(request: HttpRequest):
    """Les communes du territoire de l'adhésion active, par ordre alphabétique."""
    return Commune.objects.filter(territory=request.actor.territory).order_by("name", "pk")


@router.get(
    "/organisations",
    auth=member_auth(),
    response={200: list[OrganisationOut], **DENIED},
    url_name="organisations",
    summary="Organisations partenaires du territoire",
)
@paginate(LimitOffset)
def organisations(request: HttpRequest, kind: Query[OrganisationKind | None] = None):
    """Les organisations actives du territoire de l'adhésion active, avec leurs coordonnées publiques.

    `kind` ne garde que les organisations d'un type.
    """
    queryset = selectors.directory_organisations(request.actor.territory)
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("kind", "name", "pk")


@router.get(
    "/directory",
    auth=member_auth(),
    response={200: DirectoryOut, **DENIED},
    url_name="directory",
    summary="Annuaire du réseau",
)
def directory(request: HttpRequest):
    """L'annuaire du territoire : numéros d'urgence, partenaires et référents de chaque commune."""
    territory = request.actor.territory
    return {
        "emergency_numbers": EMERGENCY_NUMBERS,
        "organisations": selectors.directory_organisations(territory),
        "communes": selectors.directory_communes(territory),
    }
