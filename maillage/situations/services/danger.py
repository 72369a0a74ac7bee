"""A situation's danger flags, set by the feature that assesses danger (the assessments app calls this;
situations imports no feature app): `high_danger` and `proposed_for_meeting` (read by the meetings app)."""

from django.db import transaction
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.network.actor import Actor
from maillage.situations.models import Situation
from maillage.situations.services.checks import require_contributor
from maillage.situations.services.lifecycle import locked, save_versioned, snapshot


@transaction.atomic
def situation_danger_set(*, actor: Actor, situation: Situation, high_danger: bool) -> bool:
    """Marks the situation high-danger or not, as its latest danger assessment says; when it becomes
    high-danger it is also proposed for the next coordination meeting (today's date, kept until the meetings
    app takes it up). Returns True when the situation has just become high-danger (the caller alerts then,
    once). A versioned save: a form of the situation read before is told what changed."""
    require_contributor(actor, situation)
    current = locked(situation)
    became = high_danger and not current.high_danger
    before = snapshot(current, "high_danger", "proposed_for_meeting")
    current.high_danger = high_danger
    if became and current.proposed_for_meeting is None:
        current.proposed_for_meeting = timezone.localdate()
    save_versioned(actor=actor, situation=current, before=before, action=AuditAction.SITUATION_DANGER_SET)
    situation.high_danger = current.high_danger
    situation.proposed_for_meeting = current.proposed_for_meeting
    situation.version = current.version
    return became
