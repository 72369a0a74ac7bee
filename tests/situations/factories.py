"""Situations for tests: factories for plain rows, `report_situation` for the real reporting service.

`SituationFactory(territory=…, commune=…, created_by=membership)` builds a situation without side effects
(no participation, no notification); `report_situation(actor_or_membership, **overrides)` goes through
`services.situation_report`, exactly as the report form does.
"""

import datetime

import factory

from maillage.network.actor import Actor, with_facts
from maillage.network.models import Membership
from maillage.situations.enums import (
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    PersonRole,
    Sex,
    ViolenceType,
)
from maillage.situations.models import Person, Situation
from tests.network.factories import MembershipFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


def actor_of(membership: Membership) -> Actor:
    """The actor of a membership, as the middleware would resolve it (reads its communes afresh)."""
    membership = with_facts(Membership.objects.select_related("organisation", "territory")).get(
        pk=membership.pk
    )
    return Actor.from_membership(membership.user, membership, [membership])


class SituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Situation

    territory = factory.SubFactory(TerritoryFactory)
    commune = factory.LazyAttribute(lambda o: CommuneFactory(territory=o.territory))
    pseudonym = factory.Sequence(lambda n: f"S-2026-{n + 5000:04d}")
    detected_on = factory.LazyFunction(lambda: datetime.date(2026, 3, 2))
    sources = factory.LazyFunction(lambda: [DetectionSource.LAW_ENFORCEMENT.value])
    violence_types = factory.LazyFunction(lambda: [ViolenceType.PHYSICAL.value])
    created_by = factory.LazyAttribute(lambda o: MembershipFactory(territory=o.territory))

    class Params:
        urgent_danger = factory.Trait(urgent=True)
        is_restricted = factory.Trait(restricted=True, restriction_reason="Personne membre du réseau")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    situation = factory.SubFactory(SituationFactory)
    role = PersonRole.VICTIM
    sex = Sex.FEMALE
    first_name = factory.Faker("first_name_female", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")

    class Params:
        child = factory.Trait(role=PersonRole.CHILD, age=7, last_name="", sex=Sex.UNKNOWN)
        perpetrator = factory.Trait(role=PersonRole.PERPETRATOR, sex=Sex.MALE)


def report_situation(actor, **overrides) -> Situation:
    """Report a situation through the real service. `actor` may be an Actor or a Membership.

    Defaults: a commune of the actor's territory (created if there is none), today-ish date, one source,
    one violence type, not urgent, one victim "Camille Exemple", consent given to the network,
    phone allowed as safe contact."""
    from maillage.situations import services

    if isinstance(actor, Membership):
        actor = actor_of(actor)
    territory = actor.territory
    commune = overrides.pop("commune", None) or (
        territory.communes.order_by("pk").first() or CommuneFactory(territory=territory)
    )
    arguments = {
        "commune": commune,
        "detected_on": datetime.date(2026, 3, 2),
        "sources": [DetectionSource.LAW_ENFORCEMENT.value],
        "violence_types": [ViolenceType.PHYSICAL.value],
        "urgent": False,
        "persons": [
            {"role": PersonRole.VICTIM, "sex": Sex.FEMALE, "first_name": "Camille", "last_name": "Exemple"},
        ],
        "consent": {"answer": ConsentAnswer.GIVEN, "organisations": []},
        "safe_contacts": [
            {"channel": ContactChannel.PHONE, "allowed": True, "safe_hours": "", "code_word": ""}
        ],
    }
    arguments.update(overrides)
    return services.situation_report(actor=actor, **arguments)
