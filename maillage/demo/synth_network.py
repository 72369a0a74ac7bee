"""Where `maillage synth` writes: the territory named (by default the demonstration's), or, when absent, one
created with 8 communes, a dozen organisations, their members and three housing units through the real
services (territory import, organisations, invitations, role approvals, referent appointments, units), like
`maillage.demo.network`. Accounts get no password: nobody signs in with them; they exist so that situations
have reporters, authors, referents and housing managers."""

import json
import time

from django.db import transaction

from maillage.accounts.models import User
from maillage.demo.clock import without_email
from maillage.demo.network import NETWORK_FILE
from maillage.demo.synth import Synth
from maillage.housing.services.units import unit_create
from maillage.network import services
from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind, ReferentKind, Role
from maillage.network.models import Membership, RoleChange
from maillage.network.role_changes import role_change_approve
from maillage.situations.models import Situation
from maillage.territories.enums import TerritoryKind
from maillage.territories.models import Territory
from maillage.territories.services import territory_import
from maillage.territories.territory_file import CommuneData, TerritoryData

ADMIN_EMAIL = "synth-admin@exemple.invalid"
# (organisation prefix, unit): the town's two flats and the refuge, whose address is secret.
UNITS = (
    ("CCAS", {"name": "Logement d'accueil", "address": "3 rue du Test", "adults": 1, "children": 2}),
    ("CCAS", {"name": "Studio de dépannage", "address": "12 place du Banc", "adults": 1, "children": 1}),
    (
        "Refuge",
        {
            "name": "Appartement refuge",
            "address": "Adresse fictive",
            "adults": 2,
            "children": 3,
            "secret": True,
        },
    ),
)
# Name, postal code, population: fictional communes of a rural intercommunality (one town, seven villages).
COMMUNES = (
    ("Bourg-Synthèse", "85500", 16000),
    ("Val-de-l'Essai", "85640", 3000),
    ("Les Mesures", "85590", 2900),
    ("Beauvolume", "85500", 2400),
    ("Saint-Lot", "85250", 1700),
    ("La Charge", "85500", 1450),
    ("Port-Échantillon", "85500", 1350),
    ("Le Banc-d'Essai", "85590", 1000),
)
# (name prefix, kind, members' roles): the reporting partners of DOMAIN.md §6, each with two professionals.
ORGANISATIONS = (
    ("Communauté de communes", OrganisationKind.LOCAL_AUTHORITY, [Role.COORDINATOR]),
    ("Mairie", OrganisationKind.LOCAL_AUTHORITY, []),
    ("Gendarmerie", OrganisationKind.LAW_ENFORCEMENT, [Role.PROFESSIONAL]),
    ("Parquet", OrganisationKind.JUSTICE, [Role.PROFESSIONAL]),
    ("Centre hospitalier", OrganisationKind.HEALTH, [Role.PROFESSIONAL]),
    ("Maison des solidarités", OrganisationKind.SOCIAL, [Role.PROFESSIONAL]),
    ("CCAS", OrganisationKind.SOCIAL, [Role.PROFESSIONAL, Role.HOUSING_MANAGER]),
    ("CIDFF", OrganisationKind.ASSOCIATION, [Role.PROFESSIONAL]),
    ("France Victimes", OrganisationKind.ASSOCIATION, [Role.PROFESSIONAL]),
    ("Refuge", OrganisationKind.ASSOCIATION, [Role.PROFESSIONAL, Role.HOUSING_MANAGER]),
    ("SIAO — 115", OrganisationKind.HOUSING, [Role.PROFESSIONAL]),
    ("Collège", OrganisationKind.EDUCATION, [Role.PROFESSIONAL]),
)


def platform_admin() -> Actor:
    admin = User.objects.filter(is_platform_admin=True, is_active=True).order_by("pk").first()
    if admin is None:
        admin = User.objects.create_superuser(
            email=ADMIN_EMAIL, password=None, first_name="Admin", last_name="Synthèse"
        )
    return Actor(user=admin, membership=None)


def synthetic_territory(name: str) -> Territory:
    """Creates the territory `name` with its communes, organisations, members and referents."""
    admin = platform_admin()
    data = TerritoryData(
        name=name,
        kind=TerritoryKind.CISPD,
        department_code="85",
        communes=tuple(CommuneData(n, postal_code, population) for n, postal_code, population in COMMUNES),
    )
    territory, _created, _updated = territory_import(actor=admin, data=data)
    slug = f"t{territory.pk}"
    invited = []
    for number, (prefix, kind, roles) in enumerate(ORGANISATIONS):
        organisation = services.organisation_create(
            actor=admin, name=f"{prefix} — {name}", kind=kind, territories=[territory]
        )
        people = 1 if Role.COORDINATOR in roles else 2 if roles else len(COMMUNES)
        for person in range(people):
            invited.append(
                services.member_invite(
                    actor=admin,
                    organisation=organisation,
                    territory=territory,
                    email=f"synth-{slug}-{number}-{person}@exemple.invalid",
                    first_name=f"Membre {number}.{person}",
                    last_name="Synthèse",
                    roles=roles,
                    notify=False,
                )
            )
    coordinator_membership = Membership.objects.with_role(Role.COORDINATOR).get(territory=territory)
    coordinator = Actor.from_membership(coordinator_membership.user, coordinator_membership)
    for change in RoleChange.objects.pending().filter(territory=territory).order_by("pk"):
        role_change_approve(actor=coordinator, change=change)
    # The town halls' members are the communes' referents, one each.
    town_hall = [m for m in invited if m.organisation.name.startswith("Mairie")]
    for membership, commune in zip(town_hall, territory.communes.order_by("pk"), strict=True):
        services.referent_appoint(
            actor=coordinator, membership=membership, commune=commune, kind=ReferentKind.ELECTED
        )
    town = territory.communes.get(name=COMMUNES[0][0])
    for prefix, spec in UNITS:
        manager = (
            Membership.objects.with_role(Role.HOUSING_MANAGER)
            .filter(territory=territory, organisation__name=f"{prefix} — {name}")
            .order_by("pk")
            .first()
        )
        unit_create(
            actor=Actor.from_membership(manager.user, manager),
            commune=None if spec.get("secret") else town,
            **spec,
        )
    return territory


def default_territory_name() -> str:
    return json.loads(NETWORK_FILE.read_text(encoding="utf-8"))["default_territory"]


def territory_for(name: str) -> tuple[Territory, bool]:
    """The territory called `name`, created with a synthetic network when absent; and whether it was."""
    territory = Territory.objects.filter(name=name).first()
    if territory is not None:
        return territory, False
    with without_email(), transaction.atomic():
        return synthetic_territory(name), True


def territory_topped_up(name: str | None, count: int, say) -> tuple[Territory, int]:
    """The territory called `name` (the demo's by default), created when absent, holding at least `count`
    situations: synthetic ones are added when it has fewer (the benchmarks). Says what it adds through
    `say`; returns the territory and its number of situations."""
    territory, _created = territory_for(name or default_territory_name())
    present = Situation.objects.filter(territory=territory).count()
    if present < count:
        say(f"Ajout de {count - present} situations synthétiques…")
        started = time.perf_counter()
        Synth(territory, seed=present + 1, years=3).run(count - present)
        say(f"  fait en {time.perf_counter() - started:.0f} s.")
        present = Situation.objects.filter(territory=territory).count()
    return territory, present
