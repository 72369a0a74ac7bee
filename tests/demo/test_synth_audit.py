"""`maillage synth` writes each situation's history to the audit trail: real chained entries that
`verify_audit` accepts, by the members who acted, with no identity in them; and on PostgreSQL a large load
may suspend the big tables' indexes, which come back exactly as the migrations made them."""

import copy
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from maillage.audit.enums import AuditAction
from maillage.audit.models import HASHED_FIELDS, HEAD_PK, AuditChainHead, AuditEntry
from maillage.demo.bulk_indexes import schema_of
from maillage.demo.synth import DEFERRED, Synth
from maillage.network.models import Membership
from maillage.situations.models import Person, Situation
from maillage.territories.models import Territory
from tests.audit.helpers import verify_audit

NAME = "Pays audité"
# What a replay must give again: all but what derives from the ids of rows made anew (PostgreSQL's sequences
# move on: accounts, memberships, the territory) and the hashes, which chain
# after the territory's creation, recorded at the time of the run. Who acted is compared by name instead.
REPLAYED = [f for f in HASHED_FIELDS if not f.startswith("actor_") and f not in ("territory_id", "prev_hash")]
COUNT = 120


def synth(count: int, territory: str = NAME, **options) -> str:
    out = io.StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("synth", situations=count, territory=territory, stdout=out, **options)
    return out.getvalue()


def build():
    synth(COUNT, seed=3, batch_size=50)
    return {"territory": Territory.objects.get(name=NAME)}


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(build) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return copy.deepcopy(shared_world)


def situation_entries(territory):
    ids = Situation.objects.filter(territory=territory).values("public_id")
    return AuditEntry.objects.filter(object_public_id__in=ids)


def test_the_chain_verifies_in_full_and_the_head_moved(world):
    printed, _errors = verify_audit("--full")
    assert "Journal intègre" in printed
    last = AuditEntry.objects.newest_first().first()
    head = AuditChainHead.objects.get(pk=HEAD_PK)
    assert (head.last_sequence, head.last_hash) == (last.sequence, last.hash)


def test_each_situation_has_a_history_of_about_a_dozen_entries(world):
    entries = situation_entries(world["territory"])
    per_situation = Counter(entries.values_list("object_public_id", flat=True))
    assert len(per_situation) == COUNT
    assert 9 <= entries.count() / COUNT <= 16
    actions = Counter(entries.values_list("action", flat=True))
    assert actions[AuditAction.SITUATION_REPORTED] == COUNT
    persons = Person.objects.filter(situation__territory=world["territory"]).count()
    assert actions[AuditAction.PERSON_ADDED] == persons
    for action in (AuditAction.TIMELINE_ADDED, AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_CLOSED):
        assert actions[action] > 0
    # After the territory's creation, every entry of the run is a situation's.
    first = entries.order_by("sequence").first().sequence
    assert AuditEntry.objects.filter(sequence__gte=first).count() == entries.count()


def test_entries_name_real_members_of_the_territory(world):
    territory = world["territory"]
    members = {
        m.pk: (m.user_id, m.user.email, m.organisation_id)
        for m in Membership.objects.filter(territory=territory).select_related("user")
    }
    rows = situation_entries(territory).values_list(
        "actor_membership_id", "actor_user_id", "actor_label", "actor_organisation_id", "territory_id"
    )
    for membership_id, user_id, label, organisation_id, territory_id in rows:
        assert members[membership_id] == (user_id, label, organisation_id)
        assert territory_id == territory.pk
    reports = situation_entries(territory).filter(action=AuditAction.SITUATION_REPORTED)
    created_by = dict(Situation.objects.filter(territory=territory).values_list("public_id", "created_by_id"))
    for public_id, membership_id in reports.values_list("object_public_id", "actor_membership_id"):
        assert created_by[public_id] == membership_id


def test_no_identity_in_the_changes(world):
    texts = [
        json.dumps(c, ensure_ascii=False)
        for c in situation_entries(world["territory"]).values_list("changes", flat=True)
    ]
    everything = "\n".join(texts)
    persons = Person.objects.filter(situation__territory=world["territory"])
    checked = 0
    for person in persons:
        for value in (person.phone, person.email, person.address, person.birth_date):
            if value:
                assert str(value) not in everything
                checked += 1
        if person.first_name and person.last_name:
            assert f"{person.first_name} {person.last_name}" not in everything
            assert f"{person.last_name} {person.first_name}" not in everything
            checked += 1
    assert checked > COUNT


def test_without_audit_nothing_is_written_to_the_trail(db):
    before = AuditEntry.objects.count()
    synth(20, "Pays muet", no_audit=True)
    territory = Territory.objects.get(name="Pays muet")
    assert Situation.objects.filter(territory=territory).count() == 20
    assert not situation_entries(territory).exists()
    # Only the territory's creation through the services was recorded, none of the situations.
    assert not AuditEntry.objects.filter(
        pk__gt=0, territory_id=territory.pk, object_type="situations.situation"
    )
    assert AuditEntry.objects.count() > before


def test_same_seed_same_history(db):
    def draw():
        with transaction.atomic():
            synth(25, "Pays rejoué", seed=4)
            territory = Territory.objects.get(name="Pays rejoué")
            memberships = Membership.objects.filter(territory=territory).select_related(
                "organisation", "user"
            )
            members = {m.pk: (m.organisation.name, m.user.first_name) for m in memberships}
            # The referent appointed is named by the membership's public id, drawn anew by the services.
            named = {str(m.public_id): m.user.first_name for m in memberships}
            entries = situation_entries(territory).order_by("sequence")
            history = []
            for *values, changes, membership_id in entries.values_list(*REPLAYED, "actor_membership_id"):
                if "referent" in changes:
                    changes["referent"] = [named.get(v) for v in changes["referent"]]
                history.append((*values, changes, members[membership_id]))
            transaction.set_rollback(True)
        return history

    first = draw()
    assert len(first) > 25
    assert first == draw()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index suspension is PostgreSQL's")
def test_suspended_indexes_come_back_as_the_migrations_made_them(db):
    tables = [model._meta.db_table for model in DEFERRED]
    before = schema_of(tables)
    assert any(kind == "f" for _table, kind, _name, _definition in before)
    assert any(kind == "index" for _table, kind, _name, _definition in before)
    synth(5, "Pays indexé")
    territory = Territory.objects.get(name="Pays indexé")
    lines = []
    Synth(territory, seed=2).run(30, batch_size=10, defer_indexes=True, log=lines.append)
    assert schema_of(tables) == before
    assert len(lines) == len(before) + 1
    printed, _errors = verify_audit("--full")
    assert "Journal intègre" in printed
    assert Situation.objects.filter(territory=territory).count() == 35
