import pytest

from maillage.network.enums import OrganisationKind
from maillage.web.templatetags.contacts import dial_number, phone_link
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
    for number, href in [
        ("17", "tel:17"),
        ("112", "tel:112"),
        ("114", "sms:114"),
        ("3919", "tel:3919"),
        ("119", "tel:119"),
        ("116 006", "tel:116006"),
        ("115", "tel:115"),
    ]:
        assert f'<dt><a href="{href}">{number}</a></dt>' in html
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


@pytest.mark.django_db
def test_phones_and_emails_can_be_tapped(member_client, territory, commune):
    client, _ = member_client("professional")
    OrganisationFactory(
        name="CIDFF de la Vendée",
        territories=[territory],
        phone="02 51 00 11 22",
        email="contact@cidff.example",
    )
    MembershipFactory(
        territory=territory,
        communes=[commune],
        work_phone="06.12.34.56.78",
        user__email="annie@mairie.example",
    )
    html = client.get(DIRECTORY).content.decode()
    assert '<a href="tel:+33251001122" class="contact-link">02 51 00 11 22</a>' in html
    assert '<a href="mailto:contact@cidff.example" class="contact-link">contact@cidff.example</a>' in html
    assert '<a href="tel:+33612345678" class="contact-link">06.12.34.56.78</a>' in html
    assert '<a href="mailto:annie@mairie.example" class="contact-link">annie@mairie.example</a>' in html


@pytest.mark.parametrize(
    ("written", "dialled"),
    [
        ("02 51 00 11 22", "+33251001122"),
        ("02.51.00.11.22", "+33251001122"),
        ("+33 2 51 00 11 22", "+33251001122"),
        ("0033 2 51 00 11 22", "+33251001122"),
        ("3919", "3919"),
        ("116 006", "116006"),
    ],
)
def test_numbers_are_dialled_normalised(written, dialled):
    assert dial_number(written) == dialled


def test_a_phone_without_digits_stays_text():
    assert phone_link("inconnu") == "inconnu"
    assert phone_link("") == ""


@pytest.mark.django_db
class TestSearch:
    @pytest.fixture
    def world(self, territory, commune):
        vendrennes = CommuneFactory(territory=territory, name="Vendrennes", postal_code="85250")
        MembershipFactory(territory=territory, communes=[vendrennes], user__last_name="Vendrennoise")
        OrganisationFactory(
            name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[territory]
        )
        OrganisationFactory(
            name="Hôpital", kind=OrganisationKind.HEALTH, territories=[territory], address="1 rue, Vendrennes"
        )
        OrganisationFactory(name="CCAS des Herbiers", kind=OrganisationKind.SOCIAL, territories=[territory])
        OrganisationFactory(name="CIDFF ailleurs", territories=[TerritoryFactory()])

    def test_by_organisation_name(self, member_client, world):
        client, _ = member_client("professional")
        html = client.get(DIRECTORY, {"q": "cidff"}).content.decode()
        assert "CIDFF de la Vendée" in html
        assert "Hôpital" not in html and "CCAS des Herbiers" not in html and "CIDFF ailleurs" not in html
        assert "Tout afficher" in html and 'value="cidff"' in html

    def test_by_commune_finds_its_referents_and_the_partners_there(self, member_client, world):
        client, _ = member_client("professional")
        html = client.get(DIRECTORY, {"q": "vendrennes"}).content.decode()
        assert "Vendrennoise" in html and "Hôpital" in html
        assert "Mouchamps" not in html and "CIDFF de la Vendée" not in html

    def test_by_kind(self, member_client, world):
        client, _ = member_client("professional")
        html = client.get(DIRECTORY, {"type": OrganisationKind.HEALTH}).content.decode()
        assert "Hôpital" in html
        assert "CIDFF de la Vendée" not in html and "Vendrennoise" not in html

    def test_nothing_found_says_so(self, member_client, world):
        client, _ = member_client("professional")
        html = client.get(DIRECTORY, {"q": "zzz"}).content.decode()
        assert "Aucun partenaire ne correspond à cette recherche." in html

    def test_an_unknown_kind_is_reported_and_nothing_is_hidden(self, member_client, world):
        client, _ = member_client("professional")
        response = client.get(DIRECTORY, {"type": "inconnu"})
        assert response.status_code == 200
        assert "CIDFF de la Vendée" in response.content.decode()

    def test_the_search_keeps_the_query_count(self, member_client, world, django_assert_num_queries):
        client, _ = member_client("professional")
        with django_assert_num_queries(8):
            assert client.get(DIRECTORY, {"q": "e"}).status_code == 200
