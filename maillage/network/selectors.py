"""Reads of the partner network, each a fixed number of queries whatever the number of rows."""

from django.db.models import Prefetch, Q

from maillage.network.models import CommuneReferent, Membership, Organisation, RoleChange
from maillage.territories.models import Commune, Territory


def directory_organisations(territory: Territory, *, text: str = "", kind: str = ""):
    organisations = Organisation.objects.filter(territories=territory, is_active=True)
    if text:
        organisations = organisations.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("kind", "name")


def directory_communes(territory: Territory, *, text: str = ""):
    """Communes of the territory with their active referents (2 queries)."""
    referents = (
        CommuneReferent.objects.filter(membership__is_active=True, membership__user__is_active=True)
        .select_related("membership__user", "membership__organisation")
        .order_by("kind", "membership__user__last_name")
    )
    communes = Commune.objects.filter(territory=territory)
    if text:
        communes = communes.filter(Q(name__icontains=text) | Q(postal_code__startswith=text))
    return communes.prefetch_related(Prefetch("referents", queryset=referents, to_attr="active_referents"))


def organisation_members(organisation: Organisation, territory: Territory):
    return (
        Membership.objects.filter(organisation=organisation, territory=territory)
        .select_related("user")
        .prefetch_related(
            "role_set",
            "referent_of__commune",
            Prefetch("role_changes", queryset=RoleChange.objects.pending(), to_attr="pending_changes"),
        )
        .order_by("-is_active", "user__last_name", "user__first_name")
    )


def territory_members(territory: Territory):
    return (
        Membership.objects.active()
        .filter(territory=territory)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )


def role_changes_of(territory: Territory):
    """Changes of rights in a territory, newest first, with what the page shows (one query)."""
    return (
        RoleChange.objects.filter(territory=territory)
        .select_related("membership__user", "membership__organisation", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
