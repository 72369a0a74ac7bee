"""Disclosure control: published counts that re-identify nobody (DOMAIN.md §4, ADR 0039).

Pure Python, no database: the dashboard, the exports, the PDF report and the API build a table of counts
from their aggregate queries, then pass it through `protect` (observers, every file that leaves the
nominative perimeter) or `exact` (the coordinator on screen, marked « diffusion restreinte »).

A table is additive: each person or situation is counted in exactly one cell, and the totals are computed
here as the sums of the cells (an « inconnu » or « autre » row or column where some are unclassified). A
published total that is not the sum of its cells would break the reasoning below.

**Primary suppression.** A count from 1 to threshold−1 (cells and totals alike) is suppressed and shown as
« < 11 » for the default threshold of 11. Zero is published: an empty cell says that nobody is in it, which
identifies nobody (ADR 0039 says why).

**Secondary suppression.** Each row and each column, totals included (the row of column totals and the
column of row totals are lines too, with the grand total as their total), is an equation: the sum of its
cells is its total. A reader who knows the rule knows that « < 11 » is between 1 and 10, and that a count
shown « secret » (hidden to protect another) is 0 or at least 11 — up to the grand total when that is
published. Each line narrows the possible values of its hidden entries, and the narrowed ranges are used
when reading the other lines, until nothing narrows: no hidden count may be left a single possible value.
So a line never holds a single hidden entry, and « 12 = < 11 + secret » (which forces 1 + 11) is closed
too. Where the reading gives a count away, the smallest published entry of the line that gave it is hidden
as well, preferring positive cells to the total and both to zeros; rows and columns interact, so the table
is read again until nothing is given away. A zero hidden on the way that the reader finds anyway is shown
again. A line of a single cell needs nothing more: its total is the cell, hidden with it.

**Differences.** Two tables the same person may see must not differ by a few people: `view_refusal` (and
`allowed_view`) tell the dashboard which (years, communes) a protected viewer may ask for — whole calendar
years that have ended, one at a time or several side by side, never « every year »; the whole territory or
the table of every commune, never a chosen set of communes.

Public API (ADR 0039): `table`, `series`, `protect`, `exact`, `Table`, `Series`, `Cell`, `Status`,
`view_refusal`, `allowed_view`, `DisclosureError`, `MINIMUM_THRESHOLD`, `DEFAULT_THRESHOLD`,
`RESTRICTED_MARK`, `SECRET_MARK`."""

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

MINIMUM_THRESHOLD = 5
DEFAULT_THRESHOLD = 11
RESTRICTED_MARK = "Diffusion restreinte"
SECRET_MARK = "secret"  # noqa: S105 (the word shown for a hidden count, not a password)


class DisclosureError(ValueError):
    """A table used the wrong way: an unprotected table rendered, a threshold below the minimum, a table
    that is not made of non-negative integer counts."""


class Status(StrEnum):
    RAW = "raw"  # not yet through `protect` or `exact`: may not be shown
    PUBLISHED = "published"
    PRIMARY = "primary"  # from 1 to threshold−1: « < threshold »
    SECONDARY = "secondary"  # suppressed so that a primary one cannot be recovered: « secret »
    RESTRICTED = "restricted"  # exact, for the coordinator: « diffusion restreinte »


@dataclass(frozen=True)
class Cell:
    """One count: its exact value (never shown when suppressed) and how it may be shown."""

    value: int
    status: Status = Status.RAW
    threshold: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.status in (Status.PRIMARY, Status.SECONDARY)

    @property
    def shown(self) -> int | str:
        """What a page or a file shows: the number (an int, for the template's `figure` filter or a
        spreadsheet's number cell), « < 11 », or « secret »."""
        if self.status is Status.RAW:
            raise DisclosureError("Un tableau doit passer par protect() ou exact() avant d'être montré.")
        if self.status is Status.PRIMARY:
            return f"< {self.threshold}"
        if self.status is Status.SECONDARY:
            return SECRET_MARK
        return self.value


@dataclass(frozen=True)
class Series:
    """The 1-D variant: labelled cells and their total (e.g. victims by age band)."""

    labels: tuple[str, ...]
    cells: tuple[Cell, ...]
    total: Cell

    @property
    def restricted(self) -> bool:
        return self.total.status is Status.RESTRICTED

    def rows(self) -> Iterable[tuple[str, Cell]]:
        return zip(self.labels, self.cells, strict=True)


@dataclass(frozen=True)
class Table:
    """Rows × columns of counts (e.g. communes × sex) with row totals, column totals and the grand total."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell

    @property
    def restricted(self) -> bool:
        return self.total.status is Status.RESTRICTED

    def lines(self) -> Iterable[tuple[str, tuple[Cell, ...], Cell]]:
        """Each row with its label, its cells and its total (for templates and exports)."""
        return zip(self.rows, self.cells, self.row_totals, strict=True)


def _count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DisclosureError(f"Un comptage est un entier positif ou nul, pas {value!r}.")
    return value


def series(counts: Sequence[int], *, labels: Sequence[str]) -> Series:
    """A raw 1-D table; its total is the sum of the counts."""
    if len(counts) != len(labels):
        raise DisclosureError("Autant de libellés que de comptages.")
    values = [_count(v) for v in counts]
    return Series(tuple(labels), tuple(Cell(v) for v in values), Cell(sum(values)))


def table(counts: Sequence[Sequence[int]], *, rows: Sequence[str], columns: Sequence[str]) -> Table:
    """A raw table; `counts[i][j]` is row i, column j; the totals are the sums."""
    if len(counts) != len(rows) or any(len(line) != len(columns) for line in counts):
        raise DisclosureError(
            "Le tableau doit avoir une ligne par libellé de ligne et une colonne par colonne."
        )
    values = [[_count(v) for v in line] for line in counts]
    column_sums = [sum(line[j] for line in values) for j in range(len(columns))]
    return Table(
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(tuple(Cell(v) for v in line) for line in values),
        row_totals=tuple(Cell(sum(line)) for line in values),
        column_totals=tuple(Cell(v) for v in column_sums),
        total=Cell(sum(column_sums)),
    )


def exact(figures: Table | Series) -> Table | Series:
    """Every figure exact, marked « diffusion restreinte » (the coordinator on screen only)."""
    return _rebuild(figures, lambda _position, cell: replace(cell, status=Status.RESTRICTED, threshold=None))


def protect(figures: Table | Series, threshold: int) -> Table | Series:
    """The table an observer, an export, the PDF report, open data or the API may show."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MINIMUM_THRESHOLD:
        raise DisclosureError(f"Le seuil de diffusion est un entier d'au moins {MINIMUM_THRESHOLD}.")
    grid, lines = _grid(figures)
    status = {p: Status.PRIMARY if 0 < v < threshold else Status.PUBLISHED for p, v in grid.items()}
    while True:
        ranges, line = _reading(grid, lines, status, threshold)
        if line is None:
            break
        candidate = _complement(line, grid, status) or _complement((tuple(grid), None), grid, status)
        if candidate is None:  # everything is already hidden
            break
        status[candidate] = Status.SECONDARY
    # A zero hidden on the way that the reader finds anyway is shown: it tells nothing more.
    status |= {
        p: Status.PUBLISHED for p, r in ranges.items() if status[p] is Status.SECONDARY and _size(r) == 1
    }
    _show_what_a_line_gives_away(lines, status)
    return _rebuild(
        figures, lambda position, cell: replace(cell, status=status[position], threshold=threshold)
    )


def _show_what_a_line_gives_away(lines: "list[Line]", status: "dict[Position, Status]") -> None:
    """A count hidden to protect another (« secret ») left alone hidden in one of its lines is given away by
    that line's published entries anyway: it is shown. This happens when the reading gave up (every entry of
    a line hidden) before narrowing it; showing it may leave another one alone: read the lines again."""
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            hidden = [p for p in (*cells, total) if status[p] is not Status.PUBLISHED]
            if len(hidden) == 1 and status[hidden[0]] is Status.SECONDARY:
                status[hidden[0]] = Status.PUBLISHED
                changed = True


# A line: its cells' positions and its total's position. Positions index a grid of (row, column): for a
# Table of R rows and C columns, row R holds the column totals and column C the row totals (R, C is the
# grand total); a Series is one row.
Position = tuple[int, int]
Line = tuple[tuple[Position, ...], Position]


def _grid(figures: Table | Series) -> tuple[dict[Position, int], list[Line]]:
    if isinstance(figures, Series):
        width = len(figures.cells)
        grid = {(0, j): c.value for j, c in enumerate(figures.cells)} | {(0, width): figures.total.value}
        return grid, [(tuple((0, j) for j in range(width)), (0, width))]
    height, width = len(figures.rows), len(figures.columns)
    grid = {(i, j): c.value for i, line in enumerate(figures.cells) for j, c in enumerate(line)}
    grid |= {(i, width): c.value for i, c in enumerate(figures.row_totals)}
    grid |= {(height, j): c.value for j, c in enumerate(figures.column_totals)}
    grid[(height, width)] = figures.total.value
    rows = [(tuple((i, j) for j in range(width)), (i, width)) for i in range(height + 1)]
    columns = [(tuple((i, j) for i in range(height)), (height, j)) for j in range(width + 1)]
    return grid, rows + columns


def _rebuild(figures: Table | Series, make) -> Table | Series:
    if isinstance(figures, Series):
        width = len(figures.cells)
        return replace(
            figures,
            cells=tuple(make((0, j), c) for j, c in enumerate(figures.cells)),
            total=make((0, width), figures.total),
        )
    height, width = len(figures.rows), len(figures.columns)
    return replace(
        figures,
        cells=tuple(
            tuple(make((i, j), c) for j, c in enumerate(line)) for i, line in enumerate(figures.cells)
        ),
        row_totals=tuple(make((i, width), c) for i, c in enumerate(figures.row_totals)),
        column_totals=tuple(make((height, j), c) for j, c in enumerate(figures.column_totals)),
        total=make((height, width), figures.total),
    )


def _complement(
    line: tuple[tuple[Position, ...], Position | None],
    grid: dict[Position, int],
    status: dict[Position, Status],
) -> Position | None:
    """The line's published entry to suppress next: the smallest positive cell, then a positive total,
    then a zero (a hidden zero is « 0 or at least the threshold » to the reader: it still widens the
    range)."""
    cells, total = line
    published = [p for p in (*cells, *([total] if total else [])) if status[p] is Status.PUBLISHED]
    if not published:
        return None
    return min(published, key=lambda p: (grid[p] == 0, grid[p], p == total, p))


# Sets of integers as sorted, disjoint, non-adjacent closed intervals: what a reader knows of a value.
Ranges = list[tuple[int, int]]
UNBOUNDED = 10**15  # « at least the threshold » when the grand total is hidden
READINGS = 50  # at most so many readings of every line by `_reading`


def _merge(ranges: Iterable[tuple[int, int]]) -> Ranges:
    merged: Ranges = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _add(a: Ranges, b: Ranges) -> Ranges:
    return _merge((a_low + b_low, a_high + b_high) for a_low, a_high in a for b_low, b_high in b)


def _intersect(a: Ranges, b: Ranges) -> Ranges:
    return _merge(
        (max(a_low, b_low), min(a_high, b_high))
        for a_low, a_high in a
        for b_low, b_high in b
        if max(a_low, b_low) <= min(a_high, b_high)
    )


def _reading(
    grid: dict[Position, int], lines: list[Line], status: dict[Position, Status], threshold: int
) -> tuple[dict[Position, Ranges], Line | None]:
    """What a reader can tell of each entry, and the first line where the reader finds a hidden count other
    than zero (None: there is none).

    The reader starts from the published entries and what the text of each hidden one says: « < t » is 1 to
    t−1, « secret » 0 or from t (from 1 to t−1 it would have been « < t ») up to the grand total when it is
    published. Each line, « cells − total = 0 », narrows each hidden entry to the values the others allow;
    the lines are read again with the narrowed ranges until nothing narrows (at most `READINGS` times: the
    work stays bounded, a longer reading could narrow further). A hidden zero found is harmless (a zero
    identifies nobody); a hidden count found is a disclosure."""
    grand_total = max(grid)  # the last position: a Series' total, a Table's grand total
    cap = grid[grand_total] if status[grand_total] is Status.PUBLISHED else UNBOUNDED
    ranges = {
        p: [(v, v)] if status[p] is Status.PUBLISHED else _range(status[p], threshold, cap)
        for p, v in grid.items()
    }
    for _reading_again in range(READINGS):
        narrowed = False
        for line in lines:
            for p, possible in _narrowed(line, ranges):
                ranges[p] = possible
                narrowed = True
                if grid[p] > 0 and _size(possible) == 1:
                    return ranges, line
        if not narrowed:
            break
    return ranges, None


def _range(status: Status, threshold: int, cap: int) -> Ranges:
    if status is Status.PRIMARY:
        return [(1, threshold - 1)]
    return _merge([(0, 0), *([(threshold, cap)] if cap >= threshold else [])])


def _size(ranges: Ranges) -> int:
    return sum(high - low + 1 for low, high in ranges)


def _narrowed(line: Line, ranges: dict[Position, Ranges]) -> Iterable[tuple[Position, Ranges]]:
    """The line's entries whose possible values « cells − total = 0 » narrows, with their new ranges."""
    cells, total = line
    terms = [(p, 1) for p in cells] + [(total, -1)]
    signed = [
        ranges[p] if sign > 0 else [(-high, -low) for low, high in reversed(ranges[p])] for p, sign in terms
    ]
    for k, (p, sign) in enumerate(terms):
        if _size(ranges[p]) == 1:
            continue
        others: Ranges = [(0, 0)]
        for m, term in enumerate(signed):
            if m != k:
                others = _add(others, term)
        # sign·x = −(the others' signed sum)
        possible = [(-high, -low) for low, high in others] if sign > 0 else others
        possible = _intersect(_merge(possible), ranges[p])
        if possible != ranges[p]:
            yield p, possible


def view_refusal(
    *,
    years: Sequence[int | None],
    communes: Collection | None,
    territory_communes: Collection,
    today: datetime.date,
) -> str | None:
    """Why a viewer under disclosure control may not see these figures (None: they may).

    `years`: the calendar years asked for, side by side (None for « toutes les années »); `communes`: the
    communes asked for, None or empty for the whole territory, every commune of the territory for the table
    by commune. Figures of a year still running change from week to week, and « every year » minus the
    published years is the running one: the difference of two such tables would show a few people. So would
    a chosen set of communes against the whole territory, or two sets differing by one commune."""
    if not years:
        return "Choisissez au moins une année."
    if any(year is None for year in years):
        return "Les chiffres protégés se consultent année par année, pas toutes années confondues."
    if len(set(years)) != len(years):
        return "Chaque année ne se compare qu'une fois."
    if any(year >= today.year for year in years):
        return "Les chiffres protégés portent sur des années terminées : l'année en cours change chaque jour."
    if communes and set(communes) != set(territory_communes):
        return (
            "Les chiffres protégés portent sur tout le territoire ou sur chacune de ses communes, "
            "pas sur une sélection."
        )
    return None


def allowed_view(
    *,
    years: Sequence[int | None],
    communes: Collection | None,
    territory_communes: Collection,
    today: datetime.date,
) -> bool:
    """Whether `view_refusal` has nothing to say."""
    return (
        view_refusal(years=years, communes=communes, territory_communes=territory_communes, today=today)
        is None
    )
