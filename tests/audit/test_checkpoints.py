"""Checkpoints (ADR 0043): a verification that holds records where it stopped; the next one re-reads that
entry, then walks only what came after, and still names any change among the new entries or to the
checkpoint itself. What it leaves to `--full`: content edits before the checkpoint."""

import pytest
from django.db import DatabaseError

from maillage.audit.checkpoints import checkpoint_record
from maillage.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from maillage.audit.verify import verify_chain
from tests.accounts.factories import UserFactory
from tests.audit.helpers import failure_of, record_some, remove, tamper, tamper_checkpoint, verify_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def checked(user):
    """Five entries verified (a checkpoint at the fifth), then three new ones."""
    old = record_some(user, 5)
    verify_audit()
    return old, record_some(user, 3)


def test_a_verification_that_holds_records_where_it_stopped(user):
    entries = record_some(user, 5)
    output, _ = verify_audit()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.sequence, checkpoint.hash) == (entries[-1].sequence, entries[-1].hash)
    assert checkpoint.from_sequence == 0  # the first run had no checkpoint: it walked everything
    assert f"Point de contrôle enregistré au n° {entries[-1].sequence}" in output


def test_the_next_run_walks_only_the_new_entries(checked):
    old, new = checked
    result = verify_chain(incremental=True)
    assert result.ok, result.summary
    assert (result.count, result.from_sequence) == (3, old[-1].sequence)
    assert (result.last_sequence, result.last_hash) == (new[-1].sequence, new[-1].hash)

    output, _ = verify_audit()
    assert output.startswith(
        f"Journal intègre : 3 nouvelles entrées depuis le point de contrôle n° {old[-1].sequence}"
    )
    latest = AuditCheckpoint.objects.order_by("-pk").first()
    assert (latest.sequence, latest.from_sequence) == (new[-1].sequence, old[-1].sequence)


def test_full_walks_everything_again(checked):
    old, new = checked
    output, _ = verify_audit("--full")
    assert output.startswith(f"Journal intègre : {len(old) + len(new)} entrées")
    assert verify_chain().count == len(old) + len(new)


def test_nothing_new_is_said_and_adds_no_checkpoint(user):
    last = record_some(user, 2)[-1]
    verify_audit()
    output, _ = verify_audit()
    assert output.startswith(
        f"Journal intègre : aucune nouvelle entrée depuis le point de contrôle n° {last.sequence}, dont "
        "l'empreinte a été revérifiée."
    )
    assert AuditCheckpoint.objects.count() == 1


def test_an_edit_after_the_checkpoint_is_named(checked):
    _, new = checked
    tamper(new[1].sequence, ip="203.0.113.7")
    message = failure_of()
    assert f"Journal altéré à l'entrée n° {new[1].sequence}" in message and "modifiée" in message
    assert "depuis le dernier point de contrôle" in message


def test_a_deletion_after_the_checkpoint_is_named(checked):
    _, new = checked
    remove(new[0].sequence)
    message = failure_of()
    assert f"n° {new[0].sequence}" in message and "manquante" in message


def test_an_edit_before_the_checkpoint_shows_in_a_full_run_only(checked):
    old, _ = checked
    tamper(old[1].sequence, actor_label="quelqu'un d'autre")
    assert verify_chain(incremental=True).ok  # what incremental verification does not prove
    message = failure_of("--full")
    assert f"Journal altéré à l'entrée n° {old[1].sequence}" in message and "modifiée" in message


def test_the_checkpointed_entry_itself_is_hashed_again(checked):
    old, _ = checked
    tamper(old[-1].sequence, action="auth.logout")  # its stored hash kept: the checkpoint still agrees
    message = failure_of()
    assert f"Journal altéré à l'entrée n° {old[-1].sequence}" in message and "modifiée" in message


def test_a_deletion_before_the_checkpoint_is_counted_and_named(checked):
    old, _ = checked
    remove(old[2].sequence)
    message = failure_of()
    assert f"Journal altéré à l'entrée n° {old[2].sequence}" in message
    assert "manquante" in message and "avant le point de contrôle" in message


@pytest.mark.parametrize("mode", [(), ("--full",)], ids=["incremental", "full"])
def test_a_tampered_checkpoint_is_named(checked, mode):
    old, _ = checked
    checkpoint = AuditCheckpoint.objects.get()
    tamper_checkpoint(checkpoint.pk, hash="f" * 64)
    message = failure_of(*mode)
    assert f"Journal altéré à l'entrée n° {old[-1].sequence}" in message and "point de contrôle" in message
    assert AuditCheckpoint.objects.count() == 1  # a failed run records none


def test_a_forged_checkpoint_is_named(checked):
    old, new = checked
    # Inserting is the one write the application's role has on the table.
    AuditCheckpoint.objects.create(
        sequence=new[-1].sequence,
        hash="0" * 64,
        from_sequence=old[-1].sequence,
        created_at=new[-1].created_at,
    )
    message = failure_of()
    assert f"n° {new[-1].sequence}" in message and "point de contrôle" in message


def test_rewriting_the_chain_through_a_checkpoint_shows_in_both_modes(checked):
    """An intruder with the owner's rights edits an old entry and rewrites every hash after it, and the
    head, consistently: the chain alone looks whole, but the checkpoint remembers the hash of its entry."""
    old, new = checked
    previous_hash = old[0].hash
    for entry in AuditEntry.objects.filter(sequence__gt=old[0].sequence).order_by("sequence"):
        entry.prev_hash = previous_hash
        if entry.sequence == old[1].sequence:
            entry.actor_label = "faussaire"
        entry.hash = entry.compute_hash()
        tamper(entry.sequence, actor_label=entry.actor_label, prev_hash=entry.prev_hash, hash=entry.hash)
        previous_hash = entry.hash
    AuditChainHead.objects.update(last_hash=previous_hash)

    for mode in ((), ("--full",)):
        message = failure_of(*mode)
        assert f"n° {old[-1].sequence}" in message and "réécrit" in message


def test_a_truncation_the_head_hides_is_caught_by_a_checkpoint_past_it(checked):
    old, new = checked
    verify_audit()  # a checkpoint at the last new entry
    remove(*(entry.sequence for entry in new))
    AuditChainHead.objects.update(last_sequence=old[-1].sequence, last_hash=old[-1].hash)
    message = failure_of()
    assert f"n° {new[-1].sequence}" in message and "tronqué" in message


def test_an_expected_head_before_the_checkpoint_is_still_checked(checked):
    old, _ = checked
    output, _ = verify_audit("--expect-head", f"{old[2].sequence}:{old[2].hash}")
    assert "toujours présente" in output
    message = failure_of("--expect-head", f"{old[2].sequence}:{'a' * 64}")
    assert f"n° {old[2].sequence}" in message and "réécrit" in message


def test_no_checkpoint_for_a_read_only_role(user):
    record_some(user, 2)
    output, _ = verify_audit("--no-checkpoint")
    assert "Journal intègre" in output and "Point de contrôle" not in output
    assert not AuditCheckpoint.objects.exists()


def test_a_role_that_may_not_write_checkpoints_still_gets_its_verification(user, monkeypatch):
    def refused(**kwargs):
        raise DatabaseError("permission denied for table audit_auditcheckpoint")

    monkeypatch.setattr("maillage.audit.management.commands.verify_audit.checkpoint_record", refused)
    record_some(user, 2)
    output, errors = verify_audit()  # no CommandError: exit code 0
    assert output.startswith("Journal intègre : 2 entrées")
    assert "Point de contrôle non enregistré (permission denied" in errors and "--no-checkpoint" in errors


def test_a_failed_verification_records_no_checkpoint(user):
    entries = record_some(user, 3)
    tamper(entries[1].sequence, ip="203.0.113.8")
    result = verify_chain(incremental=True)
    assert not result.ok
    assert checkpoint_record(verification=result) is None
    assert not AuditCheckpoint.objects.exists()


def test_checkpoints_are_never_changed_through_the_model(checked):
    checkpoint = AuditCheckpoint.objects.get()
    with pytest.raises(RuntimeError):
        checkpoint.save()
    with pytest.raises(RuntimeError):
        checkpoint.delete()


class TestProgress:
    def test_the_command_reports_progress_and_rate_on_the_error_output(self, checked):
        old, new = checked
        output, progress = verify_audit("--full", "--progress", "0")
        assert f"Vérification complète du journal : {len(old) + len(new)} entrées…" in progress
        assert "8 / 8 entrées (100 %)" in progress and "par seconde" in progress
        assert "entrées par seconde)." in output  # the rate, at the end

        output, progress = verify_audit("--progress", "0")
        assert (
            f"Vérification depuis le point de contrôle n° {new[-1].sequence} : aucune nouvelle entrée…"
            in progress
        )

    def test_the_walk_reports_after_every_batch(self, user):
        record_some(user, 5)
        seen = []
        assert verify_chain(batch_size=2, progress=seen.append).ok
        assert [(p.done, p.total) for p in seen] == [(0, 5), (2, 5), (4, 5), (5, 5)]
        assert seen[-1].rate > 0 and seen[1].remaining is not None
