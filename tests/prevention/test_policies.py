"""Who sees and keeps prevention events and trainings (ADR 0036), as a matrix over every role: members of the
territory see everything of it, another territory nothing (the same 404 as a missing record), the platform
administrator nothing; observers and DPOs only read; a writer changes what their organisation took part in
or gave; only the coordinator deletes. The reverse sides name the same people."""

import uuid

import pytest
from django.http import Http404

from maillage.network.actor import Actor
from maillage.prevention import policies
from tests.prevention.worlds import ACTORS, EDITS, ELSEWHERE, MEMBERS, WRITERS

pytestmark = pytest.mark.django_db


def actor(world, name) -> Actor:
    if name == "platform_admin":
        return Actor.from_membership(world.platform_admin, None)
    return world.actor(name)


def is_event(name: str) -> bool:
    return name in {"school_talk", "press", "event_elsewhere"}


@pytest.mark.parametrize("name", ACTORS)
def test_who_sees_what(world, name):
    who = actor(world, name)
    events = set(policies.events_visible_to(who).values_list("pk", flat=True))
    trainings = set(policies.trainings_visible_to(who).values_list("pk", flat=True))
    for record_name, record in world.records.items():
        seen = record.pk in (events if is_event(record_name) else trainings)
        assert seen == world.sees(name, record_name), record_name
        access = policies.access_event if is_event(record_name) else policies.access_training
        if world.sees(name, record_name):
            assert access(who, record.public_id) == record
        else:
            with pytest.raises(Http404):
                access(who, record.public_id)
    with pytest.raises(Http404):
        policies.access_event(who, uuid.uuid4())


@pytest.mark.parametrize("name", ACTORS)
def test_who_records_changes_and_deletes(world, name):
    who = actor(world, name)
    assert policies.can_record(who) == (name in WRITERS | ELSEWHERE)
    for record_name, record in world.records.items():
        can_edit = policies.can_edit_event if is_event(record_name) else policies.can_edit_training
        assert can_edit(who, record) == (name in EDITS[record_name]), record_name
        coordinator_of_it = name == ("coordinator_elsewhere" if "elsewhere" in record_name else "coordinator")
        assert policies.can_delete(who, record) == coordinator_of_it, record_name


def test_a_member_cannot_change_an_event_of_other_organisations(world):
    # The CIDFF's jurist sees the gendarmerie's school talk but may not change it; the gendarme may.
    talk = world.records["school_talk"]
    assert policies.access_event(world.actor("cidff"), talk.public_id) == talk
    assert not policies.can_edit_event(world.actor("cidff"), talk)
    assert policies.can_edit_event(world.actor("gendarme"), talk)
    assert not policies.can_delete(world.actor("gendarme"), talk)


def test_reverse_sides_name_the_same_people(world):
    memberships = {name: world[name].pk for name in MEMBERS}
    names = {pk: name for name, pk in memberships.items()}
    for record_name, record in world.records.items():
        editing = (
            policies.memberships_editing_event
            if is_event(record_name)
            else policies.memberships_editing_training
        )
        assert {names[m.pk] for m in editing(record)} == EDITS[record_name], record_name
        seeing = {names[m.pk] for m in policies.memberships_seeing(record)}
        assert seeing == {name for name in MEMBERS if world.sees(name, record_name)}
        deleting = {names[m.pk] for m in policies.memberships_deleting(record)}
        assert deleting == {"coordinator_elsewhere" if "elsewhere" in record_name else "coordinator"}


def test_visibility_is_one_query(world, django_assert_num_queries):
    who = world.actor("observer")
    with django_assert_num_queries(1):
        assert len(list(policies.events_visible_to(who))) == 2
    with django_assert_num_queries(1):
        assert len(list(policies.trainings_visible_to(who))) == 2


def test_a_deactivated_member_is_not_among_those_who_edit(world):
    world["gendarme"].is_active = False
    world["gendarme"].save(update_fields=["is_active"])
    editing = policies.memberships_editing_event(world.records["school_talk"])
    assert set(editing) == {world["coordinator"]}
