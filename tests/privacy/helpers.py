from django.db import connection

from tests.testapp.models import Person


def _sql(template: str, column: str) -> str:
    # Table and column names come from the test itself, quoted by the backend; values go as parameters.
    quote = connection.ops.quote_name
    return template.format(table=quote(Person._meta.db_table), column=quote(column))


def stored(person: Person, column: str) -> str | None:
    """The column as the database holds it, read without the ORM's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("SELECT {column} FROM {table} WHERE id = %s", column), [person.pk])
        return cursor.fetchone()[0]


def store(person: Person, column: str, value: str | None) -> None:
    """Write a column behind the ORM's back, as someone with database access could."""
    with connection.cursor() as cursor:
        cursor.execute(_sql("UPDATE {table} SET {column} = %s WHERE id = %s", column), [value, person.pk])
