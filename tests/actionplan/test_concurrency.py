"""A form sent twice at the same moment (a double click, a retried call), each request in its own
transaction on its own connection (threads): one progress update, one contribution, one action; the second
request is told it is already there. On PostgreSQL the action's (or the axis') row lock serialises them; on
SQLite the database serialises writers."""

import pytest
from django.utils import timezone

from maillage.actionplan import services
from maillage.actionplan.models import Action, Contribution, ProgressUpdate
from tests.actionplan.worlds import PlanWorld
from tests.concurrency import at_once


@pytest.mark.django_db(transaction=True)
def test_twin_submissions_at_the_same_moment_record_once(transactional_db):
    plan = PlanWorld()
    action = plan.action("gendarmerie")
    gendarme, coordinator = plan.actor("gendarme"), plan.actor("coordinator")

    def progress():
        return services.progress_record(
            actor=gendarme,
            action=action,
            written_on=timezone.localdate(),
            text="Séance faite.",
            status="in_progress",
        )

    def contribution():
        return services.contribution_create(
            actor=gendarme,
            action=action,
            organisation=plan.gendarmerie,
            year=2025,
            kind="staff_hours",
            hours=6,
        )

    def create():
        return services.action_create(
            actor=coordinator, axis=plan.axes[3], title="Réunion de synthèse", lead_organisation=plan.ccas
        )

    for call in (progress, contribution, create):
        results, refused = at_once([call, call], wait_for_sqlite_lock=True)
        assert len(results) == 1 and len(refused) == 1, call
        assert isinstance(refused[0], services.AlreadyRecorded)
        assert refused[0].existing.pk == results[0].pk
    assert ProgressUpdate.objects.count() == 1 and Contribution.objects.count() == 1
    assert Action.objects.filter(title="Réunion de synthèse").count() == 1
    assert plan.action("gendarmerie").version == 2  # moved once, not twice
