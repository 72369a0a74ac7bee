"""Following a situation day to day: timeline entries (notes, contacts, appointments, decisions) and
tasks."""

import datetime

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from maillage.situations import policies, selectors
from maillage.situations.enums import ConsentAnswer, ContactChannel, NoteVisibility, TimelineKind
from maillage.situations.models import Situation, Task, TimelineEntry
from maillage.situations.services.checks import require_contributor, require_open, require_visible

BODY_MAX_LENGTH = 5000


def _check_safe_channel(situation: Situation, channel: str) -> None:
    """Refuses a contact through a channel that is not marked safe for every victim of the situation."""
    label = ContactChannel(channel).label
    by_victim = selectors.safe_channels(situation)
    if not by_victim:
        raise DomainError(
            f"Contact par « {label} » refusé : aucune victime n'est enregistrée, donc aucun moyen de "
            "contact n'est indiqué comme sûr. Ajoutez la victime et ses moyens de contact sûrs d'abord."
        )
    for contacts in by_victim.values():
        contact = contacts.get(channel)
        if contact is None or not contact.allowed:
            safe = [c for c in contacts.values() if c.allowed]
            hint = (
                "Moyens indiqués comme sûrs : "
                + ", ".join(
                    ContactChannel(c.channel).label + (f" ({c.safe_hours})" if c.safe_hours else "")
                    for c in sorted(safe, key=lambda c: c.channel)
                )
                + "."
                if safe
                else "Aucun moyen n'est indiqué comme sûr : passez par la coordination."
            )
            raise DomainError(
                f"Contact par « {label} » refusé : ce moyen n'est pas indiqué comme sûr pour la victime "
                f"(l'auteur présumé pourrait en avoir connaissance). {hint}"
            )


@transaction.atomic
def timeline_add(
    *,
    actor: Actor,
    situation: Situation,
    kind: str,
    visibility: str,
    body: str,
    medical: bool = False,
    channel: str = "",
    occurred_on: datetime.date | None = None,
) -> TimelineEntry:
    """A note, contact, appointment or decision. Anyone who sees the situation may add one (including an
    emergency access). Contacts need a channel marked safe; a health organisation's medical entry stays
    within it unless the victim's current consent is `given`."""
    require_visible(actor, situation)
    require_open(situation)
    if kind not in TimelineKind.values:
        raise DomainError("Type d'entrée inconnu.")
    if visibility not in NoteVisibility.values:
        raise DomainError("Choisissez qui pourra lire cette entrée.")
    body = (body or "").strip()
    if not body:
        raise DomainError("Le texte ne peut pas être vide.")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(f"Le texte est limité à {BODY_MAX_LENGTH} caractères : tenez-vous-en aux faits.")
    channel = channel or ""
    if channel and channel not in ContactChannel.values:
        raise DomainError("Moyen de contact inconnu.")
    if kind == TimelineKind.CONTACT and not channel:
        raise DomainError("Indiquez le moyen utilisé pour contacter la victime.")
    if channel:
        _check_safe_channel(situation, channel)
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate() and kind != TimelineKind.APPOINTMENT:
        raise DomainError("Seul un rendez-vous peut être daté dans le futur.")
    organisation = actor.membership.organisation
    if medical and organisation.kind == OrganisationKind.HEALTH:
        consent = selectors.current_consent(situation)
        if consent is None or consent.answer != ConsentAnswer.GIVEN:
            visibility = NoteVisibility.ORGANISATION
    entry = TimelineEntry.objects.create(
        situation=situation,
        kind=kind,
        visibility=visibility,
        medical=bool(medical),
        channel=channel,
        body=body,
        author=actor.membership,
        organisation=organisation,
        occurred_on=occurred_on,
    )
    audit.record(
        actor=actor,
        action=AuditAction.TIMELINE_ADDED,
        obj=situation,
        changes={
            "entry": str(entry.public_id),
            "kind": kind,
            "visibility": visibility,
            "medical": entry.medical,
            "channel": channel,
        },
    )
    return entry


@transaction.atomic
def task_add(
    *, actor: Actor, situation: Situation, title: str, owner: Membership, due_on: datetime.date
) -> Task:
    """A task for someone who sees the situation (checked with the same policy)."""
    require_contributor(actor, situation)
    require_open(situation)
    title = title.strip()
    if not title:
        raise DomainError("Décrivez la tâche en quelques mots.")
    owner = policies.memberships_seeing(situation).select_related("user").filter(pk=owner.pk).first()
    if owner is None:
        raise DomainError("Cette personne n'a pas accès à la situation : choisissez quelqu'un qui la suit.")
    task = Task.objects.create(
        situation=situation, title=title, owner=owner, due_on=due_on, created_by=actor.membership
    )
    audit.record(
        actor=actor,
        action=AuditAction.TASK_ADDED,
        obj=situation,
        changes={"task": str(task.public_id), "owner": owner.user.email, "due_on": due_on},
    )
    return task


@transaction.atomic
def task_done(*, actor: Actor, task: Task) -> Task:
    situation = task.situation
    require_visible(actor, situation)
    if not policies.can_finish_task(actor, task, situation):
        raise PermissionDeniedError("Seule la personne chargée de la tâche ou la coordination peut la clore.")
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.done_at is not None:
        raise DomainError("Cette tâche est déjà terminée.")
    current.done_at = timezone.now()
    current.save(update_fields=["done_at"])
    audit.record(
        actor=actor, action=AuditAction.TASK_DONE, obj=situation, changes={"task": str(current.public_id)}
    )
    return current
