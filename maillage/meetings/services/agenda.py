"""A meeting's agenda: proposed from what needs examining (selectors.agenda_proposals), then edited by the
coordinator — a situation added by its pseudonym, taken off, moved up or down. While the meeting is open, a
situation added is opened to the members present at once, and one taken off is closed at once."""

from django.db import transaction
from django.db.models import Max

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError
from maillage.meetings import selectors
from maillage.meetings.enums import AgendaReason, MeetingStatus
from maillage.meetings.models import AgendaItem, Meeting
from maillage.meetings.services.access import close_accesses, open_accesses
from maillage.meetings.services.checks import locked
from maillage.network.actor import Actor
from maillage.situations.enums import SituationStatus
from maillage.situations.models import Situation

EDITABLE = (MeetingStatus.SCHEDULED, MeetingStatus.OPEN)


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1


def _record(actor: Actor, meeting: Meeting, change: str, situations) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_AGENDA_CHANGED,
        obj=meeting,
        changes={"change": change, "situations": [str(s.public_id) for s in situations]},
    )


def propose(actor: Actor, meeting: Meeting) -> int:
    """Adds what needs examining and is not on the agenda yet, most reasons first; returns how many."""
    proposals = selectors.agenda_proposals(actor, meeting)
    situations = Situation.objects.in_bulk(list(proposals))
    position = _next_position(meeting)
    ordered = sorted(proposals.items(), key=lambda pair: (-len(pair[1]), situations[pair[0]].pseudonym))
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                situation_id=pk,
                position=position + rank,
                reasons=reasons,
                added_by=actor.membership,
            )
            for rank, (pk, reasons) in enumerate(ordered)
        ]
    )
    if ordered:
        _record(actor, meeting, "proposed", [situations[pk] for pk, _reasons in ordered])
    return len(ordered)


def _locked(actor: Actor, meeting: Meeting, version: int | None) -> Meeting:
    return locked(actor, meeting, version, statuses=EDITABLE)


@transaction.atomic
def agenda_propose(*, actor: Actor, meeting: Meeting) -> int:
    """Completes the agenda with what needs examining now (a situation taken off may come back)."""
    current = _locked(actor, meeting, None)
    added = propose(actor, current)
    if added and current.status == MeetingStatus.OPEN:
        open_accesses(
            actor, current, situations=[i.situation for i in current.items.filter(reviewed_at=None)]
        )
    return added


@transaction.atomic
def agenda_item_add(*, actor: Actor, meeting: Meeting, pseudonym: str) -> AgendaItem:
    """Adds a situation the coordinator sees, by its pseudonym. A restricted situation is examined
    elsewhere (the meeting never opens it); a closed one is not examined."""
    current = _locked(actor, meeting, None)
    situation = (
        Situation.objects.visible_to(actor).filter(pseudonym=(pseudonym or "").strip().upper()).first()
    )
    if situation is None:
        raise DomainError("Aucune situation ne porte ce pseudonyme parmi celles que vous voyez.")
    if situation.restricted:
        raise DomainError(
            f"{situation.pseudonym} est à accès restreint : la cellule de suivi ne l'ouvre pas à ses "
            "membres. Examinez-la avec les seules personnes nommées."
        )
    if situation.status == SituationStatus.CLOSED:
        raise DomainError(f"{situation.pseudonym} est clôturée : rouvrez-la pour l'examiner.")
    if current.items.filter(situation=situation).exists():
        raise DomainError(f"{situation.pseudonym} est déjà à l'ordre du jour.")
    item = AgendaItem.objects.create(
        meeting=current,
        situation=situation,
        position=_next_position(current),
        reasons=[AgendaReason.ADDED],
        added_by=actor.membership,
    )
    _record(actor, current, "added", [situation])
    if current.status == MeetingStatus.OPEN:
        open_accesses(actor, current, situations=[situation])
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Actor, item: AgendaItem) -> None:
    """Takes a situation off the agenda (not once examined); in an open meeting its members lose it now."""
    current = _locked(actor, item.meeting, None)
    item = AgendaItem.objects.select_for_update().select_related("situation").get(pk=item.pk, meeting=current)
    if item.reviewed_at is not None:
        raise DomainError(f"{item.situation.pseudonym} a déjà été examinée : elle reste au compte rendu.")
    if current.status == MeetingStatus.OPEN:
        close_accesses(actor, current, situations=[item.situation])
    _record(actor, current, "removed", [item.situation])
    item.delete()


@transaction.atomic
def agenda_item_move(*, actor: Actor, item: AgendaItem, up: bool) -> None:
    """Swaps the item with the one before (or after) it."""
    current = _locked(actor, item.meeting, None)
    items = list(current.items.select_for_update().order_by("position", "pk"))
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        raise DomainError("Ce point n'est plus à l'ordre du jour.")
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    # Positions are renumbered in order, so that equal positions never leave a move without effect.
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row.version += 1
            row.save(update_fields=["position", "version"])
