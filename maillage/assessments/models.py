"""Danger assessment grids (versioned data, loaded from `grids/*.json` by `maillage load_grids`), the grids
a territory uses, and the assessments of a situation (DOMAIN.md §5).

A grid version that an assessment used is never edited: a change is a new version that supersedes it
(`Grid.save` and `GridQuestion.save/delete` refuse anything else), so every past score can be read again
against the very questions that were asked."""

import uuid

from django.db import models
from django.db.models import Q

from maillage.assessments.enums import Level
from maillage.errors import DomainError
from maillage.network.models import Membership
from maillage.situations.models import Situation
from maillage.territories.models import Territory

GRID_IN_USE = (
    "Cette version de la grille a déjà servi à des évaluations : elle ne peut plus être modifiée. "
    "Chargez une nouvelle version, qui la remplacera."
)


class GridInUseError(DomainError):
    def __init__(self, message: str = GRID_IN_USE):
        super().__init__(message)


class GridQuerySet(models.QuerySet):
    def current(self):
        """Versions not superseded."""
        return self.filter(superseded_by__isnull=True)

    def for_territory(self, territory):
        """The current versions a territory assesses with, for the codes it chose (TerritoryGrid; every
        shipped grid while it chose none): its own version of a code, else the shipped one."""
        current = self.current()
        chosen = TerritoryGrid.objects.filter(territory=territory).values("code")
        if TerritoryGrid.objects.filter(territory=territory).exists():
            current = current.filter(code__in=chosen)
        own = current.filter(territory=territory)
        defaults = current.filter(territory__isnull=True).exclude(code__in=own.values("code"))
        return self.filter(Q(pk__in=own.values("pk")) | Q(pk__in=defaults.values("pk"))).order_by("code")


class Grid(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # None: a grid shipped with Maillage, that every territory may choose; else a territory's own version.
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, blank=True, related_name="danger_grids"
    )
    code = models.SlugField("code", max_length=40)
    version = models.PositiveSmallIntegerField("version")
    title = models.CharField("titre", max_length=200)
    source = models.TextField("origine et usage", blank=True)
    # Wording not yet validated by the territory's partners (shown on the form and the result).
    provisional = models.BooleanField("provisoire", default=True)
    high_at_yes = models.PositiveSmallIntegerField("danger grave à partir de (oui)")
    high_at_red = models.PositiveSmallIntegerField(
        "danger grave à partir de (questions rouges)", null=True, blank=True
    )
    medium_at_yes = models.PositiveSmallIntegerField("niveau moyen à partir de (oui)", null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    loaded_at = models.DateTimeField(auto_now_add=True)

    objects = GridQuerySet.as_manager()

    class Meta:
        verbose_name = "grille d'évaluation"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "code", "version"], name="grid_version_unique_in_territory"
            ),
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=Q(territory__isnull=True),
                name="grid_version_unique_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def save(self, *args, **kwargs):
        if self.in_use:
            stored = Grid.objects.get(pk=self.pk)
            fields = [f.attname for f in Grid._meta.concrete_fields if f.attname != "superseded_by_id"]
            if any(getattr(stored, name) != getattr(self, name) for name in fields):
                raise GridInUseError
        super().save(*args, **kwargs)

    @property
    def in_use(self) -> bool:
        return self.pk is not None and self.assessments.exists()


class GridQuestion(models.Model):
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField("numéro")  # 1, 2, … across the whole grid: answers key on it
    block = models.CharField("partie", max_length=100)
    text = models.TextField("question")
    red = models.BooleanField("question rouge", default=False)

    class Meta:
        verbose_name = "question d'une grille"
        ordering = ["grid", "number"]
        constraints = [models.UniqueConstraint(fields=["grid", "number"], name="grid_question_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def save(self, *args, **kwargs):
        if self.grid.in_use:
            raise GridInUseError
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.grid.in_use:
            raise GridInUseError
        return super().delete(*args, **kwargs)


class TerritoryGrid(models.Model):
    """A grid a territory uses, by code: its current version is the one assessments are made with."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField("code", max_length=40)
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["territory", "code"], name="territory_grid_unique")]

    def __str__(self) -> str:
        return f"{self.territory_id}: {self.code}"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Assessments of the situations the actor sees (the situation policy, one query)."""
        return self.filter(situation__in=Situation.objects.visible_to(actor).values("pk"))


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="danger_assessments")
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField("date de l'évaluation")
    created_at = models.DateTimeField(auto_now_add=True)
    # Every answer, by question number ("1": true …), as asked: the grid version says what was asked.
    answers = models.JSONField("réponses")
    yes_count = models.PositiveSmallIntegerField("réponses « oui »")
    red_count = models.PositiveSmallIntegerField("questions rouges à « oui »")
    computed_level = models.CharField("niveau calculé", max_length=10, choices=Level.choices)
    override_level = models.CharField(
        "niveau retenu par jugement professionnel", max_length=10, choices=Level.choices, blank=True
    )
    override_reason = models.TextField("motif du jugement professionnel", blank=True)
    final_level = models.CharField("niveau retenu", max_length=10, choices=Level.choices)
    # The form's one-time id: a double click records one assessment (services.assessment_record).
    submission = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation du danger"
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["situation", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.situation} — {self.assessed_on:%d/%m/%Y}"

    @property
    def is_danger(self) -> bool:
        return self.final_level == Level.HIGH
