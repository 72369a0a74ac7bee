"""Reads of a situation's data, recorded in the audit trail like any change."""

from django.db import transaction

from maillage import audit
from maillage.accounts.actor import Actor
from maillage.audit.enums import AuditAction
from maillage.situations.models import Situation

VIEW_ACTIONS = {"page": AuditAction.SITUATION_VIEWED, "identity": AuditAction.SITUATION_IDENTITY_VIEWED}


@transaction.atomic
def record_view(
    actor: Actor, situation: Situation, what: str = "page", *, emergency: bool, part: str = ""
) -> None:
    """Every read of a situation (page or API), and every display of its identities, joins the audit trail.
    `emergency`: read through a break-the-glass access (`policies.reads_through_emergency`); `part`: what
    was read when it is not the situation itself (presentation.READ_PART_LABELS: tasks, a person's page…)."""
    changes = {"emergency": emergency, **({"part": part} if part else {})}
    audit.record(actor=actor, action=VIEW_ACTIONS[what], obj=situation, changes=changes)


@transaction.atomic
def record_name_search(actor: Actor, *, results: int) -> None:
    """A search by a person's name is a read of nominative data: recorded, without the name."""
    audit.record(actor=actor, action=AuditAction.SITUATION_NAME_SEARCHED, changes={"results": results})
