"""tests/db.py: what a module builds once is seen by each of its tests, what one test writes is seen by no
other, and nothing is left once the module is done."""

import pytest

from maillage.territories.models import Territory
from tests.territories.factories import TerritoryFactory


@pytest.fixture(scope="module")
def shared_territory(built_once, django_db_blocker):
    with built_once(lambda: TerritoryFactory(name="Pays partagé")) as territory:
        yield territory
    with django_db_blocker.unblock():
        assert not Territory.objects.filter(pk=territory.pk).exists(), "left for the next module"


@pytest.mark.parametrize("test", ["first", "second", "third"])
def test_each_test_sees_what_was_built_once_and_none_of_the_others_writes(shared_territory, db, test):
    assert list(Territory.objects.values_list("pk", "name")) == [(shared_territory.pk, "Pays partagé")]
    TerritoryFactory(name=f"Écrit par le {test} test")
    Territory.objects.filter(pk=shared_territory.pk).update(name="Renommé")
