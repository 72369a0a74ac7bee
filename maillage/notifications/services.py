"""Raising alerts and reading them off. Recipients always come from the target's own access policy (its
reverse side, e.g. situations.policies.memberships_seeing), never from roles alone: the caller passes them."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage.errors import PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import Membership
from maillage.notifications import registry, tasks
from maillage.notifications.models import Notification


def notify(
    *,
    actor: Actor | None,
    recipients: Iterable[Membership],
    kind: str,
    target,
    occasion: datetime.date | None = None,
    urgent: bool = False,
) -> list[Notification]:
    """One alert per recipient membership (never the actor themself), e-mailed once the change is saved.
    The e-mail names nothing: no person, no commune, no pseudonym — only a link to the alert. `urgent` puts it
    first among the unread ones.

    A reminder passes its `occasion` (the date it is about, e.g. a measure's end): a recipient who already
    has this kind of alert about this target for this occasion gets nothing more, so a daily job may run
    twice (ADR 0024). A concurrent run inserting the same row fails on the unique constraint and rolls its
    transaction back: still one alert."""
    registry.kind(kind)
    target_type = target._meta.label_lower
    registry.describer(target_type)
    acting_user_id = actor.user.pk if actor is not None else None
    unique = {m.pk: m for m in recipients if m.user_id != acting_user_id}
    if occasion is not None and unique:
        already = Notification.objects.filter(
            recipient_id__in=unique,
            kind=kind,
            target_type=target_type,
            target_id=target.public_id,
            occasion=occasion,
        ).values_list("recipient_id", flat=True)
        for pk in set(already):
            del unique[pk]
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=m,
                kind=kind,
                target_type=target_type,
                target_id=target.public_id,
                occasion=occasion,
                urgent=urgent,
            )
            for m in unique.values()
        ]
    )
    if notifications:
        # The e-mails leave through the task queue (ADR 0024), enqueued in the caller's transaction: the task
        # row commits with the alerts or not at all (a transactional outbox), and the worker sees it only
        # once the change is saved. Nothing runs after the commit that could fail a request already saved.
        tasks.send_alert_emails.enqueue([str(n.public_id) for n in notifications])
    return notifications


def alert_emails_send(notification_ids: list[str]) -> int:
    """Sends the neutral e-mail of each alert not e-mailed yet; marks each sent, so a task that runs twice
    sends once. The e-mail names nothing: only a link to the alert. Returns how many were sent."""
    subject = (
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + render_to_string("notifications/email/attention_subject.txt").strip()
    )
    sent = 0
    for pk in Notification.objects.filter(
        public_id__in=notification_ids, emailed_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update()
                .select_related("recipient__user")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if notification is None:
                continue
            url = settings.MAILLAGE_BASE_URL + reverse("notifications:open", args=[notification.public_id])
            body = render_to_string("notifications/email/attention_message.txt", {"url": url})
            send_mail(subject, body, None, [notification.recipient.user.email])
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@transaction.atomic
def notification_mark_read(*, actor: Actor, notification: Notification) -> Notification:
    """Opening an alert marks it read. Only its recipient can reach it (views look it up that way)."""
    if notification.recipient_id != actor.membership_pk_or_none():
        raise PermissionDeniedError
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Actor, kind: str | None = None) -> int:
    """Marks read the actor's unread alerts, or those of one kind (a filtered list); returns how many."""
    unread = Notification.objects.unread().filter(recipient_id=actor.membership.pk)
    if kind:
        unread = unread.filter(kind=kind)
    return unread.update(read_at=timezone.now())


def notifications_settle(*, target, kind: str) -> int:
    """Marks read, for everyone, the alerts of this kind about a target that no longer needs attention
    (an emergency access reviewed). Joins the caller's transaction."""
    return Notification.objects.about(target).filter(kind=kind).unread().update(read_at=timezone.now())
