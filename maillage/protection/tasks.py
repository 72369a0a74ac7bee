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


@task()
def remind_measures_ending() -> int:
    """Reminds those who may see a measure that it ends soon — once per recipient and end date, however
    often the job runs (notifications' occasion). Returns how many alerts were raised."""
    raised = 0
    for measure in measures_ending(timezone.localdate()):
        with transaction.atomic():
            raised += len(alerts.measure_ending(measure=measure))
    return raised
