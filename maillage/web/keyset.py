"""Keyset (cursor) pagination and capped totals: a list costs the same on its first page and its thousandth
(docs/decisions/0045-keyset-pagination.md).

A list's ORDER BY ends with the primary key (or another unique column), so the boundary row of a page says
where the next one begins: the cursor holds the values of the order's columns on that row, and the next page
is the rows *beyond* it in that order (`(k1, k2, …) > (v1, v2, …)`, each column in its own direction), read
by walking the index in that order — never an OFFSET walk over every row before it. Pages and API share it:

- `paginate(queryset, cursor, size=…)` returns a `KeysetPage`: its rows, the cursors of the pages after and
  before it (None at either end), and whether it is the first page;
- `count_capped(queryset)` counts up to `COUNT_CAP` rows and says when there are more (« plus de 1 000 »):
  an exact count would read every visible row on every request;
- `cursor_at(row, queryset)` is the cursor of the page that begins just after a given row (a position chosen
  from outside the pages, e.g. the benchmark's deep page).

A cursor is opaque to the reader (URL-safe base64 of JSON) but not trusted: a malformed one raises
`InvalidCursor`, and a forged one only moves inside the rows the caller's queryset already allows.
The order's columns must never be NULL (a NULL compares with nothing).
"""

import base64
import binascii
import functools
import json
import operator
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.db.models.expressions import OrderBy

COUNT_CAP = 1000
# A cursor is a handful of short values; anything longer is refused before decoding.
MAX_CURSOR_LENGTH = 512
AFTER, BEFORE = "a", "b"
BIGINT = 2**63


class InvalidCursor(ValueError):
    """The cursor is not one this application wrote (cut, edited, or from another list)."""


@dataclass(frozen=True)
class Total:
    """A count up to a cap: `value` rows, or more than `value` when `capped`."""

    value: int
    capped: bool = False

    def __str__(self) -> str:
        """As pages show it: « 1 234 », « plus de 1 000 » (a no-break space between thousands)."""
        written = f"{self.value:,}".replace(",", "\u00a0")
        return f"plus de {written}" if self.capped else written


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None
    is_first: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or not self.is_first


def count_capped(queryset, cap: int | None = None, *, in_order: bool = False) -> Total:
    """How many rows `queryset` holds, counted up to `cap` (COUNT_CAP by default): one query reading at
    most cap + 1 rows.

    `in_order`: the first cap + 1 rows in the queryset's own order, for an order an index serves (a keyset
    list's). Otherwise the database reads them in whatever order it estimates cheapest, and it can misjudge
    how soon they come: the open situations a professional follows are the recent ones, which a walk of
    the primary key reaches last (200 ms at 1 M situations, 3–16 ms along the list's index)."""
    cap = COUNT_CAP if cap is None else cap
    found = (queryset if in_order else queryset.order_by())[: cap + 1].count()
    return Total(min(found, cap), capped=found > cap)


def paginate(queryset, cursor: str | None, *, size: int) -> KeysetPage:
    """The page of `size` rows of the ordered `queryset` that `cursor` points to (the first page when None).

    One query: `size + 1` rows, the extra one telling whether the list goes on. Raises InvalidCursor.
    A page read backwards that reaches the start of the list is the first page (full, as it was)."""
    keys, names, annotated = _annotated(queryset)
    direction, values = (AFTER, None) if not cursor else _decode(cursor, annotated, names)
    backwards = direction == BEFORE
    ordered = annotated.order_by(
        *(
            F(name).desc() if descending != backwards else F(name).asc()
            for name, (_, descending) in zip(names, keys, strict=True)
        )
    )
    if values is not None:
        ordered = ordered.filter(_beyond(names, [d != backwards for _, d in keys], values))
    rows = list(ordered[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    if backwards:
        if not more:
            return paginate(queryset, None, size=size)
        rows.reverse()
    after = _encode(AFTER, [getattr(rows[-1], name) for name in names]) if rows else None
    before = _encode(BEFORE, [getattr(rows[0], name) for name in names]) if rows else None
    if backwards:
        return KeysetPage(rows, next_cursor=after, previous_cursor=before, is_first=False)
    return KeysetPage(
        rows,
        next_cursor=after if more else None,
        previous_cursor=before if values is not None else None,
        is_first=values is None,
    )


def cursor_at(row, queryset) -> str:
    """The cursor of the page of `queryset` that begins just after `row` (one of its rows): the `next_cursor`
    of a page that would end on it. One query, reading the order's values on that row."""
    _, names, annotated = _annotated(queryset)
    values = annotated.order_by().filter(pk=row.pk).values_list(*names).get()
    return _encode(AFTER, list(values))


def _annotated(queryset) -> tuple[list[tuple], list[str], object]:
    """The order's (expression, descending) keys, their annotation names, and the queryset annotated with
    them (so that a cursor's values are read from the rows and compared in SQL)."""
    keys = _keys(queryset)
    names = [f"keyset_{i}" for i in range(len(keys))]
    annotated = queryset.annotate(
        **{name: expression for name, (expression, _) in zip(names, keys, strict=True)}
    )
    return keys, names, annotated


def _keys(queryset) -> list[tuple]:
    """The (expression, descending) of each column of the queryset's order, which must end with a unique
    column (the primary key, the audit trail's sequence)."""
    order = queryset.query.order_by or queryset.model._meta.ordering
    keys = []
    for item in order:
        if isinstance(item, str):
            name = item.removeprefix("-")
            keys.append((F(queryset.model._meta.pk.name if name == "pk" else name), item.startswith("-")))
        elif isinstance(item, OrderBy):
            keys.append((item.expression, item.descending))
        else:
            keys.append((item, False))
    last = keys[-1][0] if keys else None
    if not isinstance(last, F) or not _is_unique(queryset.model, last.name):
        raise ImproperlyConfigured(
            "A keyset-paginated order must end with the primary key or a unique field."
        )
    return keys


def _is_unique(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.unique and not field.null


def _beyond(names: list[str], descending: list[bool], values: list) -> Q:
    """The rows after (`values`) in the order: for some column, equal on every column before it and past it
    on that one. The first column's bound is repeated on its own so that the database can start its index
    walk at the cursor (an OR of conditions is no index range)."""
    beyond = []
    for i, name in enumerate(names):
        equal = {names[j]: values[j] for j in range(i)}
        beyond.append(Q(**equal, **{f"{name}__{'lt' if descending[i] else 'gt'}": values[i]}))
    start = Q(**{f"{names[0]}__{'lte' if descending[0] else 'gte'}": values[0]})
    return start & functools.reduce(operator.or_, beyond)


def _encode(direction: str, values: list) -> str:
    payload = json.dumps([direction, values], cls=DjangoJSONEncoder)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str, annotated, names: list[str]) -> tuple[str, list]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor(cursor[:20])
    try:
        direction, raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as error:
        raise InvalidCursor(cursor[:20]) from error
    if direction not in (AFTER, BEFORE) or not isinstance(raw, list) or len(raw) != len(names):
        raise InvalidCursor(cursor[:20])
    values = []
    for name, value in zip(names, raw, strict=True):
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise InvalidCursor(cursor[:20])
        if isinstance(value, int) and not -BIGINT < value < BIGINT:  # beyond what a column holds
            raise InvalidCursor(cursor[:20])
        field = annotated.query.annotations[name].output_field
        try:
            values.append(field.to_python(value))
        except (ValidationError, ValueError, OverflowError) as error:
            raise InvalidCursor(cursor[:20]) from error
    return direction, values
