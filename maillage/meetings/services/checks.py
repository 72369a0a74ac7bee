"""Checks every meetings service makes itself, whatever the caller already checked."""

from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.meetings import policies
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import Meeting
from maillage.network.actor import Actor


def require_coordinator(actor: Actor) -> None:
    if not policies.can_manage(actor):
        raise PermissionDeniedError("Cette action est réservée à la coordination.")


def locked(
    actor: Actor, meeting: Meeting, version: int | None, *, statuses=(MeetingStatus.SCHEDULED,)
) -> Meeting:
    """Locks the meeting, checks who acts, its state, then the version the person read."""
    require_coordinator(actor)
    current = Meeting.objects.select_for_update().get(pk=meeting.pk, territory_id=actor.territory.pk)
    if current.status not in statuses:
        raise DomainError(
            f"Cette réunion est « {current.get_status_display().lower()} » : cette action n'est plus "
            "possible. Rien n'a été modifié."
        )
    if version is not None and version != current.version:
        raise ConflictError(
            "Quelqu'un a modifié cette réunion pendant que vous la lisiez : rien n'a été enregistré. "
            "Voici son état à jour ; vérifiez puis recommencez."
        )
    return current
