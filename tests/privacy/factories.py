import datetime

import factory

from tests.testapp.models import Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    phone = "06 12 34 56 78"
    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    address = "12 rue de la Gare\n85500 Les Herbiers"
    birth_date = datetime.date(1984, 3, 9)
