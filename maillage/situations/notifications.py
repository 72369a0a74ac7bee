"""Telling people that a situation needs them: an in-application alert and a neutral e-mail.

The e-mail names nothing (DOMAIN.md §4): no person, no commune, no pseudonym, no sensitive word in the
subject — only a link to the alert, which opens once signed in with the second factor.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage.errors import PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations.models import Notification, NotificationKind, Situation

# Roles that receive alerts: only they get the unread badge (one query per page).
RECEIVING_ROLES = (Role.COORDINATOR, Role.REFERENT, Role.DPO)


def members_with_role(territory_id: int, role: str):
    return Membership.objects.active().filter(territory_id=territory_id, role_set__role=role)


def commune_referents(commune_id: int):
    return Membership.objects.active().filter(
        referent_of__commune_id=commune_id, role_set__role=Role.REFERENT
    )


def notify(
    *,
    situation: Situation,
    recipients: Iterable[Membership],
    kind: str,
    emergency_access=None,
    actor: Actor | None = None,
) -> list[Notification]:
    """One alert per recipient membership (never the actor themself), e-mailed once the change is saved."""
    acting_user_id = actor.user.pk if actor is not None else None
    unique = {m.pk: m for m in recipients if m.user_id != acting_user_id}
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=m, situation=situation, kind=kind, emergency_access=emergency_access)
            for m in unique.values()
        ]
    )
    if notifications:
        emails = dict(
            Membership.objects.filter(pk__in=unique).values_list("pk", "user__email"),
        )
        # The public id is set in Python, so it is known whatever bulk_create returns.
        messages = [(emails[n.recipient_id], n.public_id) for n in notifications]
        transaction.on_commit(lambda: _send_emails(messages))
    return notifications


def referents_of_communes(territory_id: int, commune_ids: Iterable[int]) -> list[Membership]:
    """Active commune referents of these communes, with what their actor needs (roles, communes)."""
    return list(
        Membership.objects.active()
        .filter(
            territory_id=territory_id, role_set__role=Role.REFERENT, referent_of__commune_id__in=commune_ids
        )
        .select_related("user", "organisation", "territory")
        .prefetch_related("role_set", "referent_of")
        .distinct()
    )


def able_to_open(memberships: Iterable[Membership], situation: Situation) -> set[int]:
    """The memberships (pks) that may open the situation now, each checked with the one policy."""
    return {
        m.pk
        for m in memberships
        if Situation.objects.visible_to(Actor.from_membership(m.user, m)).filter(pk=situation.pk).exists()
    }


def notify_commune_move(
    *, actor: Actor, situation: Situation, referents: list[Membership], able_before: set[int]
) -> None:
    """After a move to another commune: referents (of either commune) who can now open the situation are
    told it came into their communes; those who no longer can, that one left — an alert that names nothing,
    since they cannot open it any more. Whoever keeps it (assigned referent, named user) hears nothing."""
    able_after = able_to_open(referents, situation)
    for kind, gone_or_come in (
        (NotificationKind.SITUATION_MOVED_IN, able_after - able_before),
        (NotificationKind.SITUATION_MOVED_OUT, able_before - able_after),
    ):
        recipients = [m for m in referents if m.pk in gone_or_come]
        notify(situation=situation, recipients=recipients, kind=kind, actor=actor)


def _send_emails(messages: list[tuple[str, object]]) -> None:
    subject = (
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + render_to_string("situations/email/attention_subject.txt").strip()
    )
    for email, public_id in messages:
        url = settings.MAILLAGE_BASE_URL + reverse("situations:notification_open", args=[public_id])
        body = render_to_string("situations/email/attention_message.txt", {"url": url})
        send_mail(subject, body, None, [email])


def receives_notifications(actor: Actor | None) -> bool:
    return actor is not None and actor.is_member and actor.has_role(*RECEIVING_ROLES)


def unread_count(actor: Actor) -> int:
    if not receives_notifications(actor):
        return 0
    return Notification.objects.unread().filter(recipient_id=actor.membership.pk).count()


def notifications_of(actor: Actor):
    """The actor's alerts, newest first, each with `pseudonym_shown`: its situation's pseudonym if the actor
    can still open it, else "" — decided in the same query by the one policy (`visible_to`). An alert about a
    situation they lost (restriction, move, exclusion, end of an emergency access…) keeps its date and kind
    only. The DPO's break-the-glass alerts stay whole: the DPO reviews them without seeing situations."""
    shown = Q(Exists(Situation.objects.visible_to(actor).filter(pk=OuterRef("situation_id"))))
    if actor.has_role(Role.DPO):
        shown |= Q(kind=NotificationKind.EMERGENCY_ACCESS)
    return Notification.objects.filter(recipient_id=actor.membership.pk).annotate(
        pseudonym_shown=Case(When(shown, then=F("situation__pseudonym")), default=Value(""))
    )


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
def notifications_mark_all_read(*, actor: Actor) -> int:
    return (
        Notification.objects.unread().filter(recipient_id=actor.membership.pk).update(read_at=timezone.now())
    )
