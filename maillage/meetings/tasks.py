"""The meetings' background task (django-tasks, run by `maillage worker`, ADR 0024)."""

from django_tasks import task


@task()
def send_invitations(meeting_id: str) -> int:
    """The invitation e-mails of a meeting (or its update, or its cancellation): only its public id travels
    through the queue."""
    from maillage.meetings.invitations import invitations_send

    return invitations_send(meeting_id)
