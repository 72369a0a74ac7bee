"""Reading alerts: the list of a membership's alerts, each described by its target's app for this reader."""

from itertools import groupby

from django.db.models import Case, Value, When

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.notifications import registry
from maillage.notifications.models import Notification

# Roles that receive alerts: only they get the unread badge (one query per page).
RECEIVING_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.DPO)


def receives_notifications(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member and actor.has_role(*RECEIVING_ROLES)


def unread_count(actor: Actor) -> int:
    if not receives_notifications(actor):
        return 0
    return Notification.objects.unread().filter(recipient_id=actor.membership.pk).count()


def notifications_of(actor: Actor, *, kind: str | None = None, unread: bool = False):
    """The actor's alerts, the unread urgent ones first, then newest first; narrowed to one kind and/or to the
    unread ones when asked."""
    unread_urgent = Case(When(read_at__isnull=True, urgent=True, then=Value(0)), default=Value(1))
    notifications = Notification.objects.filter(recipient_id=actor.membership.pk).order_by(
        unread_urgent, "-created_at", "-pk"
    )
    if kind:
        notifications = notifications.filter(kind=kind)
    if unread:
        notifications = notifications.unread()
    return notifications


def latest_unread(actor: Actor, limit: int) -> list[Notification]:
    """The actor's newest unread alerts, described (`described`); none for roles that receive no alert."""
    if not receives_notifications(actor):
        return []
    return described(actor, notifications_of(actor).unread()[:limit])


def described(actor: Actor, notifications) -> list[Notification]:
    """The alerts with `label` and `url` set from their targets as this reader may see them now (one query per
    kind of target on the page): an alert about a target the reader can no longer open keeps its date and
    kind only (`label` and `url` None)."""
    notifications = list(notifications)
    by_type = sorted(notifications, key=lambda n: n.target_type)
    descriptions = {}
    for target_type, group in groupby(by_type, key=lambda n: n.target_type):
        ids = {n.target_id for n in group}
        descriptions[target_type] = registry.describer(target_type)(actor, ids)
    for notification in notifications:
        found = descriptions[notification.target_type].get(notification.target_id)
        notification.label = found.label if found else None
        notification.url = found.url if found else None
        # Shown as its target is now (a situation out of danger loses its tag; the order keeps the flag).
        notification.urgent = found.urgent if found else False
        notification.kind_label = registry.label(notification.kind)
        notification.gone = registry.gone(notification.target_type)
    return notifications
