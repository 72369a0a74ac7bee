"""Loading millions of rows without maintaining their indexes row by row (PostgreSQL only).

Each row COPYed into a table updates every index of the table and runs a trigger per foreign key; the
indexes on random keys (public ids, blind indexes, hashes) outgrow the stock 128 MB of shared buffers at a
million situations, and every insertion then reads a page from disk. `indexes_deferred` drops the secondary
indexes, unique constraints and foreign keys of the tables given, lets the load run, then recreates each of
them from the definition PostgreSQL itself printed before (`pg_get_indexdef`, `pg_get_constraintdef`), under
its own name: the schema afterwards is the one the migrations made, which a test checks. Primary keys stay
(foreign keys are validated against them when re-added). If the load fails, the definitions are recreated
all the same; should the process be killed meanwhile, `maillage migrate` will not notice: the definitions
are printed to the log first, and the test `tests/demo/test_synth_bulk.py` shows how to compare."""

from contextlib import contextmanager

from django.db import connection

SECONDARY_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY c.relname
"""
CONSTRAINTS = """
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname
"""


def schema_of(tables: list[str]) -> list[tuple]:
    """The secondary indexes and unique / foreign-key constraints of `tables`, as PostgreSQL defines them."""
    found = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(SECONDARY_INDEXES, [table])
            found += [(table, "index", name, definition) for name, definition in cursor.fetchall()]
            cursor.execute(CONSTRAINTS, [table])
            found += [(table, kind, name, definition) for name, kind, definition in cursor.fetchall()]
    return found


@contextmanager
def indexes_deferred(models, *, log=None):
    """Drops the secondary indexes and constraints of `models`' tables for the time of the block (outside any
    transaction: each step commits), and recreates them after it, whatever happened. Does nothing but yield
    on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in models]
    schema = schema_of(tables)
    if log:
        log(f"{len(schema)} index et contraintes suspendus pendant l'écriture :")
        for table, _kind, name, definition in schema:
            log(f"  {table} {name} : {definition}")
    with connection.cursor() as cursor:
        # Checks of deferred foreign keys still pending in this transaction run now: PostgreSQL refuses to
        # alter a table that has some.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Foreign keys first (they may rest on nothing dropped here, but keep the order symmetrical).
        for table, kind, name, _definition in sorted(schema, key=lambda s: s[1] != "f"):
            if kind == "index":
                cursor.execute(f"DROP INDEX {quote(name)}")
            else:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            # Indexes and unique constraints before the foreign keys, which PostgreSQL then validates.
            for table, kind, name, definition in sorted(schema, key=lambda s: s[1] == "f"):
                if kind == "index":
                    cursor.execute(definition)
                else:
                    cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("RESET maintenance_work_mem")
