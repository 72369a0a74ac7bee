"""The name words repeat their person's situation, found from one index (word, situation, person): ADR 0046."""

import django.db.models.deletion
from django.db import migrations, models

import maillage.privacy.fields


class Migration(migrations.Migration):
    dependencies = [
        ("situations", "0012_without_referent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="personnametoken",
            name="situation",
            field=models.ForeignKey(
                db_constraint=False,  # added after the backfill: no deferred checks pending on the ALTER
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="situations.situation",
            ),
        ),
        # Portable (SQLite and PostgreSQL): each word takes its person's situation.
        migrations.RunSQL(
            "UPDATE situations_personnametoken SET situation_id = (SELECT p.situation_id FROM situations_person p"
            " WHERE p.id = situations_personnametoken.person_id)",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="personnametoken",
            name="situation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="situations.situation",
            ),
        ),
        migrations.AlterField(
            model_name="personnametoken",
            name="token_index",
            field=maillage.privacy.fields.BlindIndexField(db_index=False, source="token"),
        ),
        migrations.AddIndex(
            model_name="personnametoken",
            index=models.Index(fields=["token_index", "situation", "person"], name="name_token_word"),
        ),
    ]
