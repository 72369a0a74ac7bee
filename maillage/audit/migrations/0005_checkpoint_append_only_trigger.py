"""On PostgreSQL, the database refuses to change or delete a checkpoint, as it does for the entries (0003):
a checkpoint tells the next verification where to start, so rewriting one must take the table owner's role.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_checkpoint_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditcheckpoint is append-only: % refused on checkpoint %', TG_OP, OLD.sequence
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'A checkpoint records a verification that happened; a new one is a new row.';
END;
$$;
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_checkpoint_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS audit_checkpoint_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite has no such trigger (nor roles)
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_checkpoint")]

    operations = [migrations.RunPython(forwards, backwards)]
