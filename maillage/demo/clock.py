"""The demo clock: the only place where Maillage patches time and settings.

Services, models and the audit trail read the time from `django.utils.timezone.now`; the demo replays three
years of history by patching it to each step's moment (docs/decisions/0011). This is a test tool used on
purpose, fenced in this app: nothing else may import `maillage.demo` (import-linter contract).
"""

import datetime
from contextlib import contextmanager
from unittest import mock

from django.test.utils import override_settings
from django.utils import timezone

YEARS = 3
# Alerts raised while the history is replayed are shown in the application, never e-mailed.
NO_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


@contextmanager
def demo_clock(moment: datetime.datetime):
    """Services, models and the audit trail read the time from `django.utils.timezone.now`."""
    with mock.patch.object(timezone, "now", return_value=moment.astimezone(datetime.UTC)):
        yield


def history_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The morning the demonstration network starts: three years and a day before `now`."""
    day = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=365 * YEARS + 1)
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())


def without_email():
    """Nothing loaded by the demo sends an e-mail (invitations, alerts): they stay in the application."""
    return override_settings(EMAIL_BACKEND=NO_EMAIL)
