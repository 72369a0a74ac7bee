"""`maillage benchmark-scale` and `maillage explain-plans` (issue 16): at a tiny scale, that they still run
end to end and print what docs/performance.md keeps — not the figures themselves."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL measurements")
PEOPLE = ("coordination", "référente", "forces de l'ordre", "santé")
REQUESTS = (
    "liste /situations/, page 1",
    "liste, page à 90 %",
    "API liste, page 1",
    "API liste, page à 90 %",
    "page d'une situation",
    "API, une situation",
    "recherche pseudonyme",
    "recherche nom rare",
    "recherche nom courant",
)
NUMBER = r"\d+(?:\.\d+)?"


@postgresql_only
def test_prints_a_table_per_person_and_compares_query_counts(db, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    counts = tmp_path / "queries.json"
    first = io.StringIO()
    call_command(
        "benchmark_scale", situations=60, runs=1, territory="Pays mesuré", save_queries=counts, stdout=first
    )
    printed = first.getvalue()
    assert printed.startswith("### 60 situations")
    for person in PEOPLE:
        assert re.search(
            rf"^\*\*[^*]*{re.escape(person)}[^*]*\*\* — \S+@\S+, voit \d+ situations$", printed, re.M
        )
    for request in REQUESTS:
        rows = [line for line in printed.splitlines() if line.startswith(f"| {request}")]
        assert len(rows) == len(PEOPLE), request
        for row in rows:
            # median, p95, queries, SQL in the request, raw statements, raw median, ratio, targets
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            assert all(re.fullmatch(NUMBER, cell) for cell in cells[1:8]), row
            assert re.search(r"≤ \d+ (ms|×)", cells[8]), row
    assert re.search(r"^- listes et recherches ≤ 100 ms : \d+ sur 28$", printed, re.M)
    assert re.search(r"^- une situation ≤ 30 ms : \d+ sur 8$", printed, re.M)
    saved = json.loads(counts.read_text())
    assert saved["situations"] == 60 and saved["queries"]["coordination"]["list_p1"] > 0

    again = io.StringIO()
    call_command(
        "benchmark_scale",
        situations=60,
        runs=1,
        territory="Pays mesuré",
        compare_queries=counts,
        stdout=again,
    )
    assert "requêtes avant |" in again.getvalue()
    assert "nombre de requêtes comparé à la mesure à 60 situations" in again.getvalue()


@postgresql_only
def test_explain_plans_writes_a_plan_per_person_and_statement(db, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    call_command("synth", situations=60, territory="Pays mesuré", stdout=io.StringIO())
    out = tmp_path / "plans"
    call_command("explain_plans", out=str(out), territory="Pays mesuré", stdout=io.StringIO())
    plans = sorted(path.name for path in out.glob("*.txt"))
    assert len(plans) == 4 * 5 and "coordination-deep.txt" in plans and "sante-name.txt" in plans
    deep = (out / "referent-deep.txt").read_text()
    assert "Execution Time" in deep and "Buffers" in deep
    # The deep page starts at its cursor: a bound on the order's first column, no OFFSET.
    assert '"situations_situation"."detected_on" <=' in deep and "OFFSET" not in deep
    readme = (out / "README.md").read_text()
    assert "60 situations" in readme and "cores" in readme


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal on SQLite")
@pytest.mark.parametrize("command", ["benchmark_scale", "explain_plans"])
def test_refused_on_sqlite(db, settings, command):
    settings.DEMO_MODE = True
    options = {"situations": 10} if command == "benchmark_scale" else {}
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command(command, stdout=io.StringIO(), **options)
