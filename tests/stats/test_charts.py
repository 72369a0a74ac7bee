"""The statistics' charts (ADR 0042): drawn from the table as shown, so a protected chart gives away no hidden
count — not by a label, not by a bar's length — and carries no script nor any outside resource."""

import base64
import re

import pytest
from django.urls import reverse

from maillage.stats import charts
from maillage.stats.dashboard import shown
from maillage.stats.indicators import Line, Table
from tests.helpers import sign_in
from tests.stats.worlds import DashboardWorld, last_year


def victims(small: int, other: int) -> Table:
    """A two-way table (both totals add up) with one small count: `small` women under 18."""
    return Table(
        rows=(Line("minor", "Moins de 18 ans"), Line("adult", "18 à 64 ans"), Line("old", "65 ans et plus")),
        columns=(Line("female", "Femmes"), Line("male", "Hommes")),
        cells=((small, other), (40, 25), (33, 21)),
        name="victims",
        title="Victimes par âge et par sexe",
        row_totals=True,
        column_totals=True,
    )


def communes(*counts: int) -> Table:
    return Table(
        rows=tuple(Line(str(i), f"Commune {i}") for i in range(len(counts))),
        columns=(Line("count", "Situations"),),
        cells=tuple((count,) for count in counts),
        name="communes",
        title="Situations par commune",
        column_totals=True,
    )


def svg_texts(svg: str) -> list[str]:
    return [text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if text.strip()]


@pytest.mark.parametrize(("first", "second"), [((3, 30), (7, 30)), ((1, 12), (9, 12))])
def test_a_protected_chart_is_the_same_whatever_the_hidden_counts(first, second):
    drawn = [
        charts.chart(shown(victims(*pair), threshold=11, exact=False), year=2025, previous_year=2024)
        for pair in (first, second)
    ]
    assert drawn[0].svg == drawn[1].svg
    assert drawn[0].plotted == drawn[1].plotted


def test_a_hidden_count_gets_its_mark_and_no_bar():
    drawn = charts.chart(shown(victims(3, 30), threshold=11, exact=False), year=2025, previous_year=2024)
    texts = svg_texts(drawn.svg)
    assert "< 11" in texts or "&lt; 11" in texts
    assert "secret" in texts
    plotted = [value for series in drawn.plotted for value in series]
    assert None in plotted
    assert not any(isinstance(value, int) and 1 <= value <= 10 for value in plotted)
    # The exact chart of the coordinator draws every count.
    exact = charts.chart(shown(victims(3, 30), threshold=11, exact=True), year=2025, previous_year=2024)
    assert exact.plotted == ((3, 40, 33), (30, 25, 21))


def test_a_one_column_table_is_compared_with_the_year_before():
    current = shown(communes(120, 14, 0), threshold=11, exact=True)
    before = shown(communes(100, 0, 12), threshold=11, exact=True)
    drawn = charts.chart(current, before, year=2025, previous_year=2024)
    assert drawn.series == ("2025", "2024")
    assert drawn.plotted == ((120, 14, 0), (100, 0, 12))
    assert "comparé à 2024" in drawn.description
    assert "tableau" in drawn.description


def test_nothing_to_draw_gives_no_chart():
    assert charts.chart(shown(communes(0, 0), threshold=11, exact=True), year=2025) is None
    empty = Table(rows=(), columns=(Line("count", "Situations"),), cells=(), title="Vide")
    assert charts.chart(shown(empty, threshold=11, exact=True), year=2025) is None
    crowded = communes(*range(20, 20 + charts.MAX_BARS + 1))
    assert charts.chart(shown(crowded, threshold=11, exact=True), year=2025) is None


def test_the_svg_holds_no_script_and_names_no_outside_resource():
    drawn = charts.chart(shown(victims(3, 30), threshold=11, exact=True), year=2025, previous_year=2024)
    assert "<script" not in drawn.svg
    assert not re.search(r'(?:href|src)="(?!#)', drawn.svg)
    assert drawn.inline_svg.startswith("<svg")
    assert base64.b64decode(drawn.data_uri.split(",", 1)[1]).decode() == drawn.svg
    # The same table drawn again gives the same document (deterministic ids, no date).
    charts._drawn.cache_clear()
    again = charts.chart(shown(victims(3, 30), threshold=11, exact=True), year=2025, previous_year=2024)
    assert again.svg == drawn.svg


@pytest.mark.django_db
def test_the_dashboard_shows_each_chart_with_a_text_alternative_before_its_table(client):
    world = DashboardWorld()
    sign_in(client, world.observer.user, world.observer)
    page = client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    images = re.findall(
        r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', page.text
    )
    assert images, "at least the situations by commune are drawn"
    for data, alt in images:
        assert alt.startswith("Graphique en barres : ")
        svg = base64.b64decode(data).decode()
        # No count of 1 to 10 written in a protected chart (the axis' ticks, 9px, are not counts; the bars'
        # labels are 8px).
        labels = re.findall(r'<text style="font-size: 8px[^>]*>([^<]*)</text>', svg)
        assert labels
        assert not any(label.strip().isdigit() and 1 <= int(label) <= 10 for label in labels)


def test_rows_and_series_of_zeros_are_left_out_of_the_drawing():
    table = Table(
        rows=(Line("a", "Moins de 18 ans"), Line("b", "18 à 24 ans"), Line("c", "Âge non renseigné")),
        columns=(Line("f", "Femme"), Line("m", "Homme"), Line("o", "Autre")),
        cells=((0, 0, 0), (12, 0, 0), (67, 11, 0)),
        title="Victimes",
    )
    drawn = charts.chart(shown(table, threshold=11, exact=True), year=2025)
    assert drawn.series == ("Femme", "Homme")
    assert drawn.plotted == ((12, 67), (0, 11))
    assert "Moins de 18 ans" not in svg_texts(drawn.svg)


def test_a_table_of_hidden_counts_only_is_not_drawn():
    protected = shown(communes(3, 4, 0), threshold=11, exact=False)
    assert charts.chart(protected, year=2025) is None


def test_charts_drawn_by_several_threads_are_those_drawn_alone():
    """gunicorn runs several threads a worker: matplotlib's global settings must not mix two drawings."""
    from concurrent.futures import ThreadPoolExecutor

    tables = [
        shown(victims(3, 30), threshold=11, exact=True),
        shown(communes(120, 14, 0), threshold=11, exact=True),
    ]
    charts._drawn.cache_clear()
    alone = [charts.chart(table, year=2025).svg for table in tables]
    charts._drawn.cache_clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda table: charts.chart(table, year=2025).svg, tables * 4))
    assert together == alone * 4
