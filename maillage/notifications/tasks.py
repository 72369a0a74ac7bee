"""The notifications' background task (django-tasks, run by `maillage worker`, ADR 0024)."""

from django_tasks import task


@task()
def send_alert_emails(notification_ids: list[str]) -> int:
    """The neutral e-mails of new alerts: only their public ids travel through the queue."""
    from maillage.notifications.services import alert_emails_send

    return alert_emails_send(notification_ids)
