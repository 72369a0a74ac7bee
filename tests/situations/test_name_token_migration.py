"""Migration situations 0013: every name word takes its person's situation (the name search's index)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maillage.situations.models import PersonNameToken
from maillage.situations.services.persons import name_tokens_write
from tests.situations.factories import PersonFactory, SituationFactory


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_words_get_their_persons_situation():
    first, second = SituationFactory(), SituationFactory()
    persons = [
        PersonFactory(situation=first, first_name="Zéphyrine", last_name="Canarelli-Vasseur"),
        PersonFactory(situation=first, first_name="Marc", last_name="Durandeau"),
        PersonFactory(situation=second, first_name="Marc", last_name="Le Goff"),
    ]
    for person in persons:
        name_tokens_write(person)
    expected = {t.pk: t.person.situation_id for t in PersonNameToken.objects.select_related("person")}
    assert len(expected) == 8 and set(expected.values()) == {first.pk, second.pk}

    migrate([("situations", "0012_without_referent_index")])
    migrate(None)

    assert dict(PersonNameToken.objects.values_list("pk", "situation_id")) == expected
