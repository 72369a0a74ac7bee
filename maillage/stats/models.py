from django.db import models
from django.db.models import Q

from maillage.stats.disclosure import DEFAULT_THRESHOLD, MINIMUM_THRESHOLD
from maillage.territories.models import Territory


class StatisticsSettings(models.Model):
    """A territory's disclosure threshold (ADR 0039): counts from 1 to threshold−1 are shown « < threshold »
    wherever figures leave the nominative perimeter. Without a row, the deployment's
    MAILLAGE_STATISTICS_THRESHOLD applies (`maillage.stats.selectors.threshold_for`)."""

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="statistics_settings")
    threshold = models.PositiveSmallIntegerField(
        "seuil de diffusion",
        default=DEFAULT_THRESHOLD,
        help_text=f"Les effectifs de 1 au seuil moins un sont masqués (au moins {MINIMUM_THRESHOLD}).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réglages statistiques"
        verbose_name_plural = "réglages statistiques"
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=MINIMUM_THRESHOLD), name="stats_threshold_at_least_minimum"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} : seuil {self.threshold}"
