from django.conf import settings

from maillage.stats.models import StatisticsSettings
from maillage.territories.models import Territory


def threshold_for(territory: Territory) -> int:
    """The disclosure threshold of the territory's published figures: its own setting, else the
    deployment's MAILLAGE_STATISTICS_THRESHOLD (11 unless configured; never below 5, ADR 0039)."""
    own = StatisticsSettings.objects.filter(territory=territory).values_list("threshold", flat=True).first()
    return own if own is not None else settings.MAILLAGE_STATISTICS_THRESHOLD
