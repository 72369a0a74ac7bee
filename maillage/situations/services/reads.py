"""Reads of a situation's data, each recorded in the audit trail on the ground the reader reads it through
(`policies.borrowed_grounds`: break-the-glass, a coordination meeting, or their own): pages and API alike.
The situation page and the API detail are one read (`situation_read`)."""

from uuid import UUID

from django.db import transaction

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.network.actor import Actor
from maillage.situations import policies, selectors
from maillage.situations.models import Situation


def situation_read(*, actor: Actor, public_id: UUID, identities: bool) -> Situation:
    """What the situation page and the API detail show, read once for both: the situation with its rows
    (`selectors.situation_detailed`, with the follow-up); identities when asked for and allowed
    (`policies.can_view_identity`), which `situation.identities_visible` then says; the read recorded.

    Http404 when the situation is missing or hidden from this actor."""
    situation = selectors.situation_detailed(actor, public_id, follow_up=True)
    situation.identities_visible = identities and policies.can_view_identity(actor, situation)
    situation_view_record(actor=actor, situation=situation, identities=situation.identities_visible)
    return situation


@transaction.atomic
def situation_view_record(
    *, actor: Actor, situation: Situation, identities: bool = False, part: str = ""
) -> None:
    """Records a read of the situation: `situation.viewed`, and `situation.identity_viewed` when it showed
    identities. `part` names what was read when it is not the situation page (presentation.READ_PART_LABELS:
    tasks, a person's page…); a part that shows identities (a person's page) is that display alone."""
    borrowed = policies.borrowed_grounds(actor, situation)
    changes = {"emergency": "emergency" in borrowed, **({"part": part} if part else {})}
    if "meeting" in borrowed:
        access = policies.active_meeting_accesses(actor, situation).order_by("-opens_at").first()
        changes |= {"meeting": str(access.reference), "meeting_on": access.meeting_on}
    actions = [] if part and identities else [AuditAction.SITUATION_VIEWED]
    if identities:
        actions.append(AuditAction.SITUATION_IDENTITY_VIEWED)
    for action in actions:
        audit.record(actor=actor, action=action, obj=situation, changes=changes)


@transaction.atomic
def situation_name_search_record(*, actor: Actor, results: int, more: bool = False) -> None:
    """A search by a person's name is a read of nominative data: recorded, without the name. `results` is
    counted up to a cap (`more`: there were more)."""
    changes = {"results": results, **({"more": True} if more else {})}
    audit.record(actor=actor, action=AuditAction.SITUATION_NAME_SEARCHED, changes=changes)
