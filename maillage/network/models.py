import hashlib
import secrets
import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from maillage.network.enums import (
    ApiTokenScope,
    OrganisationKind,
    ReferentKind,
    Role,
    RoleChangeAction,
    RoleChangeStatus,
)
from maillage.territories.models import Commune, Territory


class Organisation(models.Model):
    """A partner of the network. One organisation (e.g. the Parquet) may serve several territories."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=OrganisationKind.choices)
    territories = models.ManyToManyField(Territory, related_name="organisations", verbose_name="territoires")
    # Public contact, shown in the network directory. Never a person's private details.
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("courriel", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    website = models.URLField("site web", blank=True)
    opening_hours = models.CharField("horaires et modalités d'accueil", max_length=300, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, organisation__is_active=True)

    def with_role(self, role: str):
        return self.filter(role_set__role=role)

    def with_details(self):
        return self.select_related("user", "organisation", "territory").prefetch_related("role_set")


class Membership(models.Model):
    """A user's place in one organisation inside one territory; carries the roles."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="memberships")
    job_title = models.CharField("fonction", max_length=200, blank=True)
    work_phone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a form carries the version it was read at; a stale save is refused.
    version = models.PositiveIntegerField(default=1)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion"
        ordering = ["organisation__name", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "territory"], name="membership_unique_user_org_territory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.territory}"

    @property
    def roles(self) -> list[str]:
        """Role names, sorted in the order of the Role enum (uses the prefetched role_set)."""
        held = {r.role for r in self.role_set.all()}
        return [r.value for r in Role if r.value in held]

    @property
    def role_labels(self) -> list[str]:
        return [Role(r).label for r in self.roles]


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_set")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="membership_role_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="platform_admin"), name="membership_role_not_platform"
            ),
        ]

    def __str__(self) -> str:
        return self.role


class CommuneReferent(models.Model):
    """A referent named for a commune by the coordinator (elected official and/or agent)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="referents")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="referent_of")
    kind = models.CharField("qualité", max_length=10, choices=ReferentKind.choices)
    appointed_at = models.DateTimeField(auto_now_add=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "personne référente communale"
        ordering = ["commune__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "membership"], name="referent_unique_per_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.get_kind_display()}"


class RoleChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RoleChangeStatus.PENDING)


class RoleChange(models.Model):
    """A change of a role that opens nominative data or acts territory-wide, one role per row.

    A grant of a nominative role made by anyone but the territory's coordinator waits here (`pending`) until a
    coordinator approves or refuses it; every change that took effect (`applied`, `approved`) alerts the
    people who must know (RoleChangeAlert). See docs/decisions/0012-who-changes-roles.md."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_changes")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    action = models.CharField("changement", max_length=20, choices=RoleChangeAction.choices)
    status = models.CharField("état", max_length=20, choices=RoleChangeStatus.choices)
    # Null: the server's console (a management command).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandé par",
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField("motif", blank=True)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "changement de droits"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "role"],
                condition=models.Q(status="pending"),
                name="role_change_one_pending_per_role",
            ),
        ]
        indexes = [models.Index(fields=["territory", "status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.get_role_display()} ({self.get_status_display()})"


class RoleChangeAlert(models.Model):
    """Tells one coordinator or DPO that a change of rights took effect; read when they open the page."""

    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_change_alerts")
    change = models.ForeignKey(RoleChange, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "change"], name="role_change_alert_unique"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.change} → {self.recipient_id}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token. Acts as the membership it was created under; only its hash is stored.

    It always expires, at most MAILLAGE_API_TOKEN_DAYS days after its creation (at the end of that day), and
    is revoked when its membership, account or organisation is deactivated."""

    PREFIX = "mlg_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    scope = models.CharField(
        "portée", max_length=10, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    key_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("expire le")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        # The key carries 256 bits of randomness: a fast hash is enough and keeps look-ups cheap.
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def last_allowed_day() -> date:
        """The last day a token created today may work."""
        return timezone.localdate() + timedelta(days=settings.MAILLAGE_API_TOKEN_DAYS)

    @staticmethod
    def end_of(day: date) -> datetime:
        """The last instant of `day` in the local time zone: a token works until the end of its last day."""
        return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
