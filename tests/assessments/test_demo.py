"""The demo's history holds assessments written through the service: re-assessments, a danger result that
marked its situation and alerted its coordination, a raised override."""

import io

import pytest
from django.core.management import call_command

from maillage.assessments.enums import Level, NotificationKind
from maillage.assessments.models import Assessment, Grid
from maillage.audit.verify import verify_chain
from maillage.notifications.models import Notification


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    return settings.VAR_DIR


def test_the_demo_holds_assessments(db, var_dir):
    call_command("load_demo", situations=40, stdout=io.StringIO())
    assert Grid.objects.count() == 2
    assessments = Assessment.objects.all()
    assert assessments.count() >= 5
    assert {a.grid.code for a in assessments} == {"grille-danger-fr", "dash-2009"}
    per_situation = {}
    for a in assessments:
        per_situation.setdefault(a.situation_id, []).append(a)
    assert any(len(items) >= 2 for items in per_situation.values()), "re-assessments"
    danger = assessments.filter(final_level=Level.HIGH)
    assert danger.exists()
    assert any(a.situation.high_danger and a.situation.proposed_for_meeting for a in danger)
    assert Notification.objects.filter(kind=NotificationKind.DANGER_ASSESSED).exists()
    assert verify_chain().ok
