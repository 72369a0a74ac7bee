"""`ApiToken` moves from `accounts` to `network` (a token acts as a membership and is revoked with it).

The rows stay: the model is created in the migration state only, on the existing table, which is then renamed
`network_apitoken`; its content type (and so its permissions) follows. `accounts.0006` removes the old
model from the state, without touching the database. Written by hand: migrations never import app code.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="accounts", model="apitoken").update(app_label="network")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="network", model="apitoken").update(app_label="accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_role_changes"),
        ("accounts", "0005_only_the_accounts_own_address"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("name", models.CharField(max_length=100, verbose_name="nom")),
                        (
                            "scope",
                            models.CharField(
                                choices=[("read", "Lecture seule"), ("write", "Lecture et écriture")],
                                default="read",
                                max_length=10,
                                verbose_name="portée",
                            ),
                        ),
                        ("key_prefix", models.CharField(max_length=16)),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField(verbose_name="expire le")),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "membership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to="network.membership",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "jeton d'API",
                        "ordering": ["-created_at"],
                        "db_table": "accounts_apitoken",
                    },
                ),
            ],
        ),
        # The existing table (and its rows) becomes network's: accounts_apitoken → network_apitoken.
        migrations.AlterModelTable(name="apitoken", table=None),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
