"""The one shape every indicator returns (`Table`) and what it is computed for (`Scope`).

A table is plain data — keys, French labels and integer cells — so that the dashboard, the CSV/XLSX exports,
the PDF report, the open-data file and the API all read the same thing, and the disclosure control can work
on it without knowing where the figures came from."""

from dataclasses import dataclass, field, replace

from django.db.models import Q

from maillage.stats.recognition import Period
from maillage.territories.models import Territory


@dataclass(frozen=True)
class Line:
    """A row or a column: a stable key (an enum value, a commune's or an organisation's public id, a
    measure's name) and its French label. Keys are published (the API, open data): never a primary key."""

    key: str
    label: str


@dataclass(frozen=True)
class Rate:
    """A ratio between two rows of a one-column table (the occupancy rate: occupied / available nights)."""

    label: str
    numerator: str
    denominator: str


@dataclass(frozen=True)
class Table:
    """An indicator for one scope: `cells[i][j]` is the count of row i in column j.

    `row_totals`: a « Total » column (the sum of each row) means something; `column_totals`: a « Total » row
    (the sum of each column) means something — false when a thing may count in several rows (a situation
    with two sources) or when the rows are different measures (new, active, closed). The totals are sums of
    the cells, nothing else: the disclosure control relies on it."""

    rows: tuple[Line, ...]
    columns: tuple[Line, ...]
    cells: tuple[tuple[int, ...], ...]
    # Set by the registry (indicators/__init__.py), the one place where each indicator is named and titled.
    name: str = ""
    title: str = ""
    row_totals: bool = False
    column_totals: bool = False
    # True when the communes filter does not apply (meetings, trainings: the territory's as a whole).
    whole_territory: bool = False
    note: str = ""
    rates: tuple[Rate, ...] = field(default=())

    def __post_init__(self):
        if len(self.cells) != len(self.rows) or any(len(row) != len(self.columns) for row in self.cells):
            raise ValueError(f"{self.name}: cells do not match rows × columns.")

    def cell(self, row: str, column: str | None = None) -> int:
        """The cell of row key `row` and column key `column` (the only column when None)."""
        i = next(i for i, line in enumerate(self.rows) if line.key == row)
        j = 0 if column is None else next(j for j, line in enumerate(self.columns) if line.key == column)
        return self.cells[i][j]

    def as_dict(self) -> dict[str, dict[str, int]]:
        """{row key: {column key: count}} (tests and the API)."""
        return {
            r.key: {c.key: self.cells[i][j] for j, c in enumerate(self.columns)}
            for i, r in enumerate(self.rows)
        }

    @property
    def row_total_values(self) -> tuple[int, ...] | None:
        return tuple(sum(row) for row in self.cells) if self.row_totals else None

    @property
    def column_total_values(self) -> tuple[int, ...] | None:
        if not self.column_totals:
            return None
        return tuple(sum(row[j] for row in self.cells) for j in range(len(self.columns)))

    @property
    def grand_total(self) -> int | None:
        """Only when both ways add up (each thing counts in exactly one cell)."""
        return sum(map(sum, self.cells)) if self.row_totals and self.column_totals else None

    def rate(self, rate: Rate) -> float:
        denominator = self.cell(rate.denominator)
        return self.cell(rate.numerator) / denominator if denominator else 0.0


@dataclass(frozen=True)
class Scope:
    """What the indicators are computed for: a territory, a calendar year and, optionally, some of its
    communes (primary keys; None: all). `previous()` is the same scope a year earlier (the comparison)."""

    territory: Territory
    period: Period
    communes: frozenset[int] | None = None

    def __post_init__(self):
        if self.period.year is None:
            raise ValueError("The indicators are computed for a calendar year.")

    @classmethod
    def of(cls, territory: Territory, year: int, communes=None) -> "Scope":
        """`communes`: Commune objects or primary keys, or None for the whole territory."""
        if communes is not None:
            communes = frozenset(getattr(c, "pk", c) for c in communes)
        return cls(territory, Period(year), communes)

    @property
    def year(self) -> int:
        return self.period.year

    def previous(self) -> "Scope":
        return replace(self, period=Period(self.year - 1))

    def commune_filter(self, path: str):
        """Q limiting `path` (a commune foreign key, e.g. "situation__commune") to the chosen communes."""
        if self.communes is None:
            return Q()
        return Q(**{f"{path}__in": sorted(self.communes)})
