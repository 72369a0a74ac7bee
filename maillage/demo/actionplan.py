"""The contract's action plan in the demonstration (docs/decisions/0035-action-plan.md), written through the
action plan's services at their moment of the history, under the demo clock (planned on the same history as
the situations, so the audit trail stays in time order).

About two years ago the coordinator creates the contract's seven axes, then over the following weeks the
plan's actions (demo/fixtures/demo_action_plan.json): each with its lead and partner organisations, its
dates, its indicators and its budget lines. Then two years of work: members of each lead organisation write
progress updates at their dates (moving the status: started, postponed and taken up again, done, one
abandoned) and the values reached; each partner's contribution (money, staff hours, premises, in kind) is
recorded in December for last year and a few days ago for this year — its own by the lead, the others' by
the coordinator; the coordinator budgets each year in January and records what was spent. One action,
decided recently, has not started. Everything is a fixed schedule counted back from the day of loading:
nothing is drawn, so the rest of the demo does not change."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from maillage.actionplan import services
from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, Axis, BudgetLine, ProgressUpdate
from maillage.network.actor import Actor

ACTION_PLAN_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_action_plan.json"
DAY = datetime.timedelta(days=1)
BUDGET_DAY = (1, 10)  # each year's budget, on 10 January
CONTRIBUTIONS_DAY = (12, 10)  # a year's contributions, on 10 December
SPENT_DAY = (12, 15)  # what a year spent, on 15 December
RECENT = {"contributions": 5, "spent": 3}  # this year's, a few days before loading


class DemoActionPlan:
    """Planned on `DemoSituations`' history (mixed into it)."""

    def plan_action_plan(self) -> None:
        data = json.loads(ACTION_PLAN_FILE.read_text(encoding="utf-8"))
        self.plan_coordinator = self.cast.by_email[data["coordinator"]]
        self.plan_actions: dict[int, Action] = {}
        self.plan_indicators: dict[tuple[int, str], object] = {}
        self.plan_lines: dict[tuple[int, str, int], BudgetLine] = {}
        self.plan_today = self.now.date()
        self.plan_at(self.plan_today - data["plan_created_days_ago"] * DAY, 9, self.plan_axes_create)
        for index, spec in enumerate(data["actions"]):
            created = self.plan_today - spec["created"] * DAY
            self.plan_at(created, 10, lambda i=index, s=spec: self.plan_action_create(i, s))
            self.plan_budget(index, spec, created)
            self.plan_contributions(index, spec, created)
            for days_ago, status, text, actuals in spec["updates"]:
                self.plan_at(
                    self.plan_today - days_ago * DAY,
                    16,
                    lambda i=index, s=spec, d=days_ago, st=status, t=text, a=actuals: self.plan_progress(
                        i, s, self.plan_today - d * DAY, st, t, a
                    ),
                )

    # ---------------------------------------------------------------------------------------- timing

    def plan_at(self, day: datetime.date, hour: int, run) -> None:
        self.history.at(datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz), run)

    def plan_year_day(self, year: int, month_day: tuple[int, int], *, after: datetime.date, recent: int):
        """The day of `year` at `month_day`, or `recent` days ago if it has not come yet; never before
        `after` (the day the action or its line was created)."""
        day = datetime.date(year, *month_day)
        if day >= self.plan_today:
            day = self.plan_today - recent * DAY
        return max(day, after)

    def plan_years(self, offsets) -> list[tuple[int, int]]:
        """(offset, calendar year) for each of the spec's year offsets (-1: last year, 0: this year)."""
        return [(offset, self.plan_today.year + offset) for offset in offsets]

    def plan_author(self, spec: dict) -> Actor:
        return self.cast.by_email[spec["author"]]

    # ----------------------------------------------------------------------------------------- steps

    def plan_axes_create(self) -> None:
        services.axes_create_default(actor=self.plan_coordinator)

    def plan_action_create(self, index: int, spec: dict) -> None:
        organisations = self.cast.organisations
        today = self.plan_today
        action = services.action_create(
            actor=self.plan_coordinator,
            axis=Axis.objects.get(territory=self.territory, number=spec["axis"]),
            title=spec["title"],
            description=spec["description"],
            lead_organisation=organisations[spec["lead"]],
            partners=[organisations[name] for name in spec["partners"]],
            starts_on=today - spec["starts"] * DAY,
            ends_on=today - spec["ends"] * DAY,
        )
        self.plan_actions[index] = action
        for indicator in spec["indicators"]:
            self.plan_indicators[(index, indicator["label"])] = services.indicator_create(
                actor=self.plan_coordinator, action=action, **indicator
            )

    def plan_budget(self, index: int, spec: dict, created: datetime.date) -> None:
        for line in spec["budget"]:
            for offset, year in self.plan_years((-1, 0)):
                planned, spent = line["planned"][offset + 1], line["spent"][offset + 1]
                if planned is None:
                    continue
                budgeted = self.plan_year_day(year, BUDGET_DAY, after=created, recent=1)
                key = (index, line["label"], year)
                self.plan_at(
                    budgeted,
                    11,
                    lambda i=index, k=key, p=planned: self.plan_line_create(i, k, p),
                )
                if spent is not None:
                    day = self.plan_year_day(year, SPENT_DAY, after=budgeted, recent=RECENT["spent"])
                    self.plan_at(day, 17, lambda k=key, s=spent: self.plan_line_spent(k, s))

    def plan_line_create(self, index: int, key: tuple, planned) -> None:
        _index, label, year = key
        self.plan_lines[key] = services.budget_line_create(
            actor=self.plan_coordinator,
            action=self.plan_actions[index],
            year=year,
            label=label,
            planned=planned,
        )

    def plan_line_spent(self, key: tuple, spent) -> None:
        services.budget_line_update(actor=self.plan_coordinator, line=self.plan_lines[key], spent=spent)

    def plan_contributions(self, index: int, spec: dict, created: datetime.date) -> None:
        for contribution in spec["contributions"]:
            for _offset, year in self.plan_years(contribution["years"]):
                day = self.plan_year_day(
                    year, CONTRIBUTIONS_DAY, after=created, recent=RECENT["contributions"]
                )
                self.plan_at(
                    day,
                    15,
                    lambda i=index, s=spec, c=contribution, y=year: self.plan_contribution(i, s, c, y),
                )

    def plan_contribution(self, index: int, spec: dict, contribution: dict, year: int) -> None:
        own = contribution["organisation"] == spec["lead"]
        services.contribution_create(
            actor=self.plan_author(spec) if own else self.plan_coordinator,
            action=self.plan_actions[index],
            organisation=self.cast.organisations[contribution["organisation"]],
            year=year,
            kind=ContributionKind(contribution["kind"]),
            amount=contribution.get("amount"),
            hours=contribution.get("hours"),
            description=contribution.get("description", ""),
        )

    def plan_progress(self, index, spec, written_on, status, text, actuals) -> None:
        author = self.plan_author(spec)
        action = Action.objects.get(pk=self.plan_actions[index].pk)
        services.progress_record(actor=author, action=action, written_on=written_on, text=text, status=status)
        for label, actual in actuals.items():
            services.indicator_update(
                actor=author, indicator=self.plan_indicators[(index, label)], actual=actual
            )

    # --------------------------------------------------------------------------------------- summary

    def action_plan_summary(self) -> dict:
        actions = Action.objects.filter(territory=self.territory)
        updates = ProgressUpdate.objects.filter(action__in=actions)
        first = updates.order_by("written_on").first()
        return {
            "axes": Axis.objects.filter(territory=self.territory).count(),
            "actions": actions.count(),
            "updates": updates.count(),
            "since": first.written_on if first else None,
        }
