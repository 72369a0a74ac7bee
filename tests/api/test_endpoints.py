"""What each endpoint answers, only from the caller's territory, in a fixed number of queries."""

import pytest

from maillage.network.emergency import EMERGENCY_NUMBERS
from maillage.network.enums import OrganisationKind, ReferentKind
from tests.api.helpers import API, bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


@pytest.fixture
def elsewhere(db):
    """Another territory, with data that must never show up for our members."""
    territory = TerritoryFactory(name="Territoire voisin")
    commune = CommuneFactory(territory=territory, name="Commune voisine")
    OrganisationFactory(name="Organisation voisine", territories=[territory])
    MembershipFactory(territory=territory, communes=[commune], user__last_name="Voisine")
    return territory


@pytest.mark.django_db
class TestMe:
    def test_me_describes_the_user_and_every_active_membership(self, client, territory, commune):
        membership = MembershipFactory(
            territory=territory,
            roles=["coordinator"],
            communes=[commune],
            organisation=OrganisationFactory(name="Communauté de communes", territories=[territory]),
            user__first_name="Léa",
            user__last_name="Martin",
        )
        other = MembershipFactory(user=membership.user, roles=["observer"])
        MembershipFactory(user=membership.user, is_active=False)
        sign_in(client, membership.user, other)

        body = client.get(f"{API}/me").json()

        assert body["user"] == {
            "public_id": str(membership.user.public_id),
            "email": membership.user.email,
            "first_name": "Léa",
            "last_name": "Martin",
            "is_platform_admin": False,
        }
        assert body["active_membership"]["public_id"] == str(other.public_id)
        by_name = {m["organisation"]["name"]: m for m in body["memberships"]}
        assert set(by_name) == {"Communauté de communes", other.organisation.name}
        mine = by_name["Communauté de communes"]
        assert mine["territory"] == {"public_id": str(territory.public_id), "name": territory.name}
        assert mine["roles"] == ["coordinator", "referent"]
        assert mine["communes"] == [{"public_id": str(commune.public_id), "name": "Mouchamps"}]
        assert mine["organisation"]["kind"] == OrganisationKind.SOCIAL
        assert mine["organisation"]["kind_label"] == "Action sociale"
        assert by_name[other.organisation.name]["communes"] == []

    @pytest.mark.parametrize("referent_communes", [0, 1, 6])
    def test_me_query_count(self, client, territory, referent_communes, django_assert_num_queries):
        communes = [CommuneFactory(territory=territory) for _ in range(referent_communes)]
        membership = MembershipFactory(territory=territory, communes=communes)
        MembershipFactory(user=membership.user)
        _, key = create_token(membership)
        client.get(f"{API}/me", headers=bearer(key))  # records the first use
        # token, memberships (+roles, +communes as referent), the communes' names when referent
        with django_assert_num_queries(5 if referent_communes else 4):
            assert client.get(f"{API}/me", headers=bearer(key)).status_code == 200


@pytest.mark.django_db
class TestCommunes:
    def test_lists_the_communes_of_the_territory_only(self, member_client, territory, elsewhere):
        client, _ = member_client()
        CommuneFactory(
            territory=territory, name="Vendrennes", postal_code="85250", population=1730, insee_code="85300"
        )
        CommuneFactory(territory=territory, name="Beaurepaire", postal_code="85500", population=2420)

        body = client.get(f"{API}/communes").json()

        assert body["count"] == 2
        assert [c["name"] for c in body["items"]] == ["Beaurepaire", "Vendrennes"]
        assert body["items"][1] == {
            "public_id": body["items"][1]["public_id"],
            "name": "Vendrennes",
            "postal_code": "85250",
            "population": 1730,
            "insee_code": "85300",
        }

    def test_paginates_with_limit_and_offset(self, member_client, territory):
        client, _ = member_client()
        for i in range(60):
            CommuneFactory(territory=territory, name=f"Commune {i:02d}")
        first = client.get(f"{API}/communes").json()
        assert first["count"] == 60 and len(first["items"]) == 50
        rest = client.get(f"{API}/communes?limit=50&offset=50").json()
        assert [c["name"] for c in rest["items"]] == [f"Commune {i}" for i in range(50, 60)]
        assert client.get(f"{API}/communes?limit=0").status_code == 422

    @pytest.mark.parametrize("rows", [1, 30])
    def test_query_count(self, client, territory, rows, django_assert_num_queries):
        for _ in range(rows):
            CommuneFactory(territory=territory)
        membership = MembershipFactory(territory=territory)
        sign_in(client, membership.user, membership)
        # session, user, memberships (+roles, +communes as referent), count, page
        with django_assert_num_queries(7):
            assert client.get(f"{API}/communes").json()["count"] == rows


@pytest.mark.django_db
class TestOrganisations:
    def test_lists_active_organisations_of_the_territory_with_public_contact(
        self, member_client, territory, elsewhere
    ):
        client, membership = member_client()
        OrganisationFactory(
            name="CIDFF de la Vendée",
            kind=OrganisationKind.ASSOCIATION,
            territories=[territory, elsewhere],
            phone="02 51 00 11 22",
            email="contact@cidff.test",
            address="1 rue de la Paix, 85000 La Roche-sur-Yon",
            website="https://cidff.test",
            opening_hours="Lundi au vendredi, 9 h – 17 h",
        )
        OrganisationFactory(name="Dissoute", territories=[territory], is_active=False)

        body = client.get(f"{API}/organisations").json()

        names = [o["name"] for o in body["items"]]
        assert sorted(names) == sorted(["CIDFF de la Vendée", membership.organisation.name])
        assert body["count"] == 2
        cidff = next(o for o in body["items"] if o["name"] == "CIDFF de la Vendée")
        assert cidff["kind"] == "association" and cidff["kind_label"] == "Association d'aide aux victimes"
        assert cidff["phone"] == "02 51 00 11 22" and cidff["email"] == "contact@cidff.test"
        assert cidff["address"].startswith("1 rue de la Paix")
        assert cidff["website"] == "https://cidff.test"
        assert cidff["opening_hours"] == "Lundi au vendredi, 9 h – 17 h"

    def test_filters_by_kind(self, member_client, territory):
        client, _ = member_client()
        OrganisationFactory(
            name="Gendarmerie", kind=OrganisationKind.LAW_ENFORCEMENT, territories=[territory]
        )
        body = client.get(f"{API}/organisations?kind=law_enforcement").json()
        assert [o["name"] for o in body["items"]] == ["Gendarmerie"]
        assert client.get(f"{API}/organisations?kind=inconnu").status_code == 422

    @pytest.mark.parametrize("rows", [1, 30])
    def test_query_count(self, client, territory, rows, django_assert_num_queries):
        for _ in range(rows):
            OrganisationFactory(territories=[territory])
        membership = MembershipFactory(territory=territory)
        _, key = create_token(membership)
        client.get(f"{API}/organisations", headers=bearer(key))  # records the first use
        # token, memberships (+roles, +communes as referent), count, page
        with django_assert_num_queries(6):
            assert client.get(f"{API}/organisations", headers=bearer(key)).json()["count"] == rows + 1


@pytest.mark.django_db
class TestDirectory:
    def test_directory_lists_partners_referents_and_emergency_numbers(
        self, member_client, territory, commune, elsewhere
    ):
        client, membership = member_client()
        referent = MembershipFactory(
            territory=territory,
            communes=[commune],
            user__first_name="Annie",
            user__last_name="Durand",
            job_title="Adjointe aux solidarités",
            work_phone="02 51 66 00 00",
        )
        MembershipFactory(
            territory=territory,
            organisation=referent.organisation,
            communes=[commune],
            user__last_name="Partie",
            is_active=False,
        )
        CommuneFactory(territory=territory, name="Vendrennes")

        body = client.get(f"{API}/directory").json()

        assert [n["number"] for n in body["emergency_numbers"]] == [n.number for n in EMERGENCY_NUMBERS]
        assert {n["number"] for n in body["emergency_numbers"]} >= {
            "17",
            "112",
            "114",
            "3919",
            "119",
            "116 006",
            "115",
        }
        assert next(n for n in body["emergency_numbers"] if n["number"] == "116 006")["dial"] == "116006"
        assert {o["name"] for o in body["organisations"]} == {
            membership.organisation.name,
            referent.organisation.name,
        }
        communes = {c["name"]: c for c in body["communes"]}
        assert set(communes) == {"Mouchamps", "Vendrennes"}
        assert communes["Vendrennes"]["referents"] == []
        assert communes["Mouchamps"]["referents"] == [
            {
                "name": "Annie Durand",
                "kind": ReferentKind.ELECTED,
                "kind_label": "Membre du conseil municipal",
                "organisation": {
                    "public_id": str(referent.organisation.public_id),
                    "name": referent.organisation.name,
                    "kind": referent.organisation.kind,
                    "kind_label": referent.organisation.get_kind_display(),
                },
                "job_title": "Adjointe aux solidarités",
                "work_phone": "02 51 66 00 00",
            }
        ]
        assert "voisin" not in str(body).lower()

    @pytest.mark.parametrize("rows", [1, 15])
    def test_query_count(self, client, territory, rows, django_assert_num_queries):
        for i in range(rows):
            commune = CommuneFactory(territory=territory)
            organisation = OrganisationFactory(territories=[territory], kind=list(OrganisationKind)[i % 10])
            MembershipFactory(territory=territory, organisation=organisation, communes=[commune])
        membership = MembershipFactory(territory=territory)
        sign_in(client, membership.user, membership)
        # session, user, memberships (+roles, +communes as referent), organisations, communes, referents
        with django_assert_num_queries(8):
            body = client.get(f"{API}/directory").json()
        assert len(body["communes"]) == rows
