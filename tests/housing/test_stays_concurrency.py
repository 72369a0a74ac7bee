"""Two people allocating the last free unit for the same nights at the same moment, each in their own
transaction on their own connection (threads): exactly one stay is planned, the other person gets the clear
message and their request stays pending. On PostgreSQL the unit row lock serialises them (and the exclusion
constraint would catch a miss); on SQLite the database serialises writers (BEGIN IMMEDIATE)."""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from maillage.errors import DomainError
from maillage.housing.enums import RequestStatus
from maillage.housing.models import Stay, StayRequest
from tests.housing.factories_stays import StayWorld


def _waiting_for_the_writer_lock(call):
    for _attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            connections.close_all()
            time.sleep(0.05)
    raise AssertionError("the SQLite writer lock was never released")


def at_once(calls):
    """Runs the calls in threads released together; returns (results, domain errors)."""
    start = threading.Barrier(len(calls))
    results, refused, crashed = [], [], []

    def run(call):
        try:
            start.wait()
            results.append(_waiting_for_the_writer_lock(call))
        except DomainError as error:
            refused.append(error)
        except Exception as error:  # reported by the main thread
            crashed.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not crashed, crashed
    return results, refused


@pytest.mark.django_db(transaction=True)
def test_two_allocations_of_the_last_free_unit_one_wins(transactional_db):
    w = StayWorld()
    for round_ in range(3):
        first = w.request(situation=w.another_situation(), days=round_ * 20)
        second = w.request(situation=w.another_situation(), days=round_ * 20)
        calls = [
            lambda r=first, s=round_ * 20: w.allocate(r, by="housing_manager", start=s, nights=5),
            lambda r=second, s=round_ * 20 + 2: w.allocate(r, by="coordinator", start=s, nights=5),
        ]
        results, refused = at_once(calls)
        assert len(results) == 1 and len(refused) == 1
        assert "déjà occupé" in refused[0].message and "Rien n'a été enregistré" in refused[0].message
        statuses = sorted(
            StayRequest.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
        )
        assert statuses == sorted([RequestStatus.ALLOCATED, RequestStatus.PENDING])
    assert Stay.objects.count() == 3
