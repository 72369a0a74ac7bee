"""The working group and its charter, through the services: who may be added, who adds, versions of the
charter that everyone accepts again, and what removing someone or publishing a new text ends at once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.meetings import policies, services
from maillage.meetings.models import GroupMember
from tests.meetings.worlds import ACCEPTED, CHARTER, GROUP
from tests.network.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_group_holds_who_the_coordinator_added(cell):
    members = set(GroupMember.objects.values_list("membership_id", flat=True))
    assert members == {cell[name].pk for name in GROUP}
    added = AuditEntry.objects.filter(action=AuditAction.MEETING_GROUP_MEMBER_ADDED)
    assert {e.changes["user"] for e in added} == {cell[name].user.email for name in GROUP}


@pytest.mark.parametrize("name", ["dpo", "observer", "housing_manager", "org_admin"])
def test_only_roles_that_see_situations_join(cell, name):
    with pytest.raises(DomainError, match="Seules les personnes qui suivent des situations"):
        services.group_member_add(actor=cell.actor("coordinator"), membership=cell[name])


def test_nobody_of_another_territory_joins(cell):
    elsewhere = MembershipFactory(roles=["professional"])
    with pytest.raises(DomainError, match="pas membre du réseau de votre territoire"):
        services.group_member_add(actor=cell.actor("coordinator"), membership=elsewhere)


def test_nobody_joins_twice(cell):
    with pytest.raises(DomainError, match="fait déjà partie"):
        services.group_member_add(actor=cell.actor("coordinator"), membership=cell["cidff"])


@pytest.mark.parametrize("name", ["referent", "gendarme", "dpo"])
def test_only_the_coordinator_keeps_the_group_and_the_charter(cell, name):
    actor = cell.actor(name)
    with pytest.raises(PermissionDeniedError):
        services.group_member_add(actor=actor, membership=cell["ccas"])
    with pytest.raises(PermissionDeniedError):
        services.group_member_remove(actor=actor, membership=cell["cidff"])
    with pytest.raises(PermissionDeniedError):
        services.charter_publish(actor=actor, text="Autre texte")


def test_removing_a_member_ends_what_an_open_meeting_gave_them(cell):
    situation = cell.situation()
    cell.open_meeting(situation)
    page = reverse("situations:detail", args=[situation.public_id])
    assert cell.client("cidff").get(page).status_code == 200
    services.group_member_remove(actor=cell.actor("coordinator"), membership=cell["cidff"])
    assert cell.client("cidff").get(page).status_code == 404
    assert not policies.is_group_member(cell.actor("cidff"))
    removed = AuditEntry.objects.get(action=AuditAction.MEETING_GROUP_MEMBER_REMOVED)
    assert removed.changes["user"] == cell["cidff"].user.email


def test_a_new_charter_version_must_be_accepted_again(cell):
    assert all(policies.has_accepted_current_charter(cell.actor(name)) for name in ACCEPTED)
    assert not policies.has_accepted_current_charter(cell.actor("doctor"))
    second = services.charter_publish(actor=cell.actor("coordinator"), text=CHARTER + " Version révisée.")
    assert second.version == cell.charter.version + 1 == 2
    assert not any(policies.has_accepted_current_charter(cell.actor(name)) for name in ACCEPTED)
    services.charter_accept(actor=cell.actor("cidff"), charter=second)
    assert policies.has_accepted_current_charter(cell.actor("cidff"))
    published = AuditEntry.objects.filter(action=AuditAction.CHARTER_PUBLISHED).order_by("sequence")
    assert [e.changes["version"] for e in published] == [1, 2]


def test_the_same_text_is_not_a_new_version(cell):
    with pytest.raises(DomainError, match="version en vigueur"):
        services.charter_publish(actor=cell.actor("coordinator"), text=CHARTER)


def test_a_member_accepts_the_version_they_read_only(cell):
    services.charter_publish(actor=cell.actor("coordinator"), text=CHARTER + " Version révisée.")
    with pytest.raises(ConflictError, match="nouvelle version"):
        services.charter_accept(actor=cell.actor("doctor"), charter=cell.charter)
    assert not policies.has_accepted_current_charter(cell.actor("doctor"))


def test_accepting_twice_or_from_outside_the_group_is_refused(cell):
    with pytest.raises(DomainError, match="déjà accepté"):
        services.charter_accept(actor=cell.actor("cidff"), charter=cell.charter)
    with pytest.raises(PermissionDeniedError):
        services.charter_accept(actor=cell.actor("ccas"), charter=cell.charter)


def test_a_new_charter_ends_the_access_of_an_open_meeting(cell):
    situation = cell.situation()
    cell.open_meeting(situation)
    page = reverse("situations:detail", args=[situation.public_id])
    assert cell.client("cidff").get(page).status_code == 200
    services.charter_publish(actor=cell.actor("coordinator"), text=CHARTER + " Version révisée.")
    assert cell.client("cidff").get(page).status_code == 404


def test_the_dpo_reads_meetings_and_charters_by_their_names(cell):
    from maillage.audit.dpo import labels

    meeting = cell.meeting()
    day = f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}"
    assert labels.find_objects(cell.territory.pk, day) == [meeting.public_id]
    assert labels.find_objects(cell.territory.pk, f"Cellule de suivi du {day}") == [meeting.public_id]
    assert labels.find_objects(cell.territory.pk, "32/13/2026") == []
    entries = list(AuditEntry.objects.filter(object_type__startswith="meetings."))
    labels.label_entries(entries, cell.territory.pk)
    named = {e.object_label for e in entries}
    assert {f"Cellule de suivi du {day}", "Charte de confidentialité, version 1"} <= named
