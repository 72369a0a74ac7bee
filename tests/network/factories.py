import factory

from maillage.network.enums import OrganisationKind, ReferentKind
from maillage.network.models import CommuneReferent, Membership, MembershipRole, Organisation
from tests.accounts.factories import UserFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.SOCIAL
    phone = "02 51 00 00 00"

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    """`MembershipFactory(roles=["coordinator"])`; `communes=[...]` also appoints a referent."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    territory = factory.SubFactory(TerritoryFactory)
    organisation = factory.LazyAttribute(lambda o: OrganisationFactory(territories=[o.territory]))
    job_title = "Chargée de mission"

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or ["professional"]:
                MembershipRole.objects.get_or_create(membership=self, role=role)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            for commune in extracted:
                CommuneReferent.objects.create(commune=commune, membership=self, kind=ReferentKind.ELECTED)
            MembershipRole.objects.get_or_create(membership=self, role="referent")


__all__ = ["CommuneFactory", "MembershipFactory", "OrganisationFactory"]
