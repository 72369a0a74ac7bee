"""The territory's action plan (DOMAIN.md §1): axes, actions led by an organisation with its partners,
indicators, budget lines, each partner's contribution and the progress updates. Nothing here is nominative:
organisations, figures and dated notes on the work done (a progress update names no victim)."""

import uuid

from django.db import models
from django.db.models import Q

from maillage.actionplan.enums import ActionStatus, ContributionKind
from maillage.network.models import Membership, Organisation
from maillage.territories.models import Territory


class Axis(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="action_axes")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "axe du plan d'action"
        verbose_name_plural = "axes du plan d'action"
        ordering = ["territory", "number"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "number"], name="actionplan_axis_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Axe {self.number} — {self.title}"


class Action(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="actions")
    axis = models.ForeignKey(Axis, on_delete=models.PROTECT, related_name="actions", verbose_name="axe")
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_actions", verbose_name="pilote"
    )
    partners = models.ManyToManyField(
        Organisation, related_name="partner_actions", blank=True, verbose_name="partenaires"
    )
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin prévue", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    # A spreadsheet import's row key (the file's identifier column, or a digest of the row): importing the
    # same file twice finds its rows already there and changes nothing.
    import_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (ADR 0005): every change bumps it; a form read at an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"
        ordering = ["territory", "axis__number", "title", "pk"]
        indexes = [models.Index(fields=["territory", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "import_key"],
                condition=~Q(import_key=""),
                name="actionplan_action_import_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField("indicateur", max_length=200)
    unit = models.CharField("unité", max_length=50, blank=True)
    target = models.DecimalField("cible", max_digits=12, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField("réalisé", max_digits=12, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["action", "pk"]

    def __str__(self) -> str:
        return self.label


class BudgetLine(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField("année")
    label = models.CharField("poste de dépense", max_length=200)
    planned = models.DecimalField("montant prévu (€)", max_digits=12, decimal_places=2)
    spent = models.DecimalField("montant dépensé (€)", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["action", "year", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"


class Contribution(models.Model):
    """One partner's contribution to an action for a year: money (euros), staff time (hours), premises or in
    kind (described, valued in euros when the partner says so)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions", verbose_name="partenaire"
    )
    year = models.PositiveSmallIntegerField("année")
    kind = models.CharField("nature", max_length=20, choices=ContributionKind.choices)
    amount = models.DecimalField(
        "montant ou valeur (€)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField("heures", max_digits=8, decimal_places=1, null=True, blank=True)
    description = models.CharField("description", max_length=300, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "contribution"
        verbose_name_plural = "contributions"
        ordering = ["action", "year", "organisation", "pk"]
        indexes = [models.Index(fields=["organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class ProgressUpdate(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    written_on = models.DateField("date")
    text = models.TextField("avancement")
    # The action's status once this update was written (the update may move it).
    status = models.CharField("état", max_length=20, choices=ActionStatus.choices)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+", verbose_name="auteur")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "point d'avancement"
        verbose_name_plural = "points d'avancement"
        ordering = ["action", "-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} — {self.written_on}"
