"""Changes of the roles that open nominative data or act territory-wide: requests, decisions, alerts.

The rule (policies.role_change_decision, docs/decisions/0012-who-changes-roles.md): a grant of professional,
referent or housing manager made by anyone but the territory's coordinator becomes a pending `RoleChange`
that a coordinator approves or refuses; the coordinator(s) get a neutral e-mail. Every grant of such a role
that takes effect alerts the territory's DPO(s); every change of a territory-wide role (coordinator, DPO)
alerts the coordinators and the DPOs. Alerts are in-application rows (RoleChangeAlert) plus an e-mail that
names nobody (DOMAIN.md §4).
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network import policies
from maillage.network.actor import Actor
from maillage.network.enums import NOMINATIVE_ROLES, TERRITORY_WIDE_ROLES, Role, RoleChangeAction
from maillage.network.enums import RoleChangeStatus as Status
from maillage.network.models import Membership, MembershipRole, RoleChange, RoleChangeAlert

REFUSAL_MIN_LENGTH = 10


def role_labels(roles: Iterable[str]) -> str:
    return ", ".join(Role(r).label for r in sorted(roles, key=list(Role.values).index))


def bump_version(membership: Membership) -> None:
    Membership.objects.filter(pk=membership.pk).update(version=F("version") + 1)
    membership.refresh_from_db(fields=["version", "is_active", "deactivated_at"])


# ------------------------------------------------------------------------------------------- recording


def _record(actor: Actor, membership: Membership, role: str, action: str, status: str) -> RoleChange:
    return RoleChange.objects.create(
        membership=membership,
        territory_id=membership.territory_id,
        role=role,
        action=action,
        status=status,
        requested_by=actor.user if actor.user.pk else None,
        decided_by=actor.user if status != Status.PENDING and actor.user.pk else None,
        decided_at=timezone.now() if status != Status.PENDING else None,
    )


def record_effective(actor: Actor, membership: Membership, role: str, action: str) -> RoleChange | None:
    """Records a change that took effect, and alerts whoever must know. Nothing for other roles."""
    if role not in NOMINATIVE_ROLES | TERRITORY_WIDE_ROLES:
        return None
    if role in NOMINATIVE_ROLES and action not in (RoleChangeAction.GRANT, RoleChangeAction.REACTIVATION):
        return None  # access removed: the audit trail is enough
    change = _record(actor, membership, role, action, Status.APPLIED)
    _alert(change, actor=actor)
    return change


def request_grant(actor: Actor, membership: Membership, role: str) -> RoleChange:
    """A grant waiting for a coordinator; one pending request per role and membership."""
    existing = RoleChange.objects.pending().filter(membership=membership, role=role).first()
    if existing is not None:
        return existing
    change = _record(actor, membership, role, RoleChangeAction.GRANT, Status.PENDING)
    audit.record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE_REQUESTED,
        obj=change,
        changes={"member": membership.user.email, "membership": membership.public_id, "role": role},
    )
    coordinators = Membership.objects.active().filter(
        territory_id=membership.territory_id, role_set__role=Role.COORDINATOR
    )
    _email([m for m in coordinators if m.user_id != actor.user.pk], "request")
    return change


def cancel_pending(actor: Actor, membership: Membership, roles: Iterable[str] | None = None) -> list[str]:
    """Withdraws pending requests (a role unticked, a membership deactivated); returns their roles."""
    pending = RoleChange.objects.pending().filter(membership=membership).select_for_update()
    if roles is not None:
        pending = pending.filter(role__in=list(roles))
    cancelled = []
    for change in pending:
        change.status, change.decided_by, change.decided_at = Status.CANCELLED, actor.user, timezone.now()
        if actor.user.pk is None:
            change.decided_by = None
        change.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            action=AuditAction.ROLE_CHANGE_CANCELLED,
            obj=change,
            changes={"member": membership.user.email, "role": change.role},
        )
        cancelled.append(change.role)
    return cancelled


def access_suspended(actor: Actor, membership: Membership, held: set[str]) -> list[str]:
    """A membership stops giving access (it, its account or its organisation is deactivated): its pending
    requests are withdrawn; a territory-wide role lost alerts the coordinators and the DPOs. Returns the
    roles whose requests were withdrawn."""
    cancelled = cancel_pending(actor, membership)
    for role in sorted(held & TERRITORY_WIDE_ROLES):
        record_effective(actor, membership, role, RoleChangeAction.DEACTIVATION)
    return sorted(cancelled)


def access_restored(actor: Actor, membership: Membership, held: set[str]) -> list[str]:
    """A membership gives access again: that is a grant. Its nominative roles come back as requests to the
    coordinator (unless the coordinator restores it); territory-wide roles alert the coordinators and the
    DPOs. Returns the roles now waiting for approval."""
    held_back = []
    if policies.coordinates(actor, membership.territory_id):
        for role in sorted(held & NOMINATIVE_ROLES):
            record_effective(actor, membership, role, RoleChangeAction.REACTIVATION)
    else:
        held_back = sorted(held & NOMINATIVE_ROLES)
        MembershipRole.objects.filter(membership=membership, role__in=held_back).delete()
        for role in held_back:
            request_grant(actor, membership, role)
    for role in sorted(held & TERRITORY_WIDE_ROLES):
        record_effective(actor, membership, role, RoleChangeAction.REACTIVATION)
    return held_back


def access_changed(actor: Actor, membership: Membership, *, active: bool) -> list[str]:
    """A whole account or organisation switched off or on: the same rules, membership by membership."""
    held = set(membership.role_set.values_list("role", flat=True))
    changed = (
        access_restored(actor, membership, held) if active else access_suspended(actor, membership, held)
    )
    bump_version(membership)
    return changed


def pending_roles(membership: Membership) -> set[str]:
    return set(RoleChange.objects.pending().filter(membership=membership).values_list("role", flat=True))


# -------------------------------------------------------------------------------------------- deciding


def _pending_for_decision(actor: Actor, change: RoleChange) -> RoleChange:
    if not policies.can_decide_role_change(actor, change):
        raise PermissionDeniedError("Seule une autre personne de la coordination du territoire peut décider.")
    current = RoleChange.objects.select_for_update().select_related("membership__user").get(pk=change.pk)
    if current.status != Status.PENDING:
        raise DomainError(
            f"Cette demande a déjà reçu une réponse ({current.get_status_display().lower()}) : "
            "rechargez la page pour voir son état."
        )
    return current


@transaction.atomic
def role_change_approve(*, actor: Actor, change: RoleChange) -> RoleChange:
    """The coordinator approves a grant: the role takes effect now, and the DPO(s) are alerted."""
    current = _pending_for_decision(actor, change)
    membership = Membership.objects.select_for_update().get(pk=current.membership_id)
    if not (membership.is_active and membership.user.is_active):
        raise DomainError("Cette adhésion n'est plus active : la demande ne peut pas être approuvée.")
    MembershipRole.objects.get_or_create(membership=membership, role=current.role)
    bump_version(membership)
    current.status, current.decided_by, current.decided_at = Status.APPROVED, actor.user, timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE_APPROVED,
        obj=current,
        changes={"member": membership.user.email, "membership": membership.public_id, "role": current.role},
    )
    _alert(current, actor=actor)
    return current


@transaction.atomic
def role_change_refuse(*, actor: Actor, change: RoleChange, comment: str) -> RoleChange:
    current = _pending_for_decision(actor, change)
    comment = comment.strip()
    if len(comment) < REFUSAL_MIN_LENGTH:
        raise DomainError("Expliquez en une phrase pourquoi la demande est refusée.")
    current.status, current.decided_by, current.decided_at = Status.REFUSED, actor.user, timezone.now()
    current.comment = comment
    current.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    # The reason may name people: the trail records that a reason was given, not the reason.
    audit.record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE_REFUSED,
        obj=current,
        changes={"member": current.membership.user.email, "role": current.role},
    )
    return current


# ---------------------------------------------------------------------------------------------- alerts


def _alert(change: RoleChange, *, actor: Actor) -> None:
    """Nominative grants → the DPO(s); territory-wide changes → the coordinator(s) and the DPO(s)."""
    roles = [Role.DPO] if change.role in NOMINATIVE_ROLES else [Role.COORDINATOR, Role.DPO]
    recipients = (
        Membership.objects.active()
        .filter(territory_id=change.territory_id, role_set__role__in=roles)
        .exclude(user_id__in=[actor.user.pk, change.membership.user_id])
        .select_related("user")
        .distinct()
    )
    recipients = list(recipients)
    RoleChangeAlert.objects.bulk_create([RoleChangeAlert(recipient=m, change=change) for m in recipients])
    _email(recipients, "change")


def _email(recipients: list[Membership], kind: str) -> None:
    addresses = sorted({m.user.email for m in recipients})
    if addresses:
        transaction.on_commit(lambda: _send(addresses, kind))


def _send(addresses: list[str], kind: str) -> None:
    url = settings.MAILLAGE_BASE_URL + reverse("network:role_changes")
    subject = render_to_string(f"network/email/rights_{kind}_subject.txt").strip()
    body = render_to_string("network/email/rights_message.txt", {"url": url, "kind": kind})
    for address in addresses:
        send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [address])


def rights_to_review(actor: Actor) -> dict | None:
    """For the home page of a coordinator or a DPO: grants waiting, changes not yet seen (2 queries)."""
    if not policies.can_view_role_changes(actor):
        return None
    pending = 0
    if actor.has_role(Role.COORDINATOR):
        pending = RoleChange.objects.pending().filter(territory_id=actor.territory.pk).count()
    return {"pending": pending, "unread": unread_alerts(actor).count()}


def unread_alerts(actor: Actor):
    return RoleChangeAlert.objects.filter(recipient_id=actor.membership.pk, read_at__isnull=True)


@transaction.atomic
def alerts_mark_read(*, actor: Actor) -> int:
    return unread_alerts(actor).update(read_at=timezone.now())
