import datetime

from django.conf import settings
from django.utils import timezone

from maillage.protection.enums import MeasureStatus
from maillage.protection.models import ProtectiveMeasure


def measures_of(situation) -> list[ProtectiveMeasure]:
    """A situation's measures, those in force first, each marked `ends_soon` (within the reminder period)
    or `overdue` (in force past its end: to be ended or renewed)."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.MAILLAGE_MEASURE_REMINDER_DAYS)
    measures = list(
        ProtectiveMeasure.objects.filter(situation=situation).select_related("recorded_by__organisation")
    )
    for measure in measures:
        in_force = measure.status == MeasureStatus.IN_FORCE and measure.ends_on is not None
        measure.overdue = in_force and measure.ends_on < today
        measure.ends_soon = in_force and today <= measure.ends_on <= horizon
    measures.sort(key=lambda m: (m.status != MeasureStatus.IN_FORCE, m.ends_on or datetime.date.max))
    return measures
