from django.conf import settings
from django.utils import timezone

from maillage.stats import recognition
from maillage.stats.models import StatisticsSettings
from maillage.territories.models import Territory


def threshold_for(territory: Territory) -> int:
    """The disclosure threshold of the territory's published figures: its own setting, else the
    deployment's MAILLAGE_STATISTICS_THRESHOLD (11 unless configured; never below 5, ADR 0039)."""
    own = StatisticsSettings.objects.filter(territory=territory).values_list("threshold", flat=True).first()
    return own if own is not None else settings.MAILLAGE_STATISTICS_THRESHOLD


def years_open(territory: Territory, *, exact: bool) -> list[int]:
    """The years whose indicators a viewer may ask for, the latest first: every year with activity for exact
    figures (the coordinator); under disclosure control, ended years only (a running year's figures change
    every week: ADR 0039)."""
    years = recognition.years_with_activity(territory)
    if exact:
        return years
    return [year for year in years if year < timezone.localdate().year]
