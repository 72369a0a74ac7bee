"""What only PostgreSQL can show: simultaneous reports each get their own pseudonym (the counter row is
locked while a number is handed out)."""

import threading

import pytest
from django.db import connection, connections

from maillage.situations.models import Situation
from tests.situations.factories import report_situation

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite serialises every writer anyway (run with DATABASE_URL=postgres://…)",
)

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reports_get_distinct_pseudonyms(net):
    actors = [
        net.actor(name) for name in ("gendarme", "gendarme_colleague", "cidff", "doctor", "ccas", "referent")
    ]
    start = threading.Barrier(THREADS)
    errors = []

    def report(actor):
        try:
            start.wait()
            report_situation(actor, commune=net.mouchamps)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(actor,)) for actor in actors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    numbers = sorted(int(p.rsplit("-", 1)[1]) for p in Situation.objects.values_list("pseudonym", flat=True))
    assert numbers == list(range(1, THREADS + 1))
