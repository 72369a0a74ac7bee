"""Writes on the minutes (ADR 0034): the coordinator drafts them once the meeting is held (the pseudonymiser
proposes the replacements), reviews the replacements (keeps some as written, masks more), then makes them
final — after which the raw text exists nowhere: the draft is emptied and the meeting's summaries, decisions
and their actions' words in the minutes are the pseudonymised ones. Audited without any text."""

import json

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError
from maillage.meetings import minutes as document
from maillage.meetings.enums import MeetingStatus, MinutesStatus
from maillage.meetings.models import Decision, Meeting, Minutes
from maillage.meetings.services.checks import locked, require_coordinator
from maillage.network.actor import Actor

MAX_ADDED = 50


def draft_of(minutes: Minutes) -> dict:
    return json.loads(minutes.draft) if minutes.draft else {}


def final_of(minutes: Minutes) -> dict:
    return json.loads(minutes.final) if minutes.final else {}


@transaction.atomic
def minutes_draft(*, actor: Actor, meeting: Meeting) -> Minutes:
    """Composes the draft of a held meeting (again, if one exists: the replacements are proposed anew from
    the summaries and decisions as they are now, the earlier choices dropped)."""
    current = locked(actor, meeting, None, statuses=(MeetingStatus.CLOSED,))
    existing = Minutes.objects.select_for_update().filter(meeting=current).first()
    if existing is not None and existing.status == MinutesStatus.FINAL:
        raise DomainError(
            "Le compte rendu de cette réunion est déjà validé : il ne peut plus être recomposé."
        )
    draft = document.compose(current)
    if existing is None:
        minutes = Minutes(meeting=current, drafted_by=actor.membership, drafted_at=timezone.now())
    else:
        minutes = existing
        minutes.drafted_by, minutes.drafted_at = actor.membership, timezone.now()
        minutes.version += 1
    minutes.draft = json.dumps(draft, ensure_ascii=False)
    minutes.save()
    audit.record(
        actor=actor,
        action=AuditAction.MINUTES_DRAFTED,
        obj=current,
        changes={"minutes": str(minutes.public_id), **document.counts(draft)},
    )
    return minutes


def _locked(actor: Actor, minutes: Minutes, version: int | None) -> Minutes:
    require_coordinator(actor)
    current = (
        Minutes.objects.select_for_update()
        .select_related("meeting")
        .get(pk=minutes.pk, meeting__territory_id=actor.territory.pk)
    )
    if current.status != MinutesStatus.DRAFT:
        raise DomainError("Ce compte rendu est validé : il ne peut plus être modifié. Rien n'a été modifié.")
    if version is not None and version != current.version:
        raise ConflictError(
            "Quelqu'un a modifié ce compte rendu pendant que vous le relisiez : rien n'a été enregistré. "
            "Voici son état à jour ; refaites vos choix."
        )
    return current


@transaction.atomic
def minutes_choose(
    *,
    actor: Actor,
    minutes: Minutes,
    kept: set[str],
    added: list[tuple[str, str]],
    version: int | None,
) -> Minutes:
    """The coordinator's review: the replacements left as written (`kept`, by span id), and texts to mask
    everywhere (`added`: text and label). The whole set is given each time (the form shows them all)."""
    current = _locked(actor, minutes, version)
    cleaned = []
    for text, label in added:
        text = (text or "").strip()
        if not text:
            continue
        if len(text) < 2:
            raise DomainError("Un texte à masquer compte au moins deux caractères.")
        if len(text) > document.ADDED_MAX_LENGTH:
            raise DomainError(f"Un texte à masquer est limité à {document.ADDED_MAX_LENGTH} caractères.")
        if label not in document.ADDED_LABELS:
            raise DomainError("Choisissez ce que le texte masqué désigne dans la liste.")
        cleaned.append((text, label))
    if len(cleaned) > MAX_ADDED:
        raise DomainError(f"Au plus {MAX_ADDED} textes à masquer.")
    draft = document.choose(draft_of(current), set(kept), cleaned)
    current.draft = json.dumps(draft, ensure_ascii=False)
    current.version += 1
    current.save()
    audit.record(
        actor=actor,
        action=AuditAction.MINUTES_REVIEWED,
        obj=current.meeting,
        changes={"minutes": str(current.public_id), **document.counts(draft)},
    )
    return current


@transaction.atomic
def minutes_finalise(*, actor: Actor, minutes: Minutes, version: int | None) -> Minutes:
    """Makes the minutes final: the document as it circulates is kept, the draft emptied, and the meeting's
    summaries and decisions rewritten pseudonymised (the raw text is kept nowhere)."""
    current = _locked(actor, minutes, version)
    draft = draft_of(current)
    final = document.final_document(draft)
    items = {str(item.public_id): item for item in current.meeting.items.select_for_update()}
    for entry, written in zip(draft["items"], final["items"], strict=True):
        item = items.get(entry["item"])
        if item is None:
            continue  # taken off the agenda since: nothing of it to rewrite
        item.summary = written["summary"]
        item.version += 1
        item.save(update_fields=["summary", "version"])
        for line, written_line in zip(entry["decisions"], written["decisions"], strict=True):
            decision_id = line["text"]["key"].split(":", 1)[1]
            for decision in Decision.objects.select_for_update().filter(public_id=decision_id, item=item):
                decision.text = written_line["text"]
                decision.save(update_fields=["text"])
    current.final = json.dumps(final, ensure_ascii=False)
    current.draft = ""
    current.status = MinutesStatus.FINAL
    current.finalised_by, current.finalised_at = actor.membership, timezone.now()
    current.version += 1
    current.save()
    audit.record(
        actor=actor,
        action=AuditAction.MINUTES_FINALISED,
        obj=current.meeting,
        changes={"minutes": str(current.public_id), **document.counts(draft)},
    )
    return current


def minutes_exported(*, actor: Actor, minutes: Minutes) -> None:
    """A PDF of the final minutes was produced for `actor`: who took a copy is in the audit trail."""
    audit.record(
        actor=actor,
        action=AuditAction.MINUTES_EXPORTED,
        obj=minutes.meeting,
        changes={"minutes": str(minutes.public_id), "format": "pdf"},
    )
