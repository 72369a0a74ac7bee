"""What the plan's pages and the API read, always from the policy (`actions_visible_to`): the actions with
their progress at a glance (last update, indicators whose target is reached), and one action whole."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from maillage.actionplan import policies
from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, Indicator, ProgressUpdate
from maillage.network.actor import Actor


def _count(queryset):
    counted = queryset.order_by().values("action").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_progress(actions):
    """Adds `last_update_on` (the latest progress update's date), `targets` (indicators with a target) and
    `targets_reached` (their actual value at or above it): subqueries, one query for the whole list."""
    indicators = Indicator.objects.filter(action=OuterRef("pk"), target__isnull=False)
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-written_on", "-pk")
    return actions.annotate(
        last_update_on=Subquery(latest.values("written_on")[:1]),
        targets=_count(indicators),
        targets_reached=_count(indicators.filter(actual__gte=F("target"))),
    )


def actions_listed(actor: Actor, *, axis=None, status: str = "", lead=None):
    """The actor's plan, narrowed by axis, status or lead organisation, in the plan's order."""
    actions = policies.actions_visible_to(actor)
    if axis is not None:
        actions = actions.filter(axis=axis)
    if status:
        actions = actions.filter(status=status)
    if lead is not None:
        actions = actions.filter(lead_organisation=lead)
    return with_progress(actions.select_related("axis", "lead_organisation")).order_by(
        "axis__number", "title", "pk"
    )


def action_detailed(action: Action) -> dict:
    """Everything an action's page shows, in one query per kind of row (partners, indicators, budget
    lines, contributions, progress updates), with the budget's totals per year and the contributions'
    totals per kind."""
    budget_lines = list(action.budget_lines.order_by("year", "pk"))
    contributions = list(
        action.contributions.select_related("organisation").order_by("year", "organisation__name", "pk")
    )
    budget: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"planned": Decimal(0), "spent": Decimal(0)})
    for line in budget_lines:
        budget[line.year]["planned"] += line.planned
        budget[line.year]["spent"] += line.spent or 0
    money = sum((c.amount or 0 for c in contributions if c.kind != ContributionKind.STAFF_HOURS), Decimal(0))
    hours = sum((c.hours or 0 for c in contributions), Decimal(0))
    return {
        "partners": list(action.partners.order_by("name")),
        "indicators": list(action.indicators.order_by("pk")),
        "budget_lines": budget_lines,
        "budget_by_year": sorted(budget.items()),
        "contributions": contributions,
        "contributed_money": money,
        "contributed_hours": hours,
        "progress_updates": list(
            action.progress_updates.select_related("author__user", "author__organisation").order_by(
                "-written_on", "-pk"
            )
        ),
    }
