import pytest

from maillage.network.enums import OrganisationKind
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

DIRECTORY = "/reseau/annuaire/"


@pytest.mark.django_db
def test_directory_shows_partners_referents_and_emergency_numbers(member_client, territory, commune):
    client, _ = member_client("professional")
    OrganisationFactory(
        name="CIDFF de la Vendée",
        kind=OrganisationKind.ASSOCIATION,
        territories=[territory],
        phone="02 51 00 11 22",
    )
    MembershipFactory(
        territory=territory, communes=[commune], user__first_name="Annie", user__last_name="Durand"
    )
    elsewhere = TerritoryFactory(name="Ailleurs")
    OrganisationFactory(name="Organisation d'ailleurs", territories=[elsewhere])

    html = client.get(DIRECTORY).content.decode()

    assert "CIDFF de la Vendée" in html and "02 51 00 11 22" in html
    assert "Mouchamps" in html and "Annie Durand" in html
    for number in ["17", "112", "114", "3919", "119", "116 006", "115"]:
        assert f"<dt>{number}</dt>" in html
    assert "Organisation d'ailleurs" not in html


@pytest.mark.django_db
def test_directory_names_communes_without_referent(member_client, territory):
    client, _ = member_client("professional")
    CommuneFactory(territory=territory, name="Vendrennes")
    html = client.get(DIRECTORY).content.decode()
    assert "Vendrennes" in html and "Aucun référent nommé" in html


@pytest.mark.django_db
def test_deactivated_referent_is_not_listed(member_client, territory, commune):
    client, _ = member_client("professional")
    MembershipFactory(territory=territory, communes=[commune], user__last_name="Partie", is_active=False)
    assert "Partie" not in client.get(DIRECTORY).content.decode()


def populate(territory, n):
    for i in range(n):
        commune = CommuneFactory(territory=territory)
        organisation = OrganisationFactory(territories=[territory], kind=list(OrganisationKind)[i % 10])
        MembershipFactory(territory=territory, organisation=organisation, communes=[commune])


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 15])
def test_directory_query_count_does_not_grow_with_rows(
    member_client, territory, rows, django_assert_num_queries
):
    client, _ = member_client("professional")
    populate(territory, rows)
    # session, user, memberships (+roles, +communes), organisations, communes, referents
    with django_assert_num_queries(8):
        assert client.get(DIRECTORY).status_code == 200
