"""The statistics' charts (ADR 0042): each indicator table *as shown* (`dashboard.ShownTable`: exact for the
coordinator, protected for the observer and in every file) drawn by matplotlib as an SVG document, on the
server, without a script.

A chart only ever reads what the table beside it shows: a count shown « < 11 » or « secret » gets no bar (a
bar's length would give the hidden count away) but its mark written where the bar would start. So the chart of
a protected table is the same whatever the hidden counts are (tests/stats/test_charts.py).

The page shows the SVG as an image (`data:` URL, allowed by the CSP for images; styles inside an image do not
fall under the page's `style-src`), with a text alternative that sends to the table, which carries the figures
for screen readers; the PDF report embeds the SVG itself. Drawing takes some 30 ms a chart, so the SVGs are
kept in a small per-process cache keyed by the shown table (what is shown, nothing more)."""

import base64
import hashlib
import io
import re
import textwrap
import threading
from dataclasses import dataclass
from functools import lru_cache

from maillage.stats.dashboard import ShownTable

# Contrast at least 3:1 against white (WCAG 1.4.11), distinguishable by most colour blind readers.
PALETTE = ("#1d4e89", "#c8553d", "#2a7f62", "#8e5572", "#5f5f5f", "#8a6d00", "#3b7ea1", "#a3336a")
HATCH = "////"
MAX_BARS = 90  # beyond, the table says it better than a chart
LABEL_WIDTH = 30  # characters a line of a row's label
BAR = 0.2  # inches a bar
WIDTH = 7.2  # inches
CHARACTER = 0.068  # inches a character of a row's label takes, at most, in DejaVu Sans 9 pt


@dataclass(frozen=True)
class Chart:
    svg: str  # the whole SVG document
    description: str  # the text alternative
    series: tuple[str, ...]  # legend, in order
    plotted: tuple[tuple[int | None, ...], ...]  # per series, each row's bar (None: no bar, a mark instead)

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()

    @property
    def inline_svg(self) -> str:
        """The SVG without its XML prologue, to sit inside an HTML document (the PDF)."""
        return self.svg[self.svg.index("<svg") :]


def _figure_text(value) -> str:
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def _series(current: ShownTable, previous: ShownTable | None, year, previous_year):
    """(series labels, per series a value per row of `current`). A one-column table is compared with the
    year before (its rows matched by label; a row absent then counted nothing); a table of several columns
    shows its columns side by side for the year."""
    labels = [label for label, _cells, _total in current.rows]
    if len(current.columns) == 1:
        values = [[cells[0] for _label, cells, _total in current.rows]]
        names = [str(year)]
        if previous is not None and previous.columns == current.columns:
            before = {label: cells[0] for label, cells, _total in previous.rows}
            values.append([before.get(label, 0) for label in labels])
            names.append(str(previous_year))
        return names, values
    names = list(current.columns)
    values = [[cells[j] for _label, cells, _total in current.rows] for j in range(len(names))]
    return names, values


def chart(current: ShownTable, previous: ShownTable | None = None, *, year=None, previous_year=None):
    """The chart of `current` (compared with `previous` when it has one column), or None when there is
    nothing to draw: no rows, no positive count shown (only zeros and hidden counts), or too many bars."""
    if not current.rows or not current.columns:
        return None
    names, values = _series(current, previous, year, previous_year)
    labels = [label for label, _cells, _total in current.rows]
    # Rows and series of nothing but zeros are left out of the drawing (the table still lists them).
    keep_rows = [i for i in range(len(labels)) if any(series[i] != 0 for series in values)]
    keep_series = [k for k, series in enumerate(values) if any(series[i] != 0 for i in keep_rows)]
    if not any(isinstance(series[i], int) and series[i] > 0 for series in values for i in keep_rows):
        return None  # nothing but zeros and hidden counts: no bar to draw
    if len(keep_series) * len(keep_rows) > MAX_BARS:
        return None
    comparison = len(current.columns) == 1 and len(keep_series) == 2
    return _drawn(
        current.title,
        tuple(labels[i] for i in keep_rows),
        tuple(names[k] for k in keep_series),
        tuple(tuple(values[k][i] for i in keep_rows) for k in keep_series),
        comparison=comparison,
        year=year,
        previous_year=previous_year,
    )


# matplotlib's settings are global to the process and gunicorn runs several threads in each worker: they are
# set once, and one chart is drawn at a time (a chart takes tens of milliseconds; the cache answers the rest).
SETTINGS = {
    "svg.fonttype": "none",  # text stays text: read by the PDF's text layer, searchable
    "svg.hashsalt": "maillage",  # the same table gives the same document
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
}
_drawing = threading.Lock()
_configured = False


def _matplotlib():
    global _configured
    import matplotlib

    if not _configured:
        matplotlib.rcParams.update(SETTINGS)
        _configured = True
    return matplotlib


_IDS = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')


def _own_ids(svg: str) -> str:
    """Every id of the document (and every reference to one) prefixed by a digest of the document: several
    charts inlined in one HTML document (the PDF) must not share an id, or one would clip with another's
    path."""
    prefix = "c" + hashlib.sha256(svg.encode()).hexdigest()[:10] + "-"
    return _IDS.sub(lambda match: match.group(1) + prefix + match.group(2), svg)


@lru_cache(maxsize=512)
def _drawn(title, rows, names, values, *, comparison, year, previous_year) -> Chart:
    with _drawing:
        return _draw(
            title, rows, names, values, comparison=comparison, year=year, previous_year=previous_year
        )


def _draw(title, rows, names, values, *, comparison, year, previous_year) -> Chart:
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    group = len(names)
    height = max(1.6, len(rows) * (group * BAR + 0.25) + (0.9 if group > 1 else 0.6))
    labels = [textwrap.fill(label, LABEL_WIDTH) for label in rows]
    longest = max(len(line) for label in labels for line in label.split("\n"))
    # Margins in inches, set by hand: matplotlib's constrained layout would draw the figure twice.
    figure = Figure(figsize=(WIDTH, height))
    figure.subplots_adjust(
        left=(0.2 + longest * CHARACTER) / WIDTH,
        right=1 - 0.1 / WIDTH,
        top=1 - (0.45 if group > 1 else 0.15) / height,
        bottom=0.35 / height,
    )
    axes = figure.add_subplot()
    top = max((v for series in values for v in series if isinstance(v, int)), default=0) or 1
    plotted = []
    for k, (name, series) in enumerate(zip(names, values, strict=True)):
        offsets = [i + (k - (group - 1) / 2) * (0.8 / group) for i in range(len(rows))]
        numbers = [v if isinstance(v, int) else 0 for v in series]
        bars = axes.barh(
            offsets,
            numbers,
            height=0.8 / group,
            color=PALETTE[k % len(PALETTE)],
            hatch=HATCH if k % 2 else None,
            edgecolor="white" if k % 2 else None,
            label=name,
        )
        plotted.append(tuple(v if isinstance(v, int) else None for v in series))
        for bar, value in zip(bars, series, strict=True):
            y = bar.get_y() + bar.get_height() / 2
            if isinstance(value, int):
                axes.text(value + top * 0.01, y, _figure_text(value), va="center", fontsize=8)
            else:
                axes.text(top * 0.01, y, value, va="center", fontsize=8, style="italic")
    axes.set_yticks(range(len(rows)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.15)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: _figure_text(int(x))))
    axes.spines[["top", "right"]].set_visible(False)
    if group > 1:
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(group, 4), frameon=False)
    output = io.StringIO()
    figure.savefig(output, format="svg", metadata={"Date": None, "Title": title})
    svg = _own_ids(output.getvalue())
    compared = f", comparé à {previous_year}" if comparison else ""
    description = (
        f"Graphique en barres : {title}, {year}{compared}. Les chiffres sont dans le tableau qui suit."
    )
    return Chart(svg, description, names, tuple(plotted))
