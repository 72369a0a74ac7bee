"""The chain: each entry hashes its content with the previous hash; `verify_audit` names the first entry
that does not match (modified, deleted, truncated, forged), on SQLite and PostgreSQL."""

import datetime
import uuid

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction

from maillage import audit
from maillage.audit.models import GENESIS_HASH, AuditChainHead, AuditEntry
from maillage.audit.services import console_actor
from maillage.audit.verify import verify_chain
from maillage.network.actor import Actor
from tests.accounts.factories import UserFactory
from tests.audit.helpers import failure_of, record_some, remove, tamper
from tests.audit.helpers import verify_audit as verify_audit_output
from tests.network.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def verify_audit(*args) -> str:
    return verify_audit_output(*args)[0]


@pytest.fixture
def chain(db):
    """Five entries of one account."""
    return record_some(UserFactory(), 5)


def test_entries_are_numbered_without_gap_and_chained(chain):
    entries = list(AuditEntry.objects.order_by("sequence"))
    first = entries[0].sequence
    assert [e.sequence for e in entries] == list(range(first, first + len(entries)))
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
        assert entry.hash == entry.compute_hash() and len(entry.hash) == 64
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (entries[-1].sequence, entries[-1].hash)


def test_an_untouched_trail_passes(chain):
    output = verify_audit()
    last = AuditEntry.objects.newest_first().first()
    assert output.startswith(f"Journal intègre : {last.sequence} entrées, dernière empreinte {last.hash}")


def test_an_empty_trail_passes(db):
    assert verify_audit().startswith("Journal intègre : aucune entrée")


def test_the_walk_goes_batch_by_batch(chain):
    result = verify_chain(batch_size=2)
    assert result.ok and result.count == AuditEntry.objects.count()
    tamper(chain[3].sequence, actor_label="quelqu'un d'autre")
    assert verify_chain(batch_size=2).bad_sequence == chain[3].sequence


def test_changing_one_field_of_one_entry_is_named(chain):
    tamper(chain[2].sequence, action="auth.logout")
    message = failure_of()
    assert f"n° {chain[2].sequence}" in message
    assert "modifiée" in message


@pytest.mark.parametrize(
    "field, value",
    [
        ("created_at", datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)),
        ("ip", "203.0.113.9"),
        ("changes", {"login": "autre@exemple.test"}),
        ("object_public_id", uuid.uuid4()),
        ("territory_id", 999),
    ],
)
def test_every_content_field_is_covered_by_the_hash(chain, field, value):
    tamper(chain[1].sequence, **{field: value})
    assert verify_chain().bad_sequence == chain[1].sequence


def test_rewriting_an_entry_and_its_hash_breaks_the_next_link(chain):
    entry = chain[1]
    entry.actor_label = "faussaire"
    tamper(entry.sequence, actor_label="faussaire", hash=entry.compute_hash())
    message = failure_of()
    assert f"n° {chain[2].sequence}" in message and "lien" in message


def test_deleting_an_entry_is_named(chain):
    remove(chain[2].sequence)
    message = failure_of()
    assert f"n° {chain[2].sequence}" in message and "manquante" in message


def test_deleting_the_last_entries_disagrees_with_the_head(chain):
    remove(chain[3].sequence, chain[4].sequence)
    message = failure_of()
    assert f"n° {chain[3].sequence}" in message and "tête de chaîne" in message


def test_an_entry_added_behind_the_application_is_named(chain):
    head = AuditChainHead.objects.get()
    forged = AuditEntry(
        sequence=head.last_sequence + 1,
        created_at=chain[0].created_at,
        actor_label="faussaire",
        action="auth.login",
        prev_hash=head.last_hash,
    )
    forged.hash = forged.compute_hash()
    forged.save()  # a well-formed entry, but the head was not moved with it
    message = failure_of()
    assert f"n° {forged.sequence}" in message and "hors de Maillage" in message


def test_expected_head_detects_a_truncation_the_head_hides(chain):
    kept = chain[2]
    expected = f"{chain[4].sequence}:{chain[4].hash}"
    # No checkpoint past the truncated entries (they came after the last verification).
    assert "toujours présente" in verify_audit("--expect-head", expected, "--no-checkpoint")

    # The intruder deletes the tail and moves the head back: the chain alone looks whole.
    remove(chain[3].sequence, chain[4].sequence)
    AuditChainHead.objects.update(last_sequence=kept.sequence, last_hash=kept.hash)
    assert verify_chain().ok

    message = failure_of("--expect-head", expected)
    assert f"n° {chain[4].sequence}" in message and "tronqué" in message


def test_expected_head_with_another_hash_is_refused(chain):
    message = failure_of("--expect-head", f"{chain[1].sequence}:{'a' * 64}")
    assert f"n° {chain[1].sequence}" in message and "réécrit" in message


def test_expected_head_must_be_well_formed(chain):
    with pytest.raises(CommandError, match="NUMÉRO:EMPREINTE"):
        verify_audit("--expect-head", "douze")


def test_audit_head_prints_the_line_to_copy(chain):
    from io import StringIO

    out = StringIO()
    call_command("audit_head", stdout=out)
    last = chain[-1]
    line = out.getvalue().strip()
    assert line.startswith(f"{last.sequence}:{last.hash} ")
    assert "toujours présente" in verify_audit("--expect-head", line.split()[0])


@pytest.mark.parametrize("microsecond", [0, 1, 999999])
def test_the_time_hashed_is_read_back_the_same(db, microsecond):
    """Verification reads the time as the database formats it on PostgreSQL: it must be the very text
    `record()` hashed, a whole second included (where Python's isoformat() would drop the fraction)."""
    moment = datetime.datetime(2026, 3, 29, 1, 30, 5, microsecond, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        entry = record_some(UserFactory(), 1)[0]
    assert verify_chain().ok
    assert AuditEntry.objects.get(pk=entry.pk).created_at == moment


def test_the_entry_rolls_back_with_the_change_it_records(db):
    user = UserFactory()
    before = AuditChainHead.objects.get().last_sequence
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=Actor(user=user, membership=None), action="auth.login", user=user)
        raise RuntimeError("the change fails after recording")
    assert AuditChainHead.objects.get().last_sequence == before
    assert not AuditEntry.objects.filter(sequence__gt=before).exists()
    assert verify_chain().ok


def test_entries_cannot_be_changed_or_deleted_through_the_model(chain):
    entry = chain[0]
    entry.actor_label = "autre"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_the_head_is_recreated_after_a_flush_only_when_the_trail_is_empty(db):
    AuditChainHead.objects.all().delete()
    user = UserFactory()
    first = record_some(user, 1)[0]
    assert (first.sequence, first.prev_hash) == (1, GENESIS_HASH)
    AuditChainHead.objects.all().delete()
    with pytest.raises(RuntimeError, match="head is missing"), transaction.atomic():
        record_some(user, 1)
    assert "tête de chaîne a disparu" in failure_of()


class TestRecordedValues:
    def test_actor_membership_organisation_and_territory(self, db):
        membership = MembershipFactory(roles=["coordinator"])
        entry = audit.record(
            actor=Actor.from_membership(membership.user, membership),
            action="membership.updated",
            obj=membership,
        )
        assert entry.actor_user_id == membership.user.pk
        assert entry.actor_label == membership.user.email
        assert entry.actor_membership_id == membership.pk
        assert entry.actor_organisation_id == membership.organisation_id
        assert entry.territory_id == membership.territory_id
        assert entry.object_type == "network.membership"
        assert entry.object_public_id == membership.public_id

    def test_console_and_anonymous_labels(self, db):
        assert audit.record(actor=console_actor(), action="territory.imported").actor_label == "console"
        anonymous = audit.record(actor=None, action="auth.login_failed", changes={"login": "x@y.test"})
        assert (anonymous.actor_label, anonymous.actor_user_id) == ("anonyme", None)

    def test_the_label_outlives_the_account(self, db):
        user = UserFactory(email="partie@exemple.test")
        entry = record_some(user, 1)[0]
        user.delete()
        entry.refresh_from_db()
        assert entry.actor_label == "partie@exemple.test"
        assert verify_chain().ok

    def test_changes_are_stored_as_they_read_back(self, db):
        entry = audit.record(
            actor=console_actor(),
            action="territory.imported",
            changes={
                "when": datetime.date(2026, 3, 1),
                "ids": (uuid.UUID(int=1),),
                "ratio": 0.1,
                "flags": {True},
            },
        )
        entry.refresh_from_db()
        assert entry.changes == {
            "when": "2026-03-01",
            "ids": ["00000000-0000-0000-0000-000000000001"],
            "ratio": 0.1,
            "flags": [True],
        }
        assert entry.compute_hash() == entry.hash

    def test_unknown_actions_are_refused(self, db):
        with pytest.raises(ValueError, match="AuditAction"):
            audit.record(actor=console_actor(), action="situation.opened")

    def test_objects_and_large_documents_are_refused_in_changes(self, db):
        with pytest.raises(TypeError):
            audit.record(actor=console_actor(), action="territory.imported", changes={"who": UserFactory()})
        with pytest.raises(ValueError, match="limited"):
            audit.record(actor=console_actor(), action="territory.imported", changes={"text": "x" * 9000})

    def test_encrypted_identity_fields_never_enter_the_trail(self, db):
        from tests.testapp.models import Person

        person = Person(last_name="Le Goff", note="suivi")
        with pytest.raises(ValueError, match="encrypted identity fields"):
            audit.record(
                actor=console_actor(),
                action="territory.imported",
                obj=person,
                changes={"last_name": ["A", "B"]},
            )
        with pytest.raises(ValueError, match="decrypted value"):
            audit.record(
                actor=console_actor(), action="territory.imported", obj=person, changes={"victime": "Le Goff"}
            )
        entry = audit.record(
            actor=console_actor(), action="territory.imported", obj=person, changes={"note": "suivi"}
        )
        assert entry.changes == {"note": "suivi"}
