"""What writing synthetic rows in bulk needs around Django: rows written as plain values (PostgreSQL's COPY,
else an executemany INSERT), their ids reserved by block, and fresh planner statistics once the rows are in.
Creation moments are values like any other: rows carry the moment they were made, years ago.

Rows are dicts of Python values keyed by field name or attname, as one would pass to the model; a foreign key
may be given as a model instance or as another row dict (its "id"). The values go through the model's own
fields where it matters: encrypted fields encrypt with their context, blind indexes are computed from their
source as on save, JSON is serialised; missing fields take the field's default. No model instance is built:
building them cost more than the whole database work (docs/performance.md "Synthetic data")."""

import base64
import datetime
import functools
import json
import os

from django.db import connection, models

from maillage.privacy.crypto import NONCE_BYTES, VERSION, _associated_data, blind_index
from maillage.privacy.fields import BlindIndexField, EncryptedFieldMixin
from maillage.privacy.keys import DATA, keyring


class Sealer:
    """`crypto.encrypt` for one field, its key, cipher and associated data looked up once: the same
    `v1:<key id>:<nonce ‖ ciphertext ‖ tag>` text, a fresh random nonce for every value."""

    def __init__(self, field):
        ring = keyring()
        self.key_id = ring.active_id(DATA)
        self.cipher = ring.cipher(self.key_id)
        self.associated = _associated_data(self.key_id, field.encryption_context)
        self.prefix = f"{VERSION}:{self.key_id}:"
        self.to_text = field.value_to_text

    def __call__(self, value):
        if value is None or value == "":
            return value
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.cipher.encrypt(nonce, self.to_text(value).encode("utf-8"), self.associated)
        return self.prefix + base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")


def _index_of(source: str, known: dict):
    """The blind index of the field `source`. Blind indexes are deterministic (an HMAC of the normalised
    value) and synthetic names come from short lists: each is computed once per table (`known`), under the
    index key active when the table was set up."""

    def index(row):
        value = row.get(source)
        if value is None or value == "":
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        found = known.get(value)
        if found is None:
            found = known[value] = blind_index(value)
        return found

    return index


def _value_of(field, convert=None):
    name, attname = field.name, field.attname
    if field.has_default() and callable(field.default):
        make = field.get_default

        def get(row):
            return row[name] if name in row else row[attname] if attname in row else make()
    else:
        default = field.get_default()

        def get(row):
            return row[name] if name in row else row.get(attname, default)

    if convert is None:
        return get
    return lambda row: convert(get(row))


def _key_of(value):
    return value["id"] if isinstance(value, dict) else getattr(value, "pk", value)


class Table:
    """How rows of `model` are written: every concrete column, in the model's order, each value computed by
    a small function chosen once per field."""

    def __init__(self, model):
        self.model = model
        self.name = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        postgresql = connection.vendor == "postgresql"
        self.getters, known = [], {}
        for f in fields:
            if isinstance(f, BlindIndexField):
                getter = _index_of(f.source, known)
            elif isinstance(f, EncryptedFieldMixin):
                getter = _value_of(f, Sealer(f))
            elif f.is_relation:
                getter = _value_of(f, _key_of)
            elif isinstance(f, models.JSONField) and postgresql:
                getter = _value_of(f, json.dumps)
            elif postgresql or isinstance(f, models.AutoField | models.BooleanField | models.IntegerField):
                getter = _value_of(f)
            else:  # SQLite: dates, times, uuids as Django writes them
                getter = _value_of(f, functools.partial(f.get_db_prep_save, connection=connection))
            self.getters.append(getter)

    def values(self, row: dict) -> tuple:
        return tuple([get(row) for get in self.getters])

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
