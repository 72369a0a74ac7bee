"""The public help page (`/aide/`): no account, no cookie, no cache, nothing nominative (DOMAIN.md §4)."""

import re

import pytest
from django.contrib.sessions.models import Session

from maillage.network.enums import OrganisationKind
from maillage.network.public_views import town_hall_of
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

NUMBERS = ["tel:17", "tel:112", "sms:114", "tel:3919", "tel:119", "tel:116006", "tel:115"]


@pytest.fixture
def herbiers():
    territory = TerritoryFactory(name="Pays des Herbiers")
    les_herbiers = CommuneFactory(territory=territory, name="Les Herbiers", postal_code="85500")
    mouchamps = CommuneFactory(territory=territory, name="Mouchamps", postal_code="85640")
    CommuneFactory(territory=territory, name="Vendrennes", postal_code="85250")
    OrganisationFactory(
        name="Mairie des Herbiers",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        phone="02 51 00 11 00",
        email="mairie.lesherbiers@exemple.fr",
        territories=[territory],
    )
    OrganisationFactory(
        name="Mairie de Mouchamps",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        phone="02 51 00 11 10",
        territories=[territory],
    )
    OrganisationFactory(
        name="CIDFF de la Vendée",
        kind=OrganisationKind.ASSOCIATION,
        phone="02 51 00 50 00",
        opening_hours="Permanences le mardi",
        territories=[territory],
    )
    OrganisationFactory(
        name="Parquet de La Roche-sur-Yon", kind=OrganisationKind.JUSTICE, territories=[territory]
    )
    OrganisationFactory(
        name="Association fermée", kind=OrganisationKind.ASSOCIATION, is_active=False, territories=[territory]
    )
    OrganisationFactory(name="Ailleurs", kind=OrganisationKind.ASSOCIATION)  # serves no territory here
    # A referent of Mouchamps, with a personal phone: a person, never shown here.
    MembershipFactory(
        territory=territory,
        communes=[mouchamps],
        work_phone="06 12 34 56 78",
        job_title="Adjointe aux solidarités",
        user__first_name="Odile",
        user__last_name="Bernardeau",
        user__email="odile.bernardeau@exemple.fr",
    )
    return territory, les_herbiers


def test_open_without_an_account_no_cookie_no_cache(client, herbiers):
    response = client.get("/aide/")
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "no-store" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not Session.objects.exists()


def test_neutral_title_and_nothing_external(client, herbiers):
    html = client.get("/aide/").content.decode()
    assert re.search(r"<title>\s*Informations pratiques\s*</title>", html)
    # Every script, style sheet and icon is the site's own (the quick exit's link is a link, not a resource).
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
        address = re.search(r'(?:src|href)="([^"]*)"', tag).group(1)
        assert address.startswith(("/static/", "data:")), tag
    assert "<script>" not in html  # no inline script (CSP)


def test_emergency_numbers_are_tappable(client, herbiers):
    html = client.get("/aide/").content.decode()
    for number in NUMBERS:
        assert f'href="{number}"' in html, number


def test_quick_exit_is_a_plain_link_without_javascript(client, herbiers):
    html = client.get("/aide/").content.decode()
    assert re.search(r'<a class="quick-exit"[^>]*href="https://meteofrance.com/"[^>]*rel="noreferrer"', html)


def test_public_contacts_of_organisations_and_communes(client, herbiers):
    html = client.get("/aide/").content.decode()
    assert "Mairie des Herbiers" in html
    assert 'href="tel:+33251001100"' in html
    assert "mailto:mairie.lesherbiers@exemple.fr" in html
    assert "CIDFF de la Vendée" in html and "Permanences le mardi" in html
    assert "Vendrennes" in html  # a commune without a town hall in the network is listed too
    # Justice, inactive organisations and other territories' are not on the page.
    for absent in ("Parquet de La Roche-sur-Yon", "Association fermée", "Ailleurs"):
        assert absent not in html


def test_nothing_nominative(client, herbiers):
    html = client.get("/aide/").content.decode()
    for secret in ("Odile", "Bernardeau", "06 12 34 56 78", "+33612345678", "odile.bernardeau", "Adjointe"):
        assert secret not in html


def test_the_town_hall_is_found_by_the_commune_s_name():
    class Org:
        def __init__(self, name, kind=OrganisationKind.LOCAL_AUTHORITY):
            self.name, self.kind = name, kind

    organisations = [
        Org("Mairie des Herbiers"),
        Org("Mairie des Épesses"),
        Org("CCAS des Herbiers", OrganisationKind.SOCIAL),
        Org("Mairie de Saint-Mars-la-Réorthe"),
        Org("Mairie d'Essarts-en-Bocage"),
        Org("Mairie du Boupère"),
        Org("Gendarmerie — brigade des Herbiers", OrganisationKind.LAW_ENFORCEMENT),
        Org("Mairie des Herbiers", OrganisationKind.HEALTH),
    ]
    assert [o.name for o in town_hall_of("Les Herbiers", organisations)] == [
        "Mairie des Herbiers",
        "CCAS des Herbiers",
    ]
    assert [o.name for o in town_hall_of("Les Épesses", organisations)] == ["Mairie des Épesses"]
    assert [o.name for o in town_hall_of("Saint-Mars-la-Réorthe", organisations)] == [
        "Mairie de Saint-Mars-la-Réorthe"
    ]
    assert [o.name for o in town_hall_of("Essarts-en-Bocage", organisations)] == [
        "Mairie d'Essarts-en-Bocage"
    ]
    assert [o.name for o in town_hall_of("Le Boupère", organisations)] == ["Mairie du Boupère"]
    assert town_hall_of("Herbiers", organisations) == []


def test_several_territories_a_list_then_each_page(client, herbiers):
    territory, _commune = herbiers
    other = TerritoryFactory(name="Pays de Pouzauges")
    response = client.get("/aide/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/aide/{territory.public_id}/" in html and f"/aide/{other.public_id}/" in html
    assert 'href="tel:3919"' in html
    page = client.get(f"/aide/{territory.public_id}/")
    assert page.status_code == 200 and not page.cookies
    assert "Mairie des Herbiers" in page.content.decode()
    assert client.get("/aide/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_sign_in_page_links_to_it(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/aide/"' in html
    assert "Vous êtes victime ou témoin ? Numéros d&#x27;urgence et aide" in html or (
        "Vous êtes victime ou témoin ? Numéros d'urgence et aide" in html
    )


def test_a_signed_in_member_sees_the_same_page(client, herbiers):
    # (A member's own session is refreshed by its idle clock, as on every page: no new cookie is made.)
    territory, _commune = herbiers
    member = MembershipFactory(territory=territory, roles=["coordinator"])
    sign_in(client, member.user)
    response = client.get("/aide/")
    assert response.status_code == 200
    assert "Odile" not in response.content.decode()


def test_platform_admin_too(client, herbiers):
    sign_in(client, UserFactory(platform_admin=True))
    assert client.get("/aide/").status_code == 200
