"""Loads the demonstration network (Pays des Herbiers) and writes its accounts to var/demo-accounts.json.

The data lives in fixtures (territory files, network/fixtures/demo_network.json); this command only feeds
them to the services, gives every account a random password and an enrolled TOTP, and says how to sign in.
Then three years of situations are replayed through the situation services (demo_situations.py); the
alerts they raise stay in the application: the demonstration sends no e-mail.
"""

import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

import maillage
from maillage.accounts.actor import Actor
from maillage.accounts.models import User
from maillage.accounts.services import user_get_or_create
from maillage.network import services
from maillage.network.enums import Role
from maillage.network.management.demo_situations import (
    DEFAULT_COUNT,
    SPECIAL_COUNT,
    demo_clock,
    history_start,
    load_situations,
)
from maillage.network.models import Membership, RoleChange
from maillage.network.role_changes import role_change_approve
from maillage.territories.models import Territory
from maillage.territories.services import territory_import
from maillage.territories.territory_file import parse_territory_file

PACKAGE_DIR = Path(maillage.__file__).resolve().parent
DEMO_FILE = PACKAGE_DIR / "network" / "fixtures" / "demo_network.json"
ACCOUNTS_FILE_NAME = "demo-accounts.json"
# Alerts raised while the history is replayed are shown in the application, never e-mailed.
NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (Pays des Herbiers) si la base n'a aucun territoire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--situations",
            type=int,
            default=DEFAULT_COUNT,
            help=(
                f"Nombre de situations fictives sur trois ans (défaut : {DEFAULT_COUNT}, dont la situation "
                f"restreinte et la situation témoin ; 0 : aucune, sinon au moins {SPECIAL_COUNT + 1})."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("La démonstration ne se charge qu'en mode démonstration (MAILLAGE_DEMO=1).")
        count = options["situations"]
        if count < 0 or 0 < count <= SPECIAL_COUNT:
            raise CommandError(f"--situations : 0, ou au moins {SPECIAL_COUNT + 1}.")
        accounts_path = Path(settings.VAR_DIR) / ACCOUNTS_FILE_NAME
        if Territory.objects.exists():
            self.stdout.write(f"Démonstration déjà chargée (comptes : {accounts_path}).")
            return
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with override_settings(EMAIL_BACKEND=NO_EMAIL), transaction.atomic():
            # The network exists from the start of the history, so the audit trail reads in time order.
            with demo_clock(history_start()):
                accounts = load_network(demo)
            summary = None
            if count:
                territory = Territory.objects.get(name=demo["default_territory"])
                summary = load_situations(territory, count)
            accounts += load_pending_requests(demo)
            # Inside the transaction: if the file cannot be written, nothing is loaded.
            write_private_json(accounts_path, accounts)
        self.print_accounts(accounts, accounts_path)
        if summary:
            self.print_situations(summary)

    def print_accounts(self, accounts: list[dict], path: Path) -> None:
        rows = [("Courriel", "Rôles", "Organisation")]
        for account in accounts:
            rows.append((account["email"], ", ".join(account["roles"]), account["organisation"] or "—"))
            for other in account["memberships"][1:]:
                rows.append(
                    ("", ", ".join(other["roles"]), f"{other['organisation']} ({other['territory']})")
                )
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write(self.style.SUCCESS(f"Démonstration chargée : {len(accounts)} comptes."))
        for email, roles, organisation in rows:
            self.stdout.write(f"  {email:<{widths[0]}}  {roles:<{widths[1]}}  {organisation}")
        login_url = settings.MAILLAGE_BASE_URL + reverse("account_login")
        self.stdout.write(
            f"\nMots de passe et secrets TOTP : {path} (lisible par vous seul).\n"
            f"Connexion : {login_url} avec le courriel et le mot de passe, puis le code à usage unique :\n"
            "  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"\n"
            "(SECRET = totp_secret du compte), ou ajoutez ce secret à une application d'authentification "
            "(Aegis, FreeOTP, Google Authenticator…)."
        )

    def print_situations(self, summary: dict) -> None:
        self.stdout.write(
            f"\nSituations fictives : {summary['situations']} sur trois ans, "
            f"dont {summary['open']} en cours.\n"
            f"  Situation restreinte : {summary['restricted']} (visible seulement de la coordination et de "
            f"{' et '.join(summary['restricted_named'])}).\n"
            f"  Situation témoin : {summary['canary']} (victime « {summary['canary_name']} ») : "
            "son identité ne doit apparaître nulle part pour qui n'y a pas droit."
        )


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
            if spec["roles"]:
                membership = services.member_invite(
                    actor=admin_actor, roles=spec["roles"], notify=False, **identity, **details
                )
            else:
                # Only a referent (an elected official, a town-hall agent): the role comes with the
                # appointment, which the platform administrator may not make.
                user, _ = user_get_or_create(**identity)
                membership = Membership.objects.create(user=user, **details)
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
    totp_secret = generate_totp_secret()
    TOTP.activate(user, totp_secret)
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


def write_private_json(path: Path, data) -> None:
    """Writes a file only its owner may read (it holds passwords), in a directory only its owner may open."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, indent=2)
        file.write("\n")
