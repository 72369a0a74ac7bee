"""Access during a coordination meeting (*cellule de suivi*): the situations services that open and close it
(`meeting_access_open`, `meeting_access_close`), what a reader through it may do, and how its reads are
recorded and shown (« pendant la cellule de suivi du … »)."""

import uuid
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import PermissionDeniedError
from maillage.situations import policies, services
from maillage.situations.enums import NoteVisibility, TimelineKind
from maillage.situations.models import MeetingAccess
from tests.network.factories import MembershipFactory
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(net):
    """Followed by the gendarmerie in Mouchamps; the CIDFF and the Vendrennes referent do not see it."""
    return report_situation(net["gendarme"], commune=net.mouchamps)


def open_meeting(net, situations, names, minutes=120, reference=None):
    reference = reference or uuid.uuid4()
    services.meeting_access_open(
        actor=net.actor("coordinator"),
        reference=reference,
        meeting_on=timezone.localdate(),
        situations=situations,
        memberships=[net[name] for name in names],
        closes_at=timezone.now() + timedelta(minutes=minutes),
    )
    return reference


def detail(situation) -> str:
    return reverse("situations:detail", args=[situation.public_id])


def test_the_members_read_the_agenda_while_the_meeting_is_open(net, situation):
    client = net.client("cidff")
    assert client.get(detail(situation)).status_code == 404
    open_meeting(net, [situation], ["cidff", "referent_elsewhere"])
    page = client.get(detail(situation))
    assert page.status_code == 200
    assert "Cellule de suivi du" in unescape(page.content.decode())
    assert net.client("referent_elsewhere").get(detail(situation)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=121)):
        # A fresh session: the first one would have ended after 30 minutes idle.
        assert net.client("cidff").get(detail(situation)).status_code == 404


def test_closing_ends_the_access_at_once(net, situation):
    reference = open_meeting(net, [situation], ["cidff", "ccas"])
    client = net.client("cidff")
    assert client.get(detail(situation)).status_code == 200
    ended = services.meeting_access_close(actor=net.actor("coordinator"), reference=reference)
    assert ended == 2
    assert client.get(detail(situation)).status_code == 404
    assert net.client("ccas").get(detail(situation)).status_code == 404


def test_closing_may_end_one_member_or_one_situation_only(net, situation):
    other = report_situation(net["gendarme"], commune=net.mouchamps)
    reference = open_meeting(net, [situation, other], ["cidff", "ccas"])
    coordinator = net.actor("coordinator")
    assert services.meeting_access_close(actor=coordinator, reference=reference, situations=[other]) == 2
    assert (
        services.meeting_access_close(actor=coordinator, reference=reference, memberships=[net["ccas"]]) == 1
    )
    assert net.client("cidff").get(detail(situation)).status_code == 200
    assert net.client("cidff").get(detail(other)).status_code == 404
    assert net.client("ccas").get(detail(situation)).status_code == 404


def test_only_the_coordinator_opens_or_closes_it(net, situation):
    for name in ("referent", "gendarme", "dpo"):
        with pytest.raises(PermissionDeniedError):
            services.meeting_access_open(
                actor=net.actor(name),
                reference=uuid.uuid4(),
                meeting_on=timezone.localdate(),
                situations=[situation],
                memberships=[net["cidff"]],
                closes_at=timezone.now() + timedelta(hours=1),
            )
        with pytest.raises(PermissionDeniedError):
            services.meeting_access_close(actor=net.actor(name), reference=uuid.uuid4())
    assert not MeetingAccess.objects.exists()


def test_nobody_barred_is_given_access(net, situation):
    """A restricted situation, an excluded member, a role that sees no situation, another territory: no
    access is even written for them."""
    restricted = report_situation(net["gendarme"], commune=net.mouchamps)
    services.situation_restrict(
        actor=net.actor("coordinator"),
        situation=restricted,
        reason="Victime membre du réseau",
        named_users=[],
    )
    services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["ccas"].user, reason="Voisine"
    )
    elsewhere = MembershipFactory(roles=["professional"])
    open_meeting(
        net,
        [situation, restricted],
        ["cidff", "ccas", "dpo", "observer", "housing_manager", "org_admin"],
    )
    granted = set(MeetingAccess.objects.values_list("situation_id", "membership_id"))
    assert granted == {(situation.pk, net["cidff"].pk)}
    services.meeting_access_open(
        actor=net.actor("coordinator"),
        reference=uuid.uuid4(),
        meeting_on=timezone.localdate(),
        situations=[situation],
        memberships=[elsewhere],
        closes_at=timezone.now() + timedelta(hours=1),
    )
    assert MeetingAccess.objects.count() == 1


def test_a_meeting_reader_reads_but_does_not_act(net, situation):
    services.timeline_add(
        actor=net.actor("referent"),
        situation=situation,
        kind=TimelineKind.NOTE,
        visibility=NoteVisibility.COORDINATION,
        body="Note de coordination",
    )
    services.timeline_add(
        actor=net.actor("gendarme"),
        situation=situation,
        kind=TimelineKind.NOTE,
        visibility=NoteVisibility.PARTICIPANTS,
        body="Note aux partenaires",
    )
    open_meeting(net, [situation], ["cidff"])
    actor = net.actor("cidff")
    assert policies.grounds(actor, situation) == {"meeting"}
    assert not policies.can_contribute(actor, situation)
    bodies = {e.body for e in situation.timeline.visible_to(actor, situation)}
    assert bodies == {"Note aux partenaires"}


def test_reads_are_recorded_with_the_meeting_and_named_on_the_trail(net, situation):
    reference = open_meeting(net, [situation], ["cidff"])
    net.client("cidff").get(detail(situation))
    read = AuditEntry.objects.get(
        object_public_id=situation.public_id,
        action=AuditAction.SITUATION_VIEWED,
        actor_user_id=net["cidff"].user.pk,
    )
    today = timezone.localdate()
    assert read.changes == {"emergency": False, "meeting": str(reference), "meeting_on": today.isoformat()}
    opened = AuditEntry.objects.get(
        object_public_id=situation.public_id, action=AuditAction.MEETING_ACCESS_OPENED
    )
    assert opened.changes["users"] == [net["cidff"].user.email]
    # The gendarme reads it on their own ground: no meeting named.
    net.client("gendarme").get(detail(situation))
    own = AuditEntry.objects.filter(
        object_public_id=situation.public_id,
        action=AuditAction.SITUATION_VIEWED,
        actor_user_id=net["gendarme"].user.pk,
    ).get()
    assert own.changes == {"emergency": False}
    trail = unescape(
        net.client("coordinator")
        .get(reverse("situations:accesses", args=[situation.public_id]))
        .content.decode()
    )
    assert f"(pendant la cellule de suivi du {today:%d/%m/%Y})" in trail
    assert (
        f"Accès ouvert pendant la cellule de suivi : cellule de suivi du {today:%d/%m/%Y} — 1 personne"
        in trail
    )


def test_closing_is_audited_on_each_situation(net, situation):
    reference = open_meeting(net, [situation], ["cidff", "ccas"])
    services.meeting_access_close(actor=net.actor("coordinator"), reference=reference)
    closed = AuditEntry.objects.get(
        object_public_id=situation.public_id, action=AuditAction.MEETING_ACCESS_CLOSED
    )
    assert closed.changes["users"] == sorted([net["cidff"].user.email, net["ccas"].user.email])
    assert closed.changes["meeting"] == str(reference)
