"""The daily jobs of emergency housing (registered in apps.py; run by `maillage worker`, ADR 0024).

Idempotent: each reminder is a notification with the stay's end as its occasion, so the job may run twice
(a restart, a crash before its result was recorded) and still remind once per recipient, stay and end."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maillage.housing import reminders
from maillage.housing.enums import StayStatus
from maillage.housing.models import Stay


def stays_ending(today: datetime.date):
    """Stays planned or in progress whose household leaves within the reminder period (today included)."""
    horizon = today + datetime.timedelta(days=settings.MAILLAGE_HOUSING_REMINDER_DAYS)
    return Stay.objects.filter(
        status__in=(StayStatus.PLANNED, StayStatus.IN_PROGRESS), ends_on__gte=today, ends_on__lte=horizon
    ).select_related("unit")


def stays_overrun(today: datetime.date):
    """Stays still in progress after the morning their household was to leave."""
    return Stay.objects.filter(status=StayStatus.IN_PROGRESS, ends_on__lt=today).select_related("unit")


def stays_ending_by(territory_id: int, until: datetime.date):
    """The situations of the territory whose household leaves its emergency housing (a stay planned or in
    progress, or overrun) by `until`: a reason to examine them at a coordination meeting
    (situations.review_reasons)."""
    return Stay.objects.filter(
        unit__territory_id=territory_id,
        status__in=(StayStatus.PLANNED, StayStatus.IN_PROGRESS),
        ends_on__lte=until,
    ).values("situation_id")


@task()
def remind_stays_ending() -> int:
    raised = 0
    for stay in stays_ending(timezone.localdate()):
        with transaction.atomic():
            raised += len(reminders.stay_ending(stay))
    return raised


@task()
def remind_stays_overrun() -> int:
    raised = 0
    for stay in stays_overrun(timezone.localdate()):
        with transaction.atomic():
            raised += len(reminders.stay_overrun(stay))
    return raised
