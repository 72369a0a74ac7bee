"""What writing synthetic rows in bulk needs around Django: rows written as plain values (PostgreSQL's COPY,
else one multi-row INSERT), their ids reserved by block, past creation moments, and fresh planner
statistics once the rows are in.

Rows are dicts of Python values keyed by field name or attname, as one would pass to the model; a foreign key
may be given as a model instance or as another row dict (its "id"). The values go through the model's own
fields where it matters: encrypted fields encrypt with their context, blind indexes are computed from their
source as on save, JSON is serialised; missing fields take the field's default. No model instance is built:
building them cost more than the whole database work (docs/performance.md "Synthetic data")."""

import json
from contextlib import contextmanager

from django.db import connection, models

from maillage.privacy.crypto import blind_index
from maillage.privacy.fields import BlindIndexField, EncryptedFieldMixin

PLAIN, FOREIGN, ENCRYPTED, INDEX, JSON, OTHER = range(6)


class Table:
    """How rows of `model` are written: every concrete column, in the model's order."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.name = model._meta.db_table
        self.columns = [f.column for f in self.fields]
        postgresql = connection.vendor == "postgresql"
        self.plan = []
        for f in self.fields:
            if isinstance(f, BlindIndexField):
                kind = INDEX
            elif isinstance(f, EncryptedFieldMixin):
                kind = ENCRYPTED
            elif f.is_relation:
                kind = FOREIGN
            elif isinstance(f, models.JSONField) and postgresql:
                kind = JSON
            elif postgresql or isinstance(f, models.AutoField | models.BooleanField | models.IntegerField):
                kind = PLAIN
            else:
                kind = OTHER  # SQLite: dates and times as Django writes them
            default = f.get_default if f.has_default() and callable(f.default) else None
            self.plan.append((f, kind, default, None if default else f.get_default()))

    def values(self, row: dict) -> tuple:
        out = []
        for f, kind, make_default, default in self.plan:
            if kind == INDEX:
                source = row.get(f.source)
                if source is None or source == "":
                    out.append(None)
                else:
                    out.append(blind_index(source.isoformat() if hasattr(source, "isoformat") else source))
                continue
            if f.name in row:
                value = row[f.name]
            elif f.attname in row:
                value = row[f.attname]
            else:
                value = make_default() if make_default else default
            if kind == FOREIGN:
                value = value["id"] if isinstance(value, dict) else getattr(value, "pk", value)
            elif kind == ENCRYPTED or kind == OTHER:
                value = f.get_db_prep_save(value, connection)
            elif kind == JSON:
                value = json.dumps(value)
            out.append(value)
        return tuple(out)

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The model's own table and column names; every value travels as data.
                with cursor.cursor.copy(f"COPY {self.name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(self.values(row))
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                statement = f"INSERT INTO {self.name} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(statement, [self.values(row) for row in rows])


def reserve_ids(model, count: int) -> int:
    """Reserves `count` consecutive primary keys of `model` (its sequence moved past them on PostgreSQL);
    returns the first. The generator is the only writer while it runs (demo mode)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s)",
                [table, model._meta.pk.column, table, model._meta.pk.column, max(count, 1) - 1],
            )
            return cursor.fetchone()[0] - max(count, 1) + 1
        cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {table}")  # noqa: S608
        return cursor.fetchone()[0] + 1


def number(rows: list[dict], model) -> None:
    """Gives `rows` their ids, reserved by one block."""
    if rows:
        first = reserve_ids(model, len(rows))
        for offset, row in enumerate(rows):
            row["id"] = first + offset


@contextmanager
def explicit_timestamps(*model_classes):
    """The generator writes the moment each row was created (years ago): the `auto_now`/`auto_now_add`
    fields of these models keep the value given while it runs, instead of taking the current time."""
    changed = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in changed:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def analyse_after_bulk_load() -> None:
    """Fresh statistics after a bulk load, as after a restore. On PostgreSQL, without them the planner takes
    a table of 100,000 situations for a few rows and joins by nested loops: the statistics dashboard took
    134 s instead of 2 (docs/performance.md). VACUUM too, when not inside a transaction (it cannot run in
    one; the tests' is the case): it marks the new rows' pages all-visible, as autovacuum does after many
    inserts, so that the statistics' covering indexes answer without visiting the rows. SQLite's planner needs
    nothing here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
