"""Prevention and communication events, and the trainings of professionals (DOMAIN.md §1, §7). Nothing here
is nominative: communes, organisations, audiences and counts of people."""

import uuid

from django.db import models
from django.db.models import Q

from maillage.network.models import Membership, Organisation
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.territories.models import Commune, Territory


class PreventionEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="prevention_events")
    title = models.CharField("intitulé", max_length=200)
    kind = models.CharField("type", max_length=20, choices=EventKind.choices)
    held_on = models.DateField("date")
    # A campaign runs over days or weeks; most events hold on one day.
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    # No commune: the whole territory (a campaign, a press article).
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    audience = models.CharField("public", max_length=20, choices=Audience.choices)
    people_reached = models.PositiveIntegerField("personnes touchées", null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, related_name="prevention_events", blank=True, verbose_name="organisations impliquées"
    )
    materials = models.CharField("supports utilisés", max_length=300, blank=True)
    description = models.TextField("description", blank=True)
    # A spreadsheet import's row key (see actionplan.Action.import_key).
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "action de prévention"
        verbose_name_plural = "actions de prévention"
        ordering = ["territory", "-held_on", "-pk"]
        indexes = [models.Index(fields=["territory", "held_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "import_key"],
                condition=~Q(import_key=""),
                name="prevention_event_import_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Training(models.Model):
    """A training session for professionals of the network: who gave it (organisations, and the trainers as
    free text), who attended (a count per organisation, not names) and how long it lasted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField("intitulé", max_length=200)
    topic = models.CharField("thème", max_length=20, choices=TrainingTopic.choices)
    held_on = models.DateField("date")
    hours = models.DecimalField("durée (heures)", max_digits=5, decimal_places=1)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    trainer_organisations = models.ManyToManyField(
        Organisation, related_name="trainings_given", blank=True, verbose_name="organisations formatrices"
    )
    trainers = models.CharField("intervenants", max_length=300, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "formation"
        verbose_name_plural = "formations"
        ordering = ["territory", "-held_on", "-pk"]
        indexes = [models.Index(fields=["territory", "held_on"])]

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name="organisation",
    )
    attendees = models.PositiveIntegerField("participants")

    class Meta:
        verbose_name = "participation à une formation"
        verbose_name_plural = "participations aux formations"
        ordering = ["training", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "organisation"], name="prevention_attendance_once_per_organisation"
            ),
            models.CheckConstraint(condition=Q(attendees__gt=0), name="prevention_attendance_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.attendees})"
