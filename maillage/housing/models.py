"""Emergency housing (DOMAIN.md §6): the units an organisation lends, stay requests made from a situation,
and stays.

A unit hosts one household at a time: no two holding stays (planned, in progress, ended) may share a night
of the same unit. PostgreSQL enforces it with an exclusion constraint over the stays' date ranges
(btree_gist, migration 0002: PostgreSQL only, so not in Meta); SQLite, which has none, relies on the
allocation service's locked check (ADR 0028).
The address is encrypted and never leaves this model except through `housing.services.unit_address_reveal`."""

import uuid

from django.db import models
from django.db.models import Q

from maillage.housing.enums import ExitSolution, RequestStatus, StayStatus, UnitStatus
from maillage.network.models import Membership, Organisation
from maillage.privacy.fields import EncryptedTextField
from maillage.situations.models import Situation
from maillage.territories.models import Commune, Territory


class HousingUnit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="housing_units")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="housing_units")
    name = models.CharField("nom affiché", max_length=80)
    # A secret unit (the refuge) shows no commune anywhere; its name must not hint at one either.
    secret = models.BooleanField("adresse secrète (refuge)", default=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    address = EncryptedTextField("adresse")
    adults = models.PositiveSmallIntegerField("adultes", default=1)
    children = models.PositiveSmallIntegerField("enfants", default=0)
    cots = models.PositiveSmallIntegerField("lits bébé", default=0)
    accessible = models.BooleanField("accessible en fauteuil roulant", default=False)
    pets_allowed = models.BooleanField("animaux acceptés", default=False)
    rules = models.CharField("règles de la maison", max_length=300, blank=True)
    status = models.CharField("état", max_length=20, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "logement d'urgence"
        verbose_name_plural = "logements d'urgence"
        ordering = ["territory", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="housing_unit_name_unique"),
            models.CheckConstraint(
                condition=Q(secret=False) | Q(commune__isnull=True), name="housing_secret_no_commune"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StayRequest(models.Model):
    """A request for a stay, made from a situation. The housing manager sees its pseudonym and household
    only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="stay_requests")
    requested_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    adults = models.PositiveSmallIntegerField("adultes", default=1)
    children_ages = models.JSONField("âges des enfants", default=list)  # whole years, e.g. [3, 7]
    urgent = models.BooleanField("urgent (ce soir)", default=False)
    wished_from = models.DateField("à partir du")
    wished_until = models.DateField("jusqu'au", null=True, blank=True)
    # Free text for the requester's side only (never shown to the housing manager): encrypted.
    notes = EncryptedTextField("précisions", blank=True)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    answered_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "demande d'hébergement"
        verbose_name_plural = "demandes d'hébergement"
        ordering = ["-urgent", "created_at", "pk"]
        indexes = [models.Index(fields=["territory", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(wished_until__isnull=True) | Q(wished_until__gt=models.F("wished_from")),
                name="housing_request_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande {self.public_id}"


class Stay(models.Model):
    """A household's stay in a unit, from `starts_on` (first night) to `ends_on` (the morning it leaves):
    the planned end until check-out, then the real one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(HousingUnit, on_delete=models.PROTECT, related_name="stays")
    request = models.OneToOneField(
        StayRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="stay"
    )
    situation = models.ForeignKey(Situation, on_delete=models.PROTECT, related_name="stays")
    adults = models.PositiveSmallIntegerField("adultes", default=1)
    children = models.PositiveSmallIntegerField("enfants", default=0)
    starts_on = models.DateField("arrivée")
    ends_on = models.DateField("départ")
    status = models.CharField(max_length=20, choices=StayStatus.choices, default=StayStatus.PLANNED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    exit_solution = models.CharField(
        "solution de sortie", max_length=30, choices=ExitSolution.choices, blank=True
    )
    allocated_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "séjour"
        ordering = ["unit", "starts_on", "pk"]
        indexes = [models.Index(fields=["unit", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="housing_stay_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Séjour {self.public_id}"
