"""API: the caller's own account."""

from django.http import HttpRequest
from ninja import Router

from maillage.api.auth import signed_in_auth
from maillage.api.schemas import ErrorOut, MeOut
from maillage.territories.models import Commune

router = Router(tags=["Mon compte"])


def _membership_data(membership, communes_by_id) -> dict:
    return {
        "public_id": membership.public_id,
        "organisation": membership.organisation,
        "territory": membership.territory,
        "roles": membership.roles,
        "communes": sorted(
            (communes_by_id[r.commune_id] for r in membership.referent_of.all()), key=lambda c: c.name
        ),
    }


@router.get(
    "/me",
    auth=signed_in_auth(),
    response={200: MeOut, 401: ErrorOut},
    url_name="me",
    summary="Mon compte et mes adhésions",
)
def me(request: HttpRequest):
    """La personne qui appelle, l'adhésion au nom de laquelle elle agit et toutes ses adhésions actives."""
    actor = request.actor
    memberships = actor.memberships
    commune_ids = {r.commune_id for m in memberships for r in m.referent_of.all()}
    communes_by_id = Commune.objects.in_bulk(commune_ids) if commune_ids else {}
    return {
        "user": actor.user,
        "active_membership": _membership_data(actor.membership, communes_by_id) if actor.membership else None,
        "memberships": [_membership_data(m, communes_by_id) for m in memberships],
    }
