"""The demonstration network: territories, organisations, members and referents, loaded through the
services from `demo/fixtures/demo_network.json`; every account gets a random password and an enrolled TOTP."""

import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError

import maillage
from maillage.accounts import mfa
from maillage.accounts.models import User
from maillage.network import services
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership, RoleChange
from maillage.network.role_changes import role_change_approve
from maillage.territories.services import territory_import
from maillage.territories.territory_file import parse_territory_file

PACKAGE_DIR = Path(maillage.__file__).resolve().parent
NETWORK_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_network.json"


def load_network(demo: dict) -> list[dict]:
    """Creates territories, organisations, members and referents; returns the accounts with their secrets."""
    emails = [demo["platform_admin"]["email"], *(person["email"] for person in demo["people"])]
    if User.objects.filter(email__in=emails).exists():
        raise CommandError("Des comptes de démonstration existent déjà : la démonstration n'est pas chargée.")

    # Like `maillage createsuperuser`: platform admin, staff and superuser of the Django admin.
    admin = User.objects.create_superuser(**demo["platform_admin"])
    EmailAddress.objects.create(user=admin, email=admin.email, primary=True, verified=True)
    admin_actor = Actor(user=admin, membership=None)

    territories = {}
    for relative_path in demo["territory_files"]:
        path = PACKAGE_DIR / relative_path
        data = parse_territory_file(path.read_bytes(), filename=path.name)
        territory, _created, _updated = territory_import(actor=admin_actor, data=data)
        territories[territory.name] = territory
    default_territory = demo["default_territory"]

    organisations = {}
    for spec in demo["organisations"]:
        spec = dict(spec)
        names = spec.pop("territories", [default_territory])
        organisations[spec["name"]] = services.organisation_create(
            actor=admin_actor, territories=[territories[name] for name in names], **spec
        )

    users = [admin]
    appointments = []
    for person in demo["people"]:
        identity = {key: person[key] for key in ("email", "first_name", "last_name")}
        for spec in person["memberships"]:
            territory = territories[spec.get("territory", default_territory)]
            details = {
                "organisation": organisations[spec["organisation"]],
                "territory": territory,
                "job_title": spec.get("job_title", ""),
                "work_phone": spec.get("work_phone", ""),
            }
            # No role at all for a future referent (an elected official, a town-hall agent): the role comes
            # with the coordinator's appointment, below.
            membership = services.member_invite(
                actor=admin_actor, roles=spec["roles"], notify=False, **identity, **details
            )
            for referent in spec.get("communes", []):
                commune = territory.communes.get(name=referent["name"])
                appointments.append((membership, commune, referent["kind"]))
        users.append(membership.user)

    coordinators = {}

    def coordinator_of(territory) -> Actor:
        if territory.pk not in coordinators:
            coordinator = Membership.objects.with_role(Role.COORDINATOR).filter(territory=territory).first()
            coordinators[territory.pk] = Actor.from_membership(coordinator.user, coordinator)
        return coordinators[territory.pk]

    # Roles that open situations were asked by the platform administrator: each territory's coordinator
    # approves them, as on the « Droits d'accès » page.
    for change in RoleChange.objects.pending().select_related("territory").order_by("pk"):
        role_change_approve(actor=coordinator_of(change.territory), change=change)
    for membership, commune, kind in appointments:
        services.referent_appoint(
            actor=coordinator_of(membership.territory), membership=membership, commune=commune, kind=kind
        )

    return enrol_all(users)


def load_pending_requests(demo: dict) -> list[dict]:
    """Newcomers invited today by their organisation's admin, whose role still waits for the coordinator: the
    « Droits d'accès » page has something to decide. Returns their accounts."""
    users = []
    for spec in demo.get("pending_requests", []):
        spec = dict(spec)
        inviter = Membership.objects.get(
            user__email=spec.pop("invited_by"), organisation__name=spec.pop("organisation")
        )
        membership = services.member_invite(
            actor=Actor.from_membership(inviter.user, inviter),
            organisation=inviter.organisation,
            territory=inviter.territory,
            notify=False,
            **spec,
        )
        users.append(membership.user)
    return enrol_all(users)


def enrol_all(users: list[User]) -> list[dict]:
    passwords = [secrets.token_urlsafe(12) for _ in users]
    # Hashing is deliberately slow (~0.5 s each): spread it over the processors (hashlib releases the GIL).
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        hashes = list(pool.map(make_password, passwords))
    return [
        enrol(user, password, hashed) for user, password, hashed in zip(users, passwords, hashes, strict=True)
    ]


def enrol(user: User, password: str, hashed: str) -> dict:
    """Gives the account its password (already hashed) and a TOTP device; returns what signing in needs."""
    user.password = hashed
    user.save(update_fields=["password"])
    totp_secret = mfa.totp_enrol(user)
    memberships = [
        {
            "organisation": membership.organisation.name,
            "territory": membership.territory.name,
            "roles": membership.roles,
            "communes": [referent.commune.name for referent in membership.referent_of.all()],
        }
        for membership in Membership.objects.filter(user=user)
        .with_details()
        .prefetch_related("referent_of__commune")
        .order_by("pk")
    ]
    first = memberships[0] if memberships else None
    return {
        "email": user.email,
        "password": password,
        "totp_secret": totp_secret,
        "roles": first["roles"] if first else [Role.PLATFORM_ADMIN.value],
        "organisation": first["organisation"] if first else None,
        "communes": first["communes"] if first else [],
        "memberships": memberships,
    }
