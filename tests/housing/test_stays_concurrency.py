"""Two people allocating the last free unit for the same nights at the same moment, each in their own
transaction on their own connection (threads): exactly one stay is planned, the other person gets the clear
message and their request stays pending. On PostgreSQL the unit row lock serialises them (and the exclusion
constraint would catch a miss); on SQLite the database serialises writers (BEGIN IMMEDIATE)."""

import pytest

from maillage.housing.enums import RequestStatus
from maillage.housing.models import Stay, StayRequest
from tests.concurrency import at_once
from tests.housing.factories_stays import StayWorld


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
        results, refused = at_once(calls, wait_for_sqlite_lock=True)
        assert len(results) == 1 and len(refused) == 1
        assert "déjà occupé" in refused[0].message and "Rien n'a été enregistré" in refused[0].message
        statuses = sorted(
            StayRequest.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)
        )
        assert statuses == sorted([RequestStatus.ALLOCATED, RequestStatus.PENDING])
    assert Stay.objects.count() == 3
