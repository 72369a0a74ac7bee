import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("network", "0002_role_changes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("kind", models.CharField(max_length=40, verbose_name="type")),
                ("target_type", models.CharField(max_length=60)),
                ("target_id", models.UUIDField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="network.membership",
                    ),
                ),
            ],
            options={
                "verbose_name": "alerte",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["recipient", "read_at"], name="notificatio_recipie_564b1f_idx"),
                    models.Index(fields=["target_type", "target_id"], name="notificatio_target__08ac26_idx"),
                ],
            },
        ),
    ]
