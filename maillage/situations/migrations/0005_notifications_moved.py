from django.db import migrations


class Migration(migrations.Migration):
    """Alerts now live in the notifications app (its migration 0002 copied them)."""

    dependencies = [
        ("situations", "0004_notification_kind_commune_moves"),
        ("notifications", "0002_from_situations"),
    ]

    operations = [migrations.DeleteModel(name="Notification")]
