import pytest

from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.territories.enums import TerritoryKind
from maillage.territories.models import Commune, Territory
from maillage.territories.services import territory_import
from maillage.territories.territory_file import CommuneData, TerritoryData
from tests.accounts.factories import UserFactory
from tests.network.factories import MembershipFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_actor():
    return Actor.from_membership(UserFactory(platform_admin=True), None)


def territory_data(*communes: CommuneData, name="Pays des Herbiers", kind="epci", department_code="85"):
    return TerritoryData(name=name, kind=kind, department_code=department_code, communes=communes)


HERBIERS = CommuneData("Les Herbiers", "85500", 16135, "85109")
MOUCHAMPS = CommuneData("Mouchamps", "85640", 2957, "85153")


def test_import_creates_the_territory_and_its_communes(platform_actor):
    territory, created, updated = territory_import(
        actor=platform_actor, data=territory_data(HERBIERS, MOUCHAMPS)
    )
    assert (created, updated) == (2, 0)
    assert (territory.name, territory.kind, territory.department_code) == ("Pays des Herbiers", "epci", "85")
    assert list(territory.communes.values_list("name", "postal_code", "population", "insee_code")) == [
        ("Les Herbiers", "85500", 16135, "85109"),
        ("Mouchamps", "85640", 2957, "85153"),
    ]


def test_import_into_an_existing_territory_updates_adds_and_never_deletes(platform_actor):
    territory = TerritoryFactory(name="Pays des Herbiers", kind=TerritoryKind.CISPD)
    CommuneFactory(
        territory=territory, name="Les Herbiers", postal_code="85500", population=15000, insee_code=""
    )
    CommuneFactory(
        territory=territory, name="Mouchamps", postal_code="85640", population=2957, insee_code="85153"
    )
    CommuneFactory(territory=territory, name="Vendrennes", postal_code="85250", population=1730)
    data = territory_data(
        HERBIERS,
        CommuneData("mouchamps", "85640", 2957, ""),  # same commune, nothing new: unchanged, INSEE kept
        CommuneData("Beaurepaire", "85500", 2420, "85017"),
        name="pays des herbiers",
    )

    same, created, updated = territory_import(actor=platform_actor, data=data)

    assert same == territory
    assert (created, updated) == (1, 1)
    assert same.kind == "epci"
    assert Territory.objects.count() == 1
    communes = {c.name: c for c in territory.communes.all()}
    assert set(communes) == {"Les Herbiers", "Mouchamps", "Vendrennes", "Beaurepaire"}
    assert (communes["Les Herbiers"].population, communes["Les Herbiers"].insee_code) == (16135, "85109")
    assert communes["Mouchamps"].insee_code == "85153"


def test_import_twice_changes_nothing_the_second_time(platform_actor):
    territory_import(actor=platform_actor, data=territory_data(HERBIERS, MOUCHAMPS))
    _, created, updated = territory_import(actor=platform_actor, data=territory_data(HERBIERS, MOUCHAMPS))
    assert (created, updated) == (0, 0)
    assert Commune.objects.count() == 2


def test_an_insee_code_held_by_another_commune_of_the_territory_stops_the_whole_import(platform_actor):
    territory = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=territory, name="Les Herbiers", population=16000, insee_code="85109")
    data = territory_data(
        CommuneData("Les Herbiers", "85500", 16135, ""),
        CommuneData("Vendrennes", "85250", 1730, "85109"),
    )
    with pytest.raises(DomainError) as caught:
        territory_import(actor=platform_actor, data=data)
    assert "85109 : Les Herbiers, Vendrennes" in caught.value.message
    assert list(territory.communes.values_list("name", "population")) == [("Les Herbiers", 16000)]


@pytest.mark.parametrize("role", ["coordinator", "org_admin", "referent", "dpo"])
def test_members_may_not_import(role):
    membership = MembershipFactory(roles=[role])
    actor = Actor.from_membership(membership.user, membership)
    with pytest.raises(PermissionDeniedError):
        territory_import(actor=actor, data=territory_data(HERBIERS))
    assert not Territory.objects.filter(name="Pays des Herbiers").exists()
