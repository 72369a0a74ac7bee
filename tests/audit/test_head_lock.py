"""The chain head is locked for the entry's own statements only (ADR 0044): from the lock to the end of the
transaction, a page view runs nothing but its entries, so that readers wait for each other as little as
possible."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.audit.services import record
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

pytestmark = pytest.mark.django_db

LOCK = "FROM audit_auditchainhead"


def from_the_lock(queries) -> list[str]:
    """The statements from the first lock of the head on, savepoints left out (the test's transaction)."""
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    first = next(i for i, sql in enumerate(statements) if LOCK in sql and sql.startswith("SELECT"))
    return statements[first:]


def test_the_head_is_held_for_the_lock_and_the_append():
    net = Network()
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    with CaptureQueriesContext(connection) as queries:
        record(actor=net.actor("gendarme"), action=AuditAction.SITUATION_VIEWED, obj=situation, changes={})
    held = from_the_lock(queries.captured_queries)
    if connection.vendor == "postgresql":
        # One statement inserts the entry and moves the head: one round trip less while holding the lock.
        assert len(held) == 2, held
        assert held[1].startswith("WITH entry AS (INSERT INTO audit_auditentry")
    else:  # SQLite: no data-modifying WITH; the IMMEDIATE transaction holds the database's lock anyway
        assert [sql.split(" ")[0] for sql in held] == ["SELECT", "INSERT", "UPDATE"], held


def test_a_situation_page_holds_the_head_only_for_its_entries():
    net = Network()
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    client = net.client("coordinator")
    url = reverse("situations:detail", args=[situation.public_id]) + "?identites=1"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    held = from_the_lock(queries.captured_queries)
    entries = 2  # situation.viewed and situation.identity_viewed
    per_entry = 2 if connection.vendor == "postgresql" else 3
    # Then the page renders and the session is saved, after the commit: in autocommit, not under the lock.
    assert all("audit_audit" in sql for sql in held[: entries * per_entry]), held[: entries * per_entry]
    assert not any("audit_auditchainhead" in sql for sql in held[entries * per_entry :])


@pytest.mark.django_db(transaction=True)
def test_a_page_view_is_recorded_in_a_transaction_of_its_own(monkeypatch):
    """No caller wraps a page view's entries in a longer transaction: its commit comes right after them."""
    net = Network()
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    depths = []
    original = audit.record

    def spy(**kwargs):
        depths.append(len(connection.atomic_blocks))  # situation_view_record's own, nothing around it
        return original(**kwargs)

    monkeypatch.setattr(audit, "record", spy)
    client = net.client("coordinator")
    assert (
        client.get(reverse("situations:detail", args=[situation.public_id]) + "?identites=1").status_code
        == 200
    )
    assert depths == [1, 1]
