import pytest
from django.urls import reverse

from maillage.network.models import Organisation
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import TerritoryFactory

MEMBER_ROLES = ["coordinator", "referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]


def listed_names(response) -> list[str]:
    return [o.name for o in response.context["page"].object_list]


def test_list_filters_by_territory_and_kind(platform_client):
    herbiers, pouzauges = (
        TerritoryFactory(name="Pays des Herbiers"),
        TerritoryFactory(name="Pays de Pouzauges"),
    )
    OrganisationFactory(name="Parquet de La Roche-sur-Yon", kind="justice", territories=[herbiers, pouzauges])
    OrganisationFactory(name="CCAS des Herbiers", kind="social", territories=[herbiers])
    OrganisationFactory(name="CCAS de Pouzauges", kind="social", territories=[pouzauges])
    url = reverse("network_platform:organisation_list")

    assert listed_names(platform_client.get(url)) == [
        "CCAS de Pouzauges",
        "CCAS des Herbiers",
        "Parquet de La Roche-sur-Yon",
    ]
    response = platform_client.get(url, {"territoire": str(herbiers.public_id)})
    assert listed_names(response) == ["CCAS des Herbiers", "Parquet de La Roche-sur-Yon"]
    response = platform_client.get(url, {"territoire": str(herbiers.public_id), "type": "social"})
    assert listed_names(response) == ["CCAS des Herbiers"]
    html = response.content.decode()
    assert "Pays des Herbiers" in html
    assert "Tout afficher" in html


def test_list_empty_states(platform_client):
    url = reverse("network_platform:organisation_list")
    assert "Aucune organisation pour l'instant." in platform_client.get(url).content.decode()
    filtered = platform_client.get(url, {"type": "housing"}).content.decode()
    assert "Aucune organisation ne correspond à ces filtres." in filtered


def test_pagination_keeps_the_filters(platform_client):
    territory = TerritoryFactory()
    OrganisationFactory.create_batch(51, kind="health", territories=[territory])
    response = platform_client.get(reverse("network_platform:organisation_list"), {"type": "health"})
    assert "?type=health&amp;page=2" in response.content.decode()
    response = platform_client.get(
        reverse("network_platform:organisation_list"), {"type": "health", "page": 2}
    )
    assert len(response.context["page"].object_list) == 1


def test_list_runs_a_fixed_number_of_queries(platform_client, django_assert_num_queries):
    territories = TerritoryFactory.create_batch(2)

    def add_organisations(n):
        for _ in range(n):
            organisation = OrganisationFactory(territories=territories)
            MembershipFactory(organisation=organisation, territory=territories[0])

    add_organisations(2)
    url = reverse("network_platform:organisation_list")
    # session, user, memberships of the actor; territories of the filter; count, page, page's territories
    with django_assert_num_queries(7):
        platform_client.get(url)
    add_organisations(6)
    with django_assert_num_queries(7):
        response = platform_client.get(url)
    assert len(response.context["page"].object_list) == 8
    assert all(o.active_member_count == 1 for o in response.context["page"].object_list)


def test_create_an_organisation(platform_client):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    response = platform_client.post(
        reverse("network_platform:organisation_create"),
        {
            "name": "CIDFF de la Vendée",
            "kind": "association",
            "territories": [str(herbiers.public_id)],
            "phone": "02 51 00 00 00",
            "email": "contact@cidff85.test",
            "address": "1 rue de la Paix, La Roche-sur-Yon",
            "website": "cidff85.test",
            "opening_hours": "Lundi au vendredi, 9 h–17 h",
        },
        follow=True,
    )
    organisation = Organisation.objects.get(name="CIDFF de la Vendée")
    assert list(organisation.territories.all()) == [herbiers]
    assert organisation.website == "https://cidff85.test"
    assert organisation.opening_hours == "Lundi au vendredi, 9 h–17 h"
    assert "L&#x27;organisation « CIDFF de la Vendée » est créée." in response.content.decode()


def test_create_twice_shows_the_refusal_and_keeps_the_input(platform_client):
    herbiers = TerritoryFactory()
    data = {"name": "CCAS des Herbiers", "kind": "social", "territories": [str(herbiers.public_id)]}
    platform_client.post(reverse("network_platform:organisation_create"), data)
    response = platform_client.post(
        reverse("network_platform:organisation_create"),
        {**data, "name": "ccas des herbiers", "phone": "0251"},
    )
    html = response.content.decode()
    assert "Une organisation porte déjà ce nom." in html
    assert 'value="ccas des herbiers"' in html
    assert 'value="0251"' in html
    assert Organisation.objects.count() == 1


def test_create_needs_name_kind_and_a_territory(platform_client, db):
    response = platform_client.post(reverse("network_platform:organisation_create"), {})
    html = response.content.decode()
    assert "Choisissez au moins un territoire." in html
    assert not Organisation.objects.exists()


def test_edit_an_organisation(platform_client):
    herbiers, pouzauges = TerritoryFactory(), TerritoryFactory()
    organisation = OrganisationFactory(name="CCAS", territories=[herbiers])
    url = reverse("network_platform:organisation_edit", args=[organisation.public_id])
    form = platform_client.get(url).context["form"]
    read_at = form.initial["read_at"]

    platform_client.post(
        url,
        {
            "name": "CCAS des Herbiers",
            "kind": "social",
            "territories": [str(herbiers.public_id), str(pouzauges.public_id)],
            "phone": "02 51 11 11 11",
            "read_at": read_at,
            # Unticking "active" removes access: the confirmed POST (see the tests below for the first one).
            "confirmed": "1",
        },
    )

    organisation.refresh_from_db()
    assert organisation.name == "CCAS des Herbiers"
    assert organisation.is_active is False  # the unchecked box deactivates it
    assert set(organisation.territories.all()) == {herbiers, pouzauges}
    assert organisation.phone == "02 51 11 11 11"


def test_edit_after_someone_else_shows_the_conflict_and_keeps_the_input(platform_client):
    territory = TerritoryFactory()
    organisation = OrganisationFactory(name="CCAS", territories=[territory])
    url = reverse("network_platform:organisation_edit", args=[organisation.public_id])
    read_at = platform_client.get(url).context["form"].initial["read_at"]
    # Someone saves meanwhile.
    platform_client.post(
        url,
        {
            "name": "CCAS",
            "kind": "social",
            "territories": [str(territory.public_id)],
            "is_active": "on",
            "phone": "01",
            "read_at": read_at,
        },
    )

    response = platform_client.post(
        url,
        {
            "name": "CCAS",
            "kind": "social",
            "territories": [str(territory.public_id)],
            "is_active": "on",
            "phone": "02 51 22 22 22",
            "read_at": read_at,
        },
    )

    html = response.content.decode()
    assert "Cette fiche a été modifiée par quelqu&#x27;un d&#x27;autre" in html
    assert 'value="02 51 22 22 22"' in html
    assert "Voir la version actuelle" in html
    organisation.refresh_from_db()
    assert organisation.phone == "01"


def test_edit_of_an_unknown_organisation_is_404(platform_client):
    url = reverse("network_platform:organisation_edit", args=["5f0c9a4e-6c6a-4f5e-9f43-8b8f7f0f0f0f"])
    assert platform_client.get(url).status_code == 404


@pytest.mark.parametrize("role", MEMBER_ROLES)
@pytest.mark.parametrize(
    ("method", "url_name", "with_organisation"),
    [
        ("get", "network_platform:organisation_list", False),
        ("get", "network_platform:organisation_create", False),
        ("post", "network_platform:organisation_create", False),
        ("get", "network_platform:organisation_edit", True),
        ("post", "network_platform:organisation_edit", True),
        ("post_confirmed", "network_platform:organisation_edit", True),
    ],
)
def test_members_are_refused_every_organisation_page(
    member_client, territory, role, method, url_name, with_organisation
):
    client, membership = member_client(role)
    organisation = membership.organisation
    url = reverse(url_name, args=[organisation.public_id] if with_organisation else [])
    data = {"name": "Intrus", "kind": "social", "territories": [str(territory.public_id)]}
    if method == "post_confirmed":
        method, data = "post", {**data, "is_active": "False", "confirmed": "1"}
    response = getattr(client, method)(url, data if method == "post" else {})
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Intrus").exists()
    organisation.refresh_from_db()
    assert organisation.is_active


def test_an_unknown_territory_in_the_filter_is_reported_and_nothing_is_filtered(platform_client):
    OrganisationFactory(territories=[TerritoryFactory()])
    response = platform_client.get(reverse("network_platform:organisation_list"), {"territoire": "inconnu"})
    assert "n’est pas un UUID valide." in response.content.decode()
    assert len(response.context["page"].object_list) == 1


def _edit_data(organisation, territories, read_at, **extra):
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "territories": [str(t.public_id) for t in territories],
        "phone": "",
        "read_at": read_at,
        **extra,
    }


def test_deactivating_an_organisation_asks_first_and_says_who_loses_access(platform_client):
    herbiers = TerritoryFactory()
    organisation = OrganisationFactory(name="CCAS", territories=[herbiers])
    MembershipFactory.create_batch(2, organisation=organisation, territory=herbiers)
    url = reverse("network_platform:organisation_edit", args=[organisation.public_id])
    read_at = platform_client.get(url).context["form"].initial["read_at"]

    response = platform_client.post(url, _edit_data(organisation, [herbiers], read_at))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce qui va changer" in html and "ses 2 membres actifs n&#x27;ont plus accès" in html
    assert 'name="is_active" value="False"' in html and 'name="confirmed" value="1"' in html
    assert f'href="{url}">Annuler</a>' in html
    organisation.refresh_from_db()
    assert organisation.is_active and organisation.memberships.filter(is_active=True).count() == 2

    platform_client.post(url, _edit_data(organisation, [herbiers], read_at, is_active="False", confirmed="1"))
    organisation.refresh_from_db()
    assert not organisation.is_active


def test_leaving_a_territory_asks_first(platform_client):
    herbiers, pouzauges = TerritoryFactory(), TerritoryFactory()
    organisation = OrganisationFactory(name="CCAS", territories=[herbiers, pouzauges])
    url = reverse("network_platform:organisation_edit", args=[organisation.public_id])
    read_at = platform_client.get(url).context["form"].initial["read_at"]
    response = platform_client.post(url, _edit_data(organisation, [herbiers], read_at, is_active="on"))
    assert f"CCAS quitte le réseau de {pouzauges.name}" in response.content.decode()
    assert set(organisation.territories.all()) == {herbiers, pouzauges}
    platform_client.post(url, _edit_data(organisation, [herbiers], read_at, is_active="True", confirmed="1"))
    assert set(organisation.territories.all()) == {herbiers}


def test_an_edit_that_removes_no_access_needs_no_confirmation(platform_client):
    herbiers = TerritoryFactory()
    organisation = OrganisationFactory(name="CCAS", territories=[herbiers])
    url = reverse("network_platform:organisation_edit", args=[organisation.public_id])
    read_at = platform_client.get(url).context["form"].initial["read_at"]
    response = platform_client.post(
        url, _edit_data(organisation, [herbiers], read_at, is_active="on", phone="01")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.phone == "01"


def test_the_list_makes_public_contacts_tappable(platform_client):
    OrganisationFactory(name="CCAS", phone="02 51 11 11 11", email="ccas@example.org")
    html = platform_client.get(reverse("network_platform:organisation_list")).content.decode()
    assert '<a href="tel:+33251111111" class="contact-link">02 51 11 11 11</a>' in html
    assert '<a href="mailto:ccas@example.org" class="contact-link">ccas@example.org</a>' in html
