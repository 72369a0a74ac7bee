"""The annual report (PDF): what the network did in an ended year, for the CISPD's plenary and the State's
delegate — key figures, every indicator with its chart, the action plan's progress, the partners'
contributions, prevention and trainings.

A report leaves the platform, so its counts of people are always under disclosure control (ADR 0039), whoever
downloads it, like every file: the tables go through `dashboard.shown(…, exact=False)` and the charts are
drawn from them (ADR 0042). The rest names no person: actions, organisations, prevention events and
trainings are the network's public work, and the progress updates' free text is left out (a partner might
write more there than a report should carry)."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from maillage.actionplan import selectors as plan_selectors
from maillage.actionplan.models import Indicator, ProgressUpdate
from maillage.network.actor import Actor
from maillage.prevention import selectors as prevention_selectors
from maillage.stats import charts, recognition
from maillage.stats.dashboard import ShownTable, shown
from maillage.stats.indicators import INDICATORS, Scope, Table

# The partners' contributions the report lists: work and means, never counts of people.
CONTRIBUTIONS = (
    "actions_led",
    "actions_partner",
    "events",
    "trainings_given",
    "training_hours_given",
    "staff_hours",
    "money",
    "in_kind_value",
)


@dataclass(frozen=True)
class Section:
    table: ShownTable
    chart: charts.Chart | None


def _cell(raw: Table, table: ShownTable, row: str, column: int = 0):
    """The shown value of a raw table's row (by key) in a column; a table's total row with row="total"."""
    if row == "total":
        return table.total_row[0][column] if table.total_row else None
    index = next(i for i, line in enumerate(raw.rows) if line.key == row)
    return table.rows[index][1][column]


def _grand_total(table: ShownTable):
    return table.total_row[1] if table.total_row else None


def _key_figures(raw: dict[str, Table], tables: dict[str, ShownTable]) -> list[tuple[str, object]]:
    """The report's first page: a few figures, each read from its indicator as shown."""
    figures = [
        ("Situations nouvelles", _cell(raw["situations"], tables["situations"], "new")),
        ("Situations suivies dans l'année", _cell(raw["situations"], tables["situations"], "active")),
        ("Situations clôturées", _cell(raw["situations"], tables["situations"], "closed")),
        ("Victimes des situations suivies dans l'année", _grand_total(tables["victims"])),
        ("Séjours en hébergement d'urgence", _cell(raw["stays"], tables["stays"], "stays")),
        ("Nuitées d'hébergement", _cell(raw["stays"], tables["stays"], "nights")),
        ("Réunions de la cellule de suivi", _cell(raw["meetings"], tables["meetings"], "meetings")),
        ("Actions de prévention", _cell(raw["prevention"], tables["prevention"], "total", 0)),
        ("Personnes touchées par la prévention", _cell(raw["prevention"], tables["prevention"], "total", 1)),
        ("Sessions de formation", _cell(raw["trainings"], tables["trainings"], "total", 0)),
        ("Professionnels formés", _cell(raw["trainings"], tables["trainings"], "total", 1)),
    ]
    return [(label, value) for label, value in figures if value is not None]


def _plan(actor: Actor, year: int) -> list[dict]:
    """The plan by axis: each action's lead, status, indicators (target and value reached) and the number of
    progress updates written in the year. Three queries."""
    actions = list(plan_selectors.actions_listed(actor))
    indicators: dict[int, list] = {}
    for indicator in Indicator.objects.filter(action__in=[a.pk for a in actions]).order_by("pk"):
        indicators.setdefault(indicator.action_id, []).append(indicator)
    updates = dict(
        ProgressUpdate.objects.filter(action__in=[a.pk for a in actions], written_on__year=year)
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values_list("action", "n")
    )
    axes: dict[int, dict] = {}
    for action in actions:
        axis = axes.setdefault(action.axis_id, {"axis": action.axis, "actions": []})
        axis["actions"].append(
            {
                "action": action,
                "indicators": indicators.get(action.pk, []),
                "updates": updates.get(action.pk, 0),
            }
        )
    return list(axes.values())


def _contributions(actor: Actor, year: int) -> list[tuple[str, list[tuple[str, object]]]]:
    labels = recognition.LABELS
    rows = []
    for figures in recognition.organisations_figures(actor.territory, recognition.Period(year)):
        values = [(labels[name], figures[name]) for name in CONTRIBUTIONS if figures[name]]
        if values:
            rows.append((figures.organisation.name, values))
    return rows


def annual_report(actor: Actor, year: int, *, threshold: int) -> dict:
    """The report's context: every count of people protected, whoever asks."""
    territory = actor.territory
    scope = Scope.of(territory, year)
    previous = scope.previous()
    raw: dict[str, Table] = {}
    tables: dict[str, ShownTable] = {}
    sections = []
    for indicator in INDICATORS:
        raw[indicator.name] = indicator.compute(scope)
        table = shown(raw[indicator.name], threshold=threshold, exact=False)
        before = shown(indicator.compute(previous), threshold=threshold, exact=False)
        tables[indicator.name] = table
        sections.append(Section(table, charts.chart(table, before, year=year, previous_year=year - 1)))
    events_filter = prevention_selectors.EventFilters(year=year)
    trainings_filter = prevention_selectors.TrainingFilters(year=year)
    return {
        "territory": territory,
        "year": year,
        "threshold": threshold,
        "generated_on": timezone.localdate(),
        "key_figures": _key_figures(raw, tables),
        "sections": sections,
        "plan": _plan(actor, year),
        "contributions": _contributions(actor, year),
        "events": list(prevention_selectors.events_listed(actor, events_filter).order_by("held_on", "pk")),
        "event_totals": prevention_selectors.event_totals(actor, events_filter),
        "trainings": list(
            prevention_selectors.trainings_listed(actor, trainings_filter).order_by("held_on", "pk")
        ),
        "training_totals": prevention_selectors.training_totals(actor, trainings_filter),
    }
