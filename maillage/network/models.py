import uuid

from django.conf import settings
from django.db import models

from maillage.network.enums import OrganisationKind, ReferentKind, Role
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
        verbose_name = "référent·e communal·e"
        ordering = ["commune__name", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "membership"], name="referent_unique_per_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.get_kind_display()}"
