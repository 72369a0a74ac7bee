"""`maillage benchmark-audit`: synthetic chained entries continue the real chain, both verifications timed;
demo mode only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from maillage.audit.models import AuditChainHead, AuditEntry
from maillage.audit.verify import verify_chain
from tests.accounts.factories import UserFactory
from tests.audit.helpers import record_some

pytestmark = pytest.mark.django_db


def test_only_in_demo_mode():
    with pytest.raises(CommandError, match="démonstration"):
        call_command("benchmark_audit", "--entries", "10", stdout=StringIO())


@override_settings(DEMO_MODE=True)
def test_synthetic_entries_chain_and_both_runs_are_timed():
    record_some(UserFactory(), 2)  # the synthetic entries continue the real chain
    out = StringIO()
    call_command("benchmark_audit", "--entries", "40", "--new", "7", stdout=out, stderr=StringIO())
    output = out.getvalue()
    assert "Vérification complète : 40 entrées en" in output and "entrées par seconde" in output
    assert "Vérification depuis le point de contrôle : 7 nouvelles entrées sur 47" in output
    assert AuditChainHead.objects.get().last_sequence == AuditEntry.objects.count() == 47
    result = verify_chain()
    assert result.ok and result.count == 47, result.summary


@pytest.mark.django_db(transaction=True)
@override_settings(DEMO_MODE=True)
def test_concurrent_writers_chain_their_entries_and_print_rates_and_latencies():
    # The tests' in-memory SQLite (shared cache) refuses a second writer at once instead of waiting.
    writers = ["1", "2"] if connection.vendor == "postgresql" else ["1"]
    out = StringIO()
    call_command("benchmark_audit", "--writers", ",".join(writers), "--seconds", "0.3", stdout=out)
    output = out.getvalue()
    assert "entrées de la console" in output  # no situation in this database
    assert "| fils | entrées | entrées/s | p50 ms | p95 ms | p99 ms | max ms |" in output
    assert all(f"\n| {n} | " in output for n in writers)
    result = verify_chain()
    assert result.ok and result.count == AuditEntry.objects.count() > 2, result.summary


@override_settings(DEMO_MODE=True)
def test_writers_must_be_positive_numbers():
    with pytest.raises(CommandError, match="--writers"):
        call_command("benchmark_audit", "--writers", "0,x", stdout=StringIO())
