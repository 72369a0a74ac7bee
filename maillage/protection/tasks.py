"""The daily job of protective measures (registered in apps.py; run by `maillage worker`, ADR 0024)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage.protection import alerts
from maillage.protection.enums import MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.situations.enums import SituationStatus


def measures_ending(today: datetime.date):
    """Measures in force, of a situation still followed, ending within the reminder period."""
    horizon = today + datetime.timedelta(days=settings.MAILLAGE_MEASURE_REMINDER_DAYS)
    return (
        ProtectiveMeasure.objects.filter(
            status=MeasureStatus.IN_FORCE, ends_on__gte=today, ends_on__lte=horizon
        )
        .exclude(situation__status=SituationStatus.CLOSED)
        .select_related("situation")
    )


def measures_ending_by(territory_id: int, until: datetime.date):
    """The situations of the territory with a measure in force ending from today up to `until` (a reason to
    examine them at a coordination meeting: situations.review_reasons)."""
    return (
        ProtectiveMeasure.objects.filter(
            situation__territory_id=territory_id,
            status=MeasureStatus.IN_FORCE,
            ends_on__gte=timezone.localdate(),
            ends_on__lte=until,
        )
        .exclude(situation__status=SituationStatus.CLOSED)
        .values("situation_id")
    )


@task()
def remind_measures_ending() -> int:
    """Reminds those who may see a measure that it ends soon — once per recipient and end date, however
    often the job runs (notifications' occasion). Returns how many alerts were raised."""
    raised = 0
    for measure in measures_ending(timezone.localdate()):
        with transaction.atomic():
            raised += len(alerts.measure_ending(measure=measure))
    return raised
