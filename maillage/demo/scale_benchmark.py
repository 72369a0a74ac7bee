"""`maillage benchmark-scale`: the situation list, its deep page, the detail, the API and the searches, timed
end to end in-process for four people of a territory, against the same rows' SQL run alone (issue 16).

Per request:
- Django end to end: `django.test.Client` through every middleware, signed in with the second factor passed;
  warm-up requests, then `runs` timed ones (median and 95th percentile). The client keeps its database
  connection between requests, as a persistent connection would. Detail requests rotate over visible
  situations (half from page 1, half from the deep page) and write their real audit entries.
- Queries: one more request under `CaptureQueriesContext`, twice, keeping the fewer (the session's « last
  seen » refresh adds three statements every fifteen seconds); « SQL in the request » sums Django's timings.
- Raw SQL: the captured statements that read the page's rows — the SELECTs touching a `situations_` table
  (the request's session, account, membership, notification and audit statements left out) — re-run as sent,
  one after the other on a separate psycopg connection with the same options (`jit = off`), `runs` times;
  the median, and Django's median divided by it."""

import json
import math
import os
import statistics
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.accounts import mfa, sessions
from maillage.accounts.sessions import ACTIVE_MEMBERSHIP_SESSION_KEY
from maillage.demo.scale_cases import Scenario

WARM_UP = 2
LIST_TARGET_RATIO = 2.0
LIST_TARGET_MS = 100.0
DETAIL_TARGET_MS = 30.0


@dataclass
class Case:
    key: str
    label: str
    paths: list[str]
    data: dict | None = None  # a POST's form

    @property
    def is_detail(self) -> bool:
        return self.key in ("detail", "api_detail")


@dataclass
class Measure:
    case: Case
    durations: list[float]
    queries: int
    sql_ms: float
    raw: list[float] = field(default_factory=list)
    statements: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.durations)

    @property
    def p95(self) -> float:
        return percentile(self.durations, 0.95)

    @property
    def raw_median(self) -> float | None:
        return statistics.median(self.raw) if self.raw else None

    @property
    def ratio(self) -> float | None:
        return self.median / self.raw_median if self.raw_median else None

    def targets(self) -> dict[str, bool]:
        """The issue's targets for this request: a situation ≤ 30 ms; lists and searches ≤ 100 ms and ≤ 2× the
        raw SQL of their rows."""
        if self.case.is_detail:
            return {"≤ 30 ms": self.median <= DETAIL_TARGET_MS}
        return {
            "≤ 100 ms": self.median <= LIST_TARGET_MS,
            "≤ 2× brut": self.ratio is not None and self.ratio <= LIST_TARGET_RATIO,
        }


def percentile(values: list[float], rank: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(rank * len(ordered)) - 1, 0)]


def cases(scenario: Scenario) -> list[Case]:
    listing, api = reverse("situations:list"), reverse("api:situations")
    details = [reverse("situations:detail", args=[i]) for i in scenario.detail_ids]
    api_details = [reverse("api:situation", args=[i]) for i in scenario.detail_ids]
    deep = scenario.deep_cursor
    return [
        Case("list_p1", "liste /situations/, page 1", [listing]),
        Case(
            "list_deep", f"liste, page à 90 % (rang {scenario.deep_position})", [f"{listing}?curseur={deep}"]
        ),
        Case("api_list_p1", "API liste, page 1", [api]),
        Case("api_list_deep", "API liste, page à 90 %", [f"{api}?cursor={deep}"]),
        Case("detail", "page d'une situation", details),
        Case("api_detail", "API, une situation", api_details),
        Case(
            "search_pseudonym",
            f"recherche pseudonyme `{scenario.pseudonym_query}` ({scenario.pseudonym_matches} sit.)",
            [f"{listing}?q={scenario.pseudonym_query}"],
        ),
        Case(
            "search_name_rare",
            f"recherche nom rare ({scenario.rare_matches} sit.)",
            [listing],
            {"name": scenario.rare_name},
        ),
        Case(
            "search_name_common",
            f"recherche nom courant ({_capped(scenario.common_matches)} sit.)",
            [listing],
            {"name": scenario.common_name},
        ),
    ]


def _capped(found: int) -> str:
    return f"≥ {number(found)}" if found >= 1000 else str(found)


def number(value: int) -> str:
    """1 234 567, with narrow no-break spaces."""
    return f"{value:,}".replace(",", "\u202f")


def signed_in(scenario: Scenario) -> Client:
    """A client whose session passed the password and the second factor, on the scenario's membership."""
    client = Client(HTTP_HOST=_host())
    user = scenario.membership.user
    client.force_login(user)
    session = client.session
    now = time.time()
    session[sessions.STARTED_AT] = now
    session[sessions.LAST_SEEN] = now
    request = SimpleNamespace(session=session)
    mfa.record_sign_in_step(request, user, "password")
    mfa.record_sign_in_step(request, user, "mfa", type="totp")
    session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(scenario.membership.public_id)
    session.save()
    return client


def _host() -> str:
    return next((h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith(".")), "localhost")


def measure(scenario: Scenario, runs: int, raw_connection) -> list[Measure]:
    client = signed_in(scenario)
    measures = []
    for case in cases(scenario):
        for i in range(WARM_UP):
            _request(client, case, i)
        durations = []
        for i in range(runs):
            started = time.perf_counter()
            _request(client, case, i)
            durations.append((time.perf_counter() - started) * 1000)
        captures = []
        for i in range(2):
            with CaptureQueriesContext(connection) as captured:
                _request(client, case, i)
            captures.append(captured.captured_queries)
        queries = min(captures, key=len)
        result = Measure(
            case, durations, queries=len(queries), sql_ms=sum(float(q["time"]) for q in queries) * 1000
        )
        statements = [q["sql"] for q in queries if _reads_rows(q["sql"])]
        result.statements = len(statements)
        result.raw = raw_timings(raw_connection, statements, runs)
        measures.append(result)
    return measures


def _request(client: Client, case: Case, i: int):
    path = case.paths[i % len(case.paths)]
    response = client.post(path, case.data) if case.data is not None else client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{case.key} {path} : réponse {response.status_code}")
    return response


def _reads_rows(sql: str) -> bool:
    return sql.lstrip().upper().startswith("SELECT") and '"situations_' in sql


def raw_connection():
    """A psycopg connection of its own, with Django's connection parameters (jit off), in autocommit."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    return raw


def raw_timings(raw, statements: list[str], runs: int) -> list[float]:
    if not statements:
        return []
    timings = []
    with raw.cursor() as cursor:
        for i in range(WARM_UP + runs):
            started = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            if i >= WARM_UP:
                timings.append((time.perf_counter() - started) * 1000)
    return timings


# ------------------------------------------------------------------------------------------- the table


def header(count: int, runs: int, load: float) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return [
        f"### {number(count)} situations",
        "",
        f"Mesuré le {timezone.localtime():%Y-%m-%d %H:%M} sur PostgreSQL {version}, base "
        f"`{connection.settings_dict['NAME']}`, {os.cpu_count()} cœurs, charge moyenne (1 min) {load:.2f} au "
        f"départ ; {WARM_UP} requêtes de chauffe puis {runs} mesurées par ligne ; durées en ms.",
    ]


def table(scenario: Scenario, measures: list[Measure], compared: dict | None) -> list[str]:
    compare = compared is not None
    lines = [
        "",
        f"**{scenario.label}** — {scenario.email}, voit {number(scenario.visible)} situations",
        "",
        "| requête | Django médiane | p95 | requêtes | SQL dans la requête | SQL brut (instr.) "
        "| SQL brut médiane | Django / brut | objectifs |" + (" requêtes avant |" if compare else ""),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|" + ("---:|" if compare else ""),
    ]
    for m in measures:
        before = (compared or {}).get(m.case.key)
        raw = f"{m.raw_median:.2f}" if m.raw_median is not None else "—"
        ratio = f"{m.ratio:.1f}" if m.ratio is not None else "—"
        targets = ", ".join(f"{target} {_yes(held)}" for target, held in m.targets().items())
        row = (
            f"| {m.case.label} | {m.median:.1f} | {m.p95:.1f} | {m.queries} | {m.sql_ms:.1f} "
            f"| {m.statements} | {raw} | {ratio} | {targets} |"
        )
        if compare:
            row += f" {'—' if before is None else before}{'' if before in (None, m.queries) else ' ≠'} |"
        lines.append(row)
    return lines


def query_counts(results: dict[str, list[Measure]]) -> dict:
    return {key: {m.case.key: m.queries for m in measures} for key, measures in results.items()}


def save_query_counts(path: str, count: int, results: dict[str, list[Measure]]) -> None:
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"situations": count, "queries": query_counts(results)}, file, indent=1)


def load_query_counts(path: str) -> tuple[int, dict]:
    with open(path, encoding="utf-8") as file:
        saved = json.load(file)
    return saved["situations"], saved["queries"]


def _yes(held: bool) -> str:
    return "oui" if held else "**non**"


def summary(
    results: dict[str, list[Measure]], compared: dict | None, compared_count: int | None
) -> list[str]:
    """How many requests meet each target, and whether any query count changed since the compared run."""
    held: dict[str, list[bool]] = {}
    for measures in results.values():
        for m in measures:
            for target, ok in m.targets().items():
                kind = "une situation" if m.case.is_detail else "listes et recherches"
                held.setdefault(f"{kind} {target}", []).append(ok)
    lines = ["", "Objectifs (issue 16), requêtes qui les tiennent :"]
    lines += [f"- {target} : {sum(oks)} sur {len(oks)}" for target, oks in held.items()]
    if compared is not None:
        counts = query_counts(results)
        changed = [
            f"{key} {case} ({compared[key][case]} → {n})"
            for key, by_case in counts.items()
            for case, n in by_case.items()
            if case in compared.get(key, {}) and compared[key][case] != n
        ]
        lines.append(
            f"- nombre de requêtes comparé à la mesure à {number(compared_count)} situations : "
            + ("identique partout" if not changed else "différent pour " + ", ".join(changed))
        )
    return lines
