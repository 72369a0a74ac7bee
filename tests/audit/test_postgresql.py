"""What only PostgreSQL can show: the database refuses to change the trail, and concurrent writers queue
on the chain head instead of forking the chain."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from maillage.audit.checkpoints import checkpoint_record
from maillage.audit.models import HEAD_PK, AuditChainHead, AuditCheckpoint, AuditEntry
from maillage.audit.services import record
from maillage.audit.verify import verify_chain
from maillage.network.actor import Actor
from tests.accounts.factories import UserFactory
from tests.audit.helpers import record_some

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite has no append-only trigger and serialises every writer anyway "
    "(run with DATABASE_URL=postgres://…)",
)

THREADS = 8
RECORDS_PER_THREAD = 25


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda entries: entries.update(actor_label="faussaire"),
        lambda entries: entries.delete(),
    ],
    ids=["update", "delete"],
)
def test_the_trigger_refuses_to_change_or_delete_an_entry(change):
    entry = record_some(UserFactory(), 1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change(AuditEntry.objects.filter(pk=entry.pk))
    entry.refresh_from_db()
    assert entry.actor_label != "faussaire"
    assert verify_chain().ok


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_trigger_refuses_to_change_or_delete_a_checkpoint(change):
    record_some(UserFactory(), 2)
    result = verify_chain()
    checkpoint = checkpoint_record(verification=result)
    checkpoints = AuditCheckpoint.objects.filter(pk=checkpoint.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        checkpoints.update(hash="0" * 64) if change == "update" else checkpoints.delete()
    assert checkpoints.get().hash == result.last_hash
    assert verify_chain(incremental=True).ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("head", ["migrated", "flushed"])
def test_concurrent_writers_make_one_chain(head):
    # Transactional tests empty every table afterwards, the head with them: the first writers then race to
    # create it, which must not fork the chain either.
    if head == "migrated":
        AuditChainHead.objects.get_or_create(pk=HEAD_PK)
    else:
        AuditChainHead.objects.all().delete()
    user = UserFactory()
    actor = Actor(user=user, membership=None)
    start = threading.Barrier(THREADS)
    errors = []

    def write():
        try:
            start.wait()
            for _ in range(RECORDS_PER_THREAD):
                with transaction.atomic():
                    record(actor=actor, action="auth.login", user=user)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    written = list(AuditEntry.objects.filter(action="auth.login").order_by("sequence"))
    assert len(written) == THREADS * RECORDS_PER_THREAD
    sequences = list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    result = verify_chain()
    assert result.ok, result.summary
    assert result.count == len(sequences)
