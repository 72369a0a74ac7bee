"""`maillage explain-plans`: EXPLAIN (ANALYZE, BUFFERS) of the situation list's statements — page 1, the deep
page by keyset, the capped count, the pseudonym search and the name search — for the four people of
`scale_cases`, each written to a text file, with a README saying how they were made (issue 16).

The statements are the ones the list page sends: captured while the same selectors and keyset calls run,
then explained as sent. EXPLAIN ANALYZE runs each statement once more; they only read."""

import os
import platform
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.demo.scale_cases import Scenario
from maillage.situations import names, selectors
from maillage.situations.forms import FilterForm
from maillage.web import keyset
from maillage.web.pagination import PAGE_SIZE

STATEMENTS = {
    "page1": "liste, première page (situations en cours, le filtre par défaut de la page)",
    "deep": "liste, page à 90 % (curseur)",
    "count": "total compté jusqu'à 1 000, dans l'ordre de la liste",
    "pseudonym": "recherche d'une partie de pseudonyme (total, puis page)",
    "name": "recherche d'un nom courant (total, puis page)",
}


def statements(scenario: Scenario) -> dict[str, list[str]]:
    """The SQL of each list statement of STATEMENTS for this person, as Django sends it."""
    actor = scenario.actor
    # As the page sends them: its default filter (open situations), the total along the list's order.
    listed = selectors.situations_listed(actor, FilterForm(None, territory=actor.territory).filters())
    found_pseudonym = selectors.situations_listed(actor, {"q": scenario.pseudonym_query})
    found_name = names.with_name(selectors.situations_listed(actor), scenario.common_name)
    calls = {
        "page1": lambda: keyset.paginate(selectors.with_overdue_tasks(listed), None, size=PAGE_SIZE),
        "deep": lambda: keyset.paginate(
            selectors.with_overdue_tasks(listed), scenario.deep_cursor, size=PAGE_SIZE
        ),
        "count": lambda: keyset.count_capped(listed, in_order=True),
        # As the list view counts them: a filter along the list's order, a name up to its own cap.
        "pseudonym": lambda: _both(found_pseudonym, in_order=True),
        "name": lambda: _both(found_name, cap=names.NAME_COUNT_CAP),
    }
    sent = {}
    for key, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        sent[key] = [query["sql"] for query in captured.captured_queries]
    return sent


def _both(found, *, cap: int | None = None, in_order: bool = False) -> None:
    keyset.count_capped(found, cap, in_order=in_order)
    keyset.paginate(selectors.with_overdue_tasks(found), None, size=PAGE_SIZE)


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def write_plans(scenarios: list[Scenario], out: Path) -> list[Path]:
    """One file per person and statement (`coordination-page1.txt`…): the statement, then its plan."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for scenario in scenarios:
        for key, sqls in statements(scenario).items():
            parts = [f"-- {scenario.label} ({scenario.email}) : {STATEMENTS[key]}"]
            for sql in sqls:
                parts += ["", sql, "", explain(sql)]
            path = out / f"{scenario.key}-{key}.txt"
            path.write_text("\n".join(parts) + "\n", encoding="utf-8")
            written.append(path)
    return written


def readme(scenarios: list[Scenario], situations: int, command: str) -> str:
    """How the plans were made: scale, date, machine, database, people."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    people = "\n".join(
        f"- `{s.key}`: {s.label}, {s.email}, sees {s.visible:,} situations; deep page at row "
        f"{s.deep_position:,}; pseudonym search `{s.pseudonym_query}` ({s.pseudonym_matches} matches); "
        f"common name: {s.common_matches:,}{'+' if s.common_matches >= keyset.COUNT_CAP else ''} matches"
        for s in scenarios
    )
    now = timezone.localtime()
    return f"""# Plans of the situation list at scale

`EXPLAIN (ANALYZE, BUFFERS)` of the statements the situation list sends (`maillage/demo/scale_plans.py`),
one file per person and statement: `<person>-page1.txt` (first page), `-deep.txt` (the page at 90 % of the
list, by keyset cursor), `-count.txt` (the total counted up to 1,000), `-pseudonym.txt` and `-name.txt`
(the searches: their count, up to 100 for a name, then their first page). Each file holds the SQL as
Django sent it, then its plan.

Made by `{command}` on {now:%Y-%m-%d %H:%M %Z}:

- scale: {situations:,} situations in the territory, database `{connection.settings_dict["NAME"]}`;
- database: {version};
  shared_buffers {shared_buffers}, jit {jit} (the application's connection setting);
- machine: {os.cpu_count()} cores, {platform.machine()}, {_memory()}, load average (1 min)
  {os.getloadavg()[0]:.2f} when the plans were written (the machine is shared: times vary, plan shapes and
  buffers do not).

People (chosen by role from the data, `maillage/demo/scale_cases.py`):

{people}

Regenerate: `DATABASE_URL=postgres://… MAILLAGE_VAR_DIR=… make explain-plans` (docs/performance.md).
"""


def _memory() -> str:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "memory unknown"
    return f"{pages * size / 2**30:.0f} GB of memory"
