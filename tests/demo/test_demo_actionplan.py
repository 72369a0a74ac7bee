"""The demonstration's action plan (issue 14, item 5): the contract's seven axes, its actions with lead and
partner organisations, indicators, budget lines and each partner's contributions for two years, and two years
of progress updates written by members of the lead organisations through the services, at their dates."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from maillage.actionplan import policies
from maillage.actionplan.enums import DEFAULT_AXES, ActionStatus, ContributionKind
from maillage.actionplan.models import Action, Axis, BudgetLine, Contribution, Indicator, ProgressUpdate
from maillage.audit.models import AuditEntry
from maillage.audit.verify import verify_chain
from maillage.network.actor import Actor

pytestmark = pytest.mark.whole_app


@pytest.fixture(scope="module")
def demo(built_once, tmp_path_factory):
    """The demo with a few situations (the plan does not depend on them), loaded once for the module."""

    var_dir = tmp_path_factory.mktemp("demo") / "var"

    def load():
        out = io.StringIO()
        with override_settings(VAR_DIR=var_dir, DEMO_MODE=True):
            call_command("load_demo", situations=12, stdout=out)
        return out.getvalue()

    with built_once(load) as output:
        yield output


@pytest.fixture
def actions(demo, db):
    return Action.objects.filter(territory__name="Pays des Herbiers")


def test_the_contracts_axes_and_its_actions(demo, actions):
    axes = Axis.objects.filter(territory__name="Pays des Herbiers").order_by("number")
    assert [axis.title for axis in axes] == list(DEFAULT_AXES)
    assert 12 <= actions.count() <= 15
    assert {action.axis.number for action in actions} == set(range(1, 8))
    assert len({action.lead_organisation_id for action in actions}) >= 8
    assert all(action.partners.exists() for action in actions)
    statuses = Counter(actions.values_list("status", flat=True))
    assert set(statuses) == {
        ActionStatus.PLANNED,
        ActionStatus.IN_PROGRESS,
        ActionStatus.DONE,
        ActionStatus.ABANDONED,
    }
    assert statuses[ActionStatus.IN_PROGRESS] >= 6
    assert f"Plan d'action du contrat : {actions.count()} actions sur 7 axes" in demo
    assert not Action.objects.filter(territory__name="Pays de Pouzauges").exists()


def test_two_years_of_progress_written_by_the_lead_organisations(actions):
    today = timezone.localdate()
    updates = ProgressUpdate.objects.filter(action__in=actions).select_related(
        "action", "author__organisation"
    )
    assert updates.count() >= 50
    first = min(update.written_on for update in updates)
    assert today - datetime.timedelta(days=730) <= first <= today - datetime.timedelta(days=650)
    assert max(update.written_on for update in updates) >= today - datetime.timedelta(days=10)
    for years_ago in range(2):
        end = today - datetime.timedelta(days=365 * years_ago)
        year = [u for u in updates if end - datetime.timedelta(days=365) <= u.written_on < end]
        assert len(year) >= 15, years_ago
    for update in updates:
        author = update.author
        actor = Actor.from_membership(author.user, author, [author])
        assert policies.can_update(actor, update.action), update
        assert author.organisation_id == update.action.lead_organisation_id or policies.edits_plan(actor)
    # A postponed action taken up again, one abandoned, each step through the status machine.
    assert updates.filter(status=ActionStatus.POSTPONED).count() == 2
    assert updates.filter(status=ActionStatus.ABANDONED).count() == 1
    # Recorded through the service, at their date (the demo clock).
    entries = AuditEntry.objects.filter(action="actionplan.progress_recorded")
    assert entries.count() == updates.count()
    for entry in entries.order_by("sequence")[:20]:
        assert timezone.localdate(entry.created_at).isoformat() == entry.changes["written_on"]


def test_indicators_budget_and_contributions_for_two_years(actions):
    year = timezone.localdate().year
    indicators = Indicator.objects.filter(action__in=actions)
    assert indicators.count() >= 20
    assert indicators.exclude(actual=None).count() >= 18
    assert indicators.filter(actual__gte=F("target")).exists()
    lines = BudgetLine.objects.filter(action__in=actions)
    assert set(lines.values_list("year", flat=True)) == {year - 1, year}
    assert not lines.filter(year=year - 1, spent=None).exists()
    contributions = Contribution.objects.filter(action__in=actions)
    assert set(contributions.values_list("year", flat=True)) == {year - 1, year}
    assert set(contributions.values_list("kind", flat=True)) == set(ContributionKind.values)
    assert contributions.values("organisation").distinct().count() >= 12
    for contribution in contributions:
        if contribution.kind == ContributionKind.MONEY:
            assert contribution.amount and contribution.hours is None
        elif contribution.kind == ContributionKind.STAFF_HOURS:
            assert contribution.hours and contribution.amount is None
        else:
            assert contribution.description
    # The lead records its own contributions; the coordinator the others'.
    coordinator = "claire.mercier@exemple.fr"
    for contribution in contributions.select_related("action", "recorded_by__user"):
        if contribution.organisation_id == contribution.action.lead_organisation_id:
            assert contribution.recorded_by.organisation_id == contribution.organisation_id
        else:
            assert contribution.recorded_by.user.email == coordinator
    assert contributions.exclude(recorded_by__user__email=coordinator).count() >= 10


def test_the_audit_trail_stays_in_time_order(actions):
    times = list(AuditEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert verify_chain().ok
