"""On PostgreSQL, the database itself refuses to change or delete an audit entry.

Only the table's owner (or a superuser) can disable a trigger: run the application with a role that is not
the owner (see docs/decisions/0007-audit-trail.md). No TRUNCATE trigger: test suites empty tables with
TRUNCATE, and the application role is simply not granted TRUNCATE.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused on audit entry %', TG_OP, OLD.sequence
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'The audit trail can only grow; a correction is a new entry.';
END;
$$;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_refuse_change();
"""


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in development and tests)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]

    operations = [PostgreSQLOnly(FORWARD, BACKWARD)]
