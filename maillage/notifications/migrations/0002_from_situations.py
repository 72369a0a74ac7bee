"""Alerts lived in `situations.Notification` (a foreign key to a situation, and to an emergency access for the
break-the-glass alerts). They move here with their public ids (the links of e-mails already sent keep
working), their reader's state and their date; the target is the emergency access for break-the-glass alerts,
the situation otherwise."""

from django.db import migrations


def move(apps, schema_editor):
    Old = apps.get_model("situations", "Notification")
    New = apps.get_model("notifications", "Notification")
    rows = []
    for old in Old.objects.select_related("situation", "emergency_access").order_by("pk").iterator():
        if old.emergency_access_id is not None:
            target_type, target_id = "situations.emergencyaccess", old.emergency_access.public_id
        else:
            target_type, target_id = "situations.situation", old.situation.public_id
        rows.append(
            New(
                public_id=old.public_id,
                recipient_id=old.recipient_id,
                kind=old.kind,
                target_type=target_type,
                target_id=target_id,
                read_at=old.read_at,
            )
        )
    New.objects.bulk_create(rows, batch_size=1000)
    # auto_now_add dated them today: give each alert its own date back.
    dates = dict(Old.objects.values_list("public_id", "created_at"))
    moved = list(New.objects.only("pk", "public_id"))
    for new in moved:
        new.created_at = dates[new.public_id]
    New.objects.bulk_update(moved, ["created_at"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("situations", "0004_notification_kind_commune_moves"),
    ]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
