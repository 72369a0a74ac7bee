"""Running a meeting: the coordinator opens it (the members present who accepted the charter read the
agenda's situations from then on), records attendance, and for each situation a short summary, decisions
each with one action (a task of the situation) and the next review date; then closes it (their access ends
at once). Summaries and decisions are encrypted free text; every write is audited on the situation, without
the text."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError
from maillage.meetings.enums import Attendance, MeetingStatus, MinutesStatus
from maillage.meetings.models import AgendaItem, Decision, Meeting, Minutes
from maillage.meetings.services.access import close_accesses, open_accesses
from maillage.meetings.services.checks import locked
from maillage.meetings.services.meetings import invite
from maillage.network.actor import Actor
from maillage.network.models import Membership
from maillage.situations.policies import memberships_seeing
from maillage.situations.services import situation_meeting_reviewed, task_add

SUMMARY_MAX_LENGTH = 3000
DECISION_MAX_LENGTH = 1000
RECORDING = (MeetingStatus.OPEN, MeetingStatus.CLOSED)


def opens_from(meeting: Meeting) -> datetime.datetime:
    """The earliest a meeting may be opened: its start, less the access margin."""
    return meeting.starts_at - datetime.timedelta(minutes=settings.MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES)


@transaction.atomic
def meeting_open(*, actor: Actor, meeting: Meeting, version: int | None) -> Meeting:
    """Opens the meeting: the agenda's situations open to the members present (or not marked away) who
    accepted the current charter, until it closes or, at the latest, its scheduled end and a margin."""
    current = locked(actor, meeting, version)
    if timezone.now() < opens_from(current):
        start = timezone.localtime(current.starts_at)
        raise DomainError(
            f"La réunion commence le {start:%d/%m/%Y à %H:%M} : vous pourrez l'ouvrir "
            f"{settings.MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES} minutes avant."
        )
    if not current.items.exists():
        raise DomainError(
            "L'ordre du jour est vide : ajoutez au moins une situation avant d'ouvrir la réunion."
        )
    invite(current)
    current.status, current.opened_at = MeetingStatus.OPEN, timezone.now()
    current.version += 1
    current.save()
    open_accesses(actor, current)
    audit.record(
        actor=actor, action=AuditAction.MEETING_OPENED, obj=current, changes={"status": current.status}
    )
    return current


@transaction.atomic
def meeting_close(*, actor: Actor, meeting: Meeting, version: int | None) -> Meeting:
    """Closes the meeting: the members' access through it ends now; their access is what it was."""
    current = locked(actor, meeting, version, statuses=(MeetingStatus.OPEN,))
    close_accesses(actor, current)
    current.status, current.closed_at = MeetingStatus.CLOSED, timezone.now()
    current.version += 1
    current.save()
    audit.record(
        actor=actor, action=AuditAction.MEETING_CLOSED, obj=current, changes={"status": current.status}
    )
    return current


@transaction.atomic
def attendance_record(
    *, actor: Actor, meeting: Meeting, attendance: dict[int, str], version: int | None
) -> Meeting:
    """Attendance by participant membership id (present, excused, absent, or "" not recorded). In an open
    meeting, a member marked away loses the agenda's situations at once, one marked present gains them."""
    current = locked(
        actor, meeting, version, statuses=(MeetingStatus.SCHEDULED, MeetingStatus.OPEN, MeetingStatus.CLOSED)
    )
    participants = {p.membership_id: p for p in current.participants.select_related("membership")}
    changed = []
    for membership_id, value in attendance.items():
        if value not in ("", *Attendance.values):
            raise DomainError("Choisissez présence, absence excusée ou absence.")
        participant = participants.get(membership_id)
        if participant is None:
            raise DomainError("Cette personne n'est pas invitée à la réunion.")
        if participant.attendance != value:
            participant.attendance = value
            participant.save(update_fields=["attendance"])
            changed.append(participant.membership)
    if not changed:
        return current
    current.version += 1
    current.save(update_fields=["version"])
    if current.status == MeetingStatus.OPEN:
        open_accesses(actor, current, memberships=changed)
    counts = {value: 0 for value in Attendance.values}
    for participant in participants.values():
        if participant.attendance:
            counts[participant.attendance] += 1
    audit.record(actor=actor, action=AuditAction.MEETING_ATTENDANCE_RECORDED, obj=current, changes=counts)
    return current


def _locked_item(actor: Actor, item: AgendaItem, version: int | None) -> AgendaItem:
    meeting = locked(actor, item.meeting, None, statuses=RECORDING)
    current = (
        AgendaItem.objects.select_for_update().select_related("situation").get(pk=item.pk, meeting=meeting)
    )
    current.meeting = meeting
    if Minutes.objects.filter(meeting=meeting, status=MinutesStatus.FINAL).exists():
        raise DomainError(
            "Le compte rendu de cette réunion est validé : ses synthèses et décisions ne changent plus. "
            "Rien n'a été enregistré."
        )
    if version is not None and version != current.version:
        raise ConflictError(
            f"Quelqu'un a modifié l'examen de {current.situation.pseudonym} pendant que vous le lisiez : "
            "rien n'a été enregistré. Voici son état à jour ; reprenez votre texte ci-dessous."
        )
    return current


def _reviewed(actor: Actor, item: AgendaItem, **facts) -> None:
    """The item is examined: dated once, and recorded on its situation (which leaves the next agenda's
    proposals)."""
    if item.reviewed_at is None:
        item.reviewed_at = timezone.now()
    item.version += 1
    item.save()
    situation_meeting_reviewed(
        actor=actor,
        situation=item.situation,
        reference=item.meeting.public_id,
        meeting_on=timezone.localtime(item.meeting.starts_at).date(),
        facts={"item": str(item.public_id), **facts},
    )


@transaction.atomic
def item_record(
    *,
    actor: Actor,
    item: AgendaItem,
    summary: str,
    next_review_on: datetime.date | None,
    version: int | None,
) -> AgendaItem:
    """The short summary of what was said about the situation, and when to examine it again."""
    current = _locked_item(actor, item, version)
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise DomainError(
            f"La synthèse est limitée à {SUMMARY_MAX_LENGTH} caractères : l'essentiel seulement."
        )
    day = timezone.localtime(current.meeting.starts_at).date()
    if next_review_on is not None and next_review_on <= day:
        raise DomainError("La date du prochain examen doit suivre celle de la réunion.")
    if not summary and next_review_on is None:
        raise DomainError("Écrivez une synthèse ou indiquez la date du prochain examen.")
    current.summary, current.next_review_on = summary, next_review_on
    _reviewed(actor, current, next_review_on=next_review_on, summary_written=bool(summary))
    return current


def owners_for(item: AgendaItem):
    """Who may be given a decision's action: those who see the situation on their own ground (not through
    the meeting, which ends, nor break-the-glass)."""
    return memberships_seeing(item.situation, borrowed=False).select_related("user", "organisation")


@transaction.atomic
def decision_add(
    *,
    actor: Actor,
    item: AgendaItem,
    text: str,
    action: str,
    owner: Membership,
    due_on: datetime.date,
) -> Decision:
    """A decision about the situation and its one action, which becomes a task of the situation."""
    current = _locked_item(actor, item, None)
    text = (text or "").strip()
    if not text:
        raise DomainError("Écrivez la décision.")
    if len(text) > DECISION_MAX_LENGTH:
        raise DomainError(f"Une décision est limitée à {DECISION_MAX_LENGTH} caractères.")
    if not owners_for(current).filter(pk=owner.pk).exists():
        raise DomainError(
            "Cette personne ne suit pas la situation : confiez l'action à quelqu'un qui la suit (ou ajoutez "
            "d'abord son organisation au suivi)."
        )
    if due_on < timezone.localdate():
        raise DomainError("L'échéance de l'action est passée : choisissez une date à venir.")
    task = task_add(actor=actor, situation=current.situation, title=action, owner=owner, due_on=due_on)
    decision = Decision.objects.create(item=current, text=text, task=task, created_by=actor.membership)
    _reviewed(actor, current, decision=str(decision.public_id), task=str(task.public_id))
    return decision
