"""PostgreSQL: no two holding stays (planned, in progress, ended) share a night of one unit — an exclusion
constraint over `daterange(starts_on, ends_on, '[)')` with btree_gist for the unit's equality. SQLite has no
such constraint: there the allocation service's locked check is the guard (ADR 0028)."""

from django.db import migrations

CONSTRAINT = """
ALTER TABLE housing_stay ADD CONSTRAINT housing_stays_do_not_overlap
EXCLUDE USING gist (unit_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&)
WHERE (status IN ('planned', 'in_progress', 'ended'))
"""


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(CONSTRAINT)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE housing_stay DROP CONSTRAINT housing_stays_do_not_overlap")


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
