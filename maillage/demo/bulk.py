"""What writing synthetic rows in bulk needs around Django: past creation moments, and fresh planner
statistics once the rows are in."""

from contextlib import contextmanager

from django.db import connection, models


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
