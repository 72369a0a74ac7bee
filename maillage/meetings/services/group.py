"""The working group and its confidentiality charter: the coordinator adds and removes members and publishes
charter versions; each member accepts the current one. Every write is audited; taking someone out of the
group, or publishing a new charter, ends at once what the open meetings gave them."""

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.meetings import policies
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import Charter, CharterAcceptance, GroupMember, Meeting
from maillage.meetings.services.checks import require_coordinator
from maillage.meetings.services.meetings import invite
from maillage.network.actor import Actor
from maillage.network.models import Membership
from maillage.situations.services import meeting_access_close

CHARTER_MAX_LENGTH = 20000


def _close_open_meetings(actor: Actor, memberships=None) -> None:
    for meeting in Meeting.objects.filter(territory_id=actor.territory.pk, status=MeetingStatus.OPEN):
        meeting_access_close(actor=actor, reference=meeting.public_id, memberships=memberships)


@transaction.atomic
def group_member_add(*, actor: Actor, membership: Membership) -> GroupMember:
    """Adds an active membership of the territory that may see situations (coordinator, referent,
    professional) to the group."""
    require_coordinator(actor)
    membership = (
        Membership.objects.active()
        .with_details()
        .select_related("user", "organisation")
        .filter(pk=membership.pk, territory_id=actor.territory.pk)
        .first()
    )
    if membership is None:
        raise DomainError("Cette personne n'est pas membre du réseau de votre territoire.")
    if not set(membership.roles) & set(policies.GROUP_ROLES):
        raise DomainError(
            "Seules les personnes qui suivent des situations (coordination, personnes référentes, "
            "professionnels) peuvent faire partie de la cellule de suivi."
        )
    if GroupMember.objects.filter(membership=membership).exists():
        raise DomainError(f"{membership.user} fait déjà partie de la cellule de suivi.")
    member = GroupMember.objects.create(
        territory_id=actor.territory.pk, membership=membership, added_by=actor.membership
    )
    # Invited at once to the meetings to come (the e-mail leaves through the queue).
    for meeting in Meeting.objects.filter(
        territory_id=actor.territory.pk,
        status__in=(MeetingStatus.SCHEDULED, MeetingStatus.OPEN),
        ends_at__gte=timezone.now(),
    ):
        invite(meeting)
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_GROUP_MEMBER_ADDED,
        territory=actor.territory,
        changes={"user": membership.user.email, "organisation": membership.organisation.name},
    )
    return member


@transaction.atomic
def group_member_remove(*, actor: Actor, membership: Membership) -> None:
    """Takes a member out of the group: they no longer see its meetings, and lose at once what an open
    meeting gave them."""
    require_coordinator(actor)
    member = (
        GroupMember.objects.select_for_update()
        .select_related("membership__user", "membership__organisation")
        .filter(membership_id=membership.pk, territory_id=actor.territory.pk)
        .first()
    )
    if member is None:
        raise DomainError("Cette personne ne fait pas partie de la cellule de suivi.")
    _close_open_meetings(actor, memberships=[member.membership])
    audit.record(
        actor=actor,
        action=AuditAction.MEETING_GROUP_MEMBER_REMOVED,
        territory=actor.territory,
        changes={"user": member.membership.user.email, "organisation": member.membership.organisation.name},
    )
    member.delete()


@transaction.atomic
def charter_publish(*, actor: Actor, text: str) -> Charter:
    """A new version of the territory's charter: every member must accept it again before seeing an agenda;
    accesses of an open meeting end at once (nobody has accepted the new text yet)."""
    require_coordinator(actor)
    text = (text or "").strip()
    if not text:
        raise DomainError("Écrivez le texte de la charte.")
    if len(text) > CHARTER_MAX_LENGTH:
        raise DomainError(f"Le texte de la charte est limité à {CHARTER_MAX_LENGTH} caractères.")
    # The territory's charters are numbered under a lock: two publications at once get two versions.
    last = (
        Charter.objects.select_for_update()
        .filter(territory_id=actor.territory.pk)
        .order_by("-version")
        .first()
    )
    if last is not None and last.text == text:
        raise DomainError(
            "Ce texte est celui de la version en vigueur : modifiez-le pour en publier une nouvelle."
        )
    charter = Charter.objects.create(
        territory_id=actor.territory.pk,
        version=(last.version + 1) if last else 1,
        text=text,
        published_at=timezone.now(),
        published_by=actor.membership,
    )
    _close_open_meetings(actor)
    audit.record(
        actor=actor, action=AuditAction.CHARTER_PUBLISHED, obj=charter, changes={"version": charter.version}
    )
    return charter


@transaction.atomic
def charter_accept(*, actor: Actor, charter: Charter) -> CharterAcceptance:
    """A member of the group accepts the current charter, the version they read (`charter`): a newer one
    published meanwhile is refused, so nobody accepts a text they did not see."""
    if not policies.is_group_member(actor):
        raise PermissionDeniedError("Seuls les membres de la cellule de suivi acceptent sa charte.")
    current = policies.current_charter(actor.territory.pk)
    if current is None or charter.territory_id != actor.territory.pk:
        raise DomainError("Aucune charte n'est en vigueur.")
    if current.pk != charter.pk:
        raise ConflictError(
            "Une nouvelle version de la charte a été publiée pendant votre lecture : lisez-la, puis "
            "acceptez-la. Rien n'a été enregistré."
        )
    if CharterAcceptance.objects.filter(charter=current, membership_id=actor.membership.pk).exists():
        raise DomainError(f"Vous avez déjà accepté la version {current.version} de la charte.")
    acceptance = CharterAcceptance.objects.create(
        charter=current, membership=actor.membership, accepted_at=timezone.now()
    )
    audit.record(
        actor=actor, action=AuditAction.CHARTER_ACCEPTED, obj=current, changes={"version": current.version}
    )
    return acceptance
