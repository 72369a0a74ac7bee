"""Every API token expires (MAILLAGE_API_TOKEN_DAYS, 90 by default).

Tokens created without an expiry get `created_at + N days`: the same lifetime as a token created today, so a
token older than N days stops working now (its owner creates a new one, with the second factor) rather than
gaining N more days. Tokens whose membership, account or organisation is already deactivated expire now: they
were not revoked at the time and would otherwise come back if it is reactivated. The next migration makes the
column non-null; it is separate because PostgreSQL refuses to alter a table with pending updates in the same
transaction.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone


def expire_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = timedelta(days=settings.MAILLAGE_API_TOKEN_DAYS)
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=F("created_at") + lifetime)
    now = timezone.now()
    dormant = (
        Q(membership__is_active=False) | Q(user__is_active=False) | Q(membership__organisation__is_active=False)
    )
    ApiToken.objects.filter(dormant, revoked_at__isnull=True, expires_at__gt=now).update(expires_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("network", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(expire_tokens, migrations.RunPython.noop),
    ]
