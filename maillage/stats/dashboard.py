"""What the statistics dashboard and its download show of an indicator (`indicators.Table`): the exact
figures for the coordinator, marked « diffusion restreinte », or the figures under disclosure control
(ADR 0039) for the observer and in every file.

How a table is protected depends on what its totals mean (`Table.row_totals`, `Table.column_totals`, ADR
0040): a table whose both totals are sums of its cells is protected whole (primary and secondary
suppression across rows and columns); a table with only one kind of total is protected line by line as
series (each line with its total); a table of separate measures (new, active, closed…) publishes no total,
so each count is protected on its own (primary suppression only: no total to recover it from).

The API (`api.py`) and the open-data file (`open_data.py`) read the same `ShownTable`: `document` is its
JSON shape, `figures` its lines (one figure each, totals included)."""

from dataclasses import dataclass

from maillage.stats import disclosure
from maillage.stats.indicators import Table


@dataclass(frozen=True)
class ShownTable:
    name: str
    title: str
    note: str
    whole_territory: bool
    columns: tuple[str, ...]
    row_keys: tuple[str, ...]  # the rows' and columns' keys (`indicators.Line.key`), for files and the API
    column_keys: tuple[str, ...]
    row_total: bool  # a « Total » column
    rows: tuple[tuple[str, tuple, object], ...]  # (label, shown cells, shown row total or None)
    total_row: tuple[tuple, object] | None  # (shown column totals, shown grand total or None)
    restricted: bool
    rates: tuple[tuple[str, str], ...] = ()  # (label, « 62 % »): only when both of its counts are shown


def _primary(value: int, threshold: int):
    return value if value == 0 or value >= threshold else f"< {threshold}"


def _rates(table: Table, cells) -> tuple[tuple[str, str], ...]:
    """A table's rates (first column), computed from the counts as shown: a rate over a hidden count would
    give it away, so it is left out then."""
    keys = [line.key for line in table.rows]
    rates = []
    for rate in table.rates:
        numerator = cells[keys.index(rate.numerator)][0]
        denominator = cells[keys.index(rate.denominator)][0]
        if isinstance(numerator, int) and isinstance(denominator, int) and denominator:
            rates.append((rate.label, f"{round(100 * numerator / denominator)}\u202f%"))
    return tuple(rates)


def shown(table: Table, *, threshold: int, exact: bool) -> ShownTable:
    rows = [line.label for line in table.rows]
    columns = [line.label for line in table.columns]
    cells = [list(row) for row in table.cells]
    row_totals: list = [None] * len(rows)
    total_row = None
    if not rows or not columns:
        pass
    elif exact:
        if table.row_totals:
            row_totals = [sum(row) for row in cells]
        if table.column_totals:
            sums = [sum(row[j] for row in cells) for j in range(len(columns))]
            total_row = (tuple(sums), sum(sums) if table.row_totals else None)
    elif table.row_totals and table.column_totals:
        protected = disclosure.protect(disclosure.table(cells, rows=rows, columns=columns), threshold)
        cells = [[cell.shown for cell in line] for line in protected.cells]
        row_totals = [cell.shown for cell in protected.row_totals]
        total_row = (tuple(cell.shown for cell in protected.column_totals), protected.total.shown)
    elif table.column_totals:
        totals = []
        for j in range(len(columns)):
            column = disclosure.protect(disclosure.series([row[j] for row in cells], labels=rows), threshold)
            for i, cell in enumerate(column.cells):
                cells[i][j] = cell.shown
            totals.append(column.total.shown)
        total_row = (tuple(totals), None)
    elif table.row_totals:
        for i in range(len(rows)):
            line = disclosure.protect(disclosure.series(cells[i], labels=columns), threshold)
            cells[i] = [cell.shown for cell in line.cells]
            row_totals[i] = line.total.shown
    else:
        cells = [[_primary(value, threshold) for value in row] for row in cells]
    return ShownTable(
        rates=_rates(table, cells),
        name=table.name,
        title=table.title,
        note=table.note,
        whole_territory=table.whole_territory,
        columns=tuple(columns),
        row_keys=tuple(line.key for line in table.rows),
        column_keys=tuple(line.key for line in table.columns),
        row_total=table.row_totals and bool(rows and columns),
        rows=tuple(
            (label, tuple(line), total) for label, line, total in zip(rows, cells, row_totals, strict=True)
        ),
        total_row=total_row,
        restricted=exact,
    )


TOTAL_KEY = "total"
TOTAL_LABEL = "Total"


def figures(table: ShownTable):
    """Every figure of the table, totals included: (row key, row label, column key, column label, figure)."""
    for key, (label, cells, total) in zip(table.row_keys, table.rows, strict=True):
        for column_key, column, value in zip(table.column_keys, table.columns, cells, strict=True):
            yield key, label, column_key, column, value
        if table.row_total:
            yield key, label, TOTAL_KEY, TOTAL_LABEL, total
    if table.total_row:
        totals, grand = table.total_row
        for column_key, column, value in zip(table.column_keys, table.columns, totals, strict=True):
            yield TOTAL_KEY, TOTAL_LABEL, column_key, column, value
        if grand is not None:
            yield TOTAL_KEY, TOTAL_LABEL, TOTAL_KEY, TOTAL_LABEL, grand


def long_rows(table: ShownTable):
    """The table as lines of a file: (indicator, row, column, figure), totals included."""
    for _row_key, row, _column_key, column, value in figures(table):
        yield (table.title, row, column, value)


def document(table: ShownTable) -> dict:
    """The table as JSON (the API's `IndicatorOut`, the open-data file): keys and labels, each row's cells
    and total, the row of totals."""
    total_row = None
    if table.total_row:
        totals, grand = table.total_row
        total_row = {"cells": list(totals), "total": grand}
    return {
        "name": table.name,
        "title": table.title,
        "note": table.note,
        "whole_territory": table.whole_territory,
        "restricted": table.restricted,
        "columns": [
            {"key": key, "label": label} for key, label in zip(table.column_keys, table.columns, strict=True)
        ],
        "row_total": table.row_total,
        "rows": [
            {"key": key, "label": label, "cells": list(cells), "total": total if table.row_total else None}
            for key, (label, cells, total) in zip(table.row_keys, table.rows, strict=True)
        ],
        "total_row": total_row,
    }
