import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.territories.models import Commune, Territory
from tests.network.factories import OrganisationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

MEMBER_ROLES = ["coordinator", "referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


HERBIERS_CSV = (
    "nom;code_postal;population;code_insee\nLes Herbiers;85500;16135;85109\nMouchamps;85640;2957;\n"
)


def test_list_shows_counts_of_communes_and_organisations(platform_client):
    territory = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory.create_batch(3, territory=territory)
    OrganisationFactory.create_batch(2, territories=[territory])
    TerritoryFactory(name="Pays de Pouzauges")

    response = platform_client.get(reverse("territories:list"))

    rows = [(t.name, t.commune_count, t.organisation_count) for t in response.context["page"].object_list]
    assert rows == [("Pays de Pouzauges", 0, 0), ("Pays des Herbiers", 3, 2)]
    assert reverse("territories:detail", args=[territory.public_id]) in response.content.decode()


def test_list_empty_state(platform_client):
    response = platform_client.get(reverse("territories:list"))
    assert "Aucun territoire pour l'instant" in response.content.decode()


def test_list_runs_a_fixed_number_of_queries(platform_client, django_assert_num_queries):
    def add_territories(n):
        for _ in range(n):
            territory = TerritoryFactory()
            CommuneFactory.create_batch(2, territory=territory)
            OrganisationFactory(territories=[territory])

    add_territories(2)
    # session, user, memberships of the actor; count and page of territories
    with django_assert_num_queries(5):
        platform_client.get(reverse("territories:list"))
    add_territories(5)
    with django_assert_num_queries(5):
        response = platform_client.get(reverse("territories:list"))
    assert len(response.context["page"].object_list) == 7


def test_list_paginates_by_fifty(platform_client):
    TerritoryFactory.create_batch(51)
    response = platform_client.get(reverse("territories:list"), {"page": 2})
    assert len(response.context["page"].object_list) == 1
    assert "Page 2 sur 2" in response.content.decode()


def test_detail_lists_the_communes(platform_client):
    territory = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(
        territory=territory, name="Les Herbiers", postal_code="85500", population=16135, insee_code="85109"
    )
    CommuneFactory(territory=territory, name="Mouchamps", postal_code="85640", population=2957)

    response = platform_client.get(reverse("territories:detail", args=[territory.public_id]))

    html = response.content.decode()
    for text in ["Les Herbiers", "85500", "16135", "85109", "Mouchamps", "85640", "2957", "19092 habitants"]:
        assert text in html


def test_detail_of_an_unknown_territory_is_404(platform_client):
    response = platform_client.get(
        reverse("territories:detail", args=["5f0c9a4e-6c6a-4f5e-9f43-8b8f7f0f0f0f"])
    )
    assert response.status_code == 404


def test_import_of_the_demo_json_file_creates_the_territory(platform_client):
    from pathlib import Path

    import maillage.territories

    path = Path(maillage.territories.__file__).parent / "fixtures" / "pays-des-herbiers.json"
    response = platform_client.post(
        reverse("territories:import"),
        {"file": upload(path.read_bytes(), "pays-des-herbiers.json")},
        follow=True,
    )

    territory = Territory.objects.get(name="Pays des Herbiers")
    assert response.redirect_chain[-1][0] == reverse("territories:detail", args=[territory.public_id])
    assert territory.communes.count() == 8
    assert (
        "Territoire « Pays des Herbiers » importé : 8 communes ajoutées, 0 commune mise à jour."
        in response.content.decode()
    )


def test_import_of_a_csv_file_takes_the_territory_from_the_form(platform_client):
    response = platform_client.post(
        reverse("territories:import"),
        {
            "file": upload(HERBIERS_CSV.encode("utf-8-sig"), "communes.csv"),
            "name": "Pays des Herbiers",
            "kind": "epci",
        },
        follow=True,
    )
    territory = Territory.objects.get(name="Pays des Herbiers")
    assert territory.kind == "epci"
    assert list(territory.communes.values_list("name", flat=True)) == ["Les Herbiers", "Mouchamps"]
    assert "2 communes ajoutées" in response.content.decode()


def test_reimport_says_how_many_communes_were_updated(platform_client):
    territory = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=territory, name="Les Herbiers", postal_code="85500", population=15000)
    CommuneFactory(territory=territory, name="Mouchamps", postal_code="85640", population=2957)
    CommuneFactory(territory=territory, name="Vendrennes", postal_code="85250", population=1730)
    content = (HERBIERS_CSV + "Beaurepaire;85500;2420;85017\n").encode()

    response = platform_client.post(
        reverse("territories:import"),
        {"file": upload(content, "communes.csv"), "name": "Pays des Herbiers", "kind": "epci"},
        follow=True,
    )

    assert (
        "Territoire « Pays des Herbiers » importé : 1 commune ajoutée, 1 commune mise à jour, 1 inchangée."
        in response.content.decode()
    )
    assert territory.communes.count() == 4


def test_an_invalid_file_writes_nothing_and_lists_every_problem_keeping_the_fields(platform_client):
    content = "nom;code_postal;population\nLes Herbiers;85500;16135\nMouchamps;8564;x\nVendrennes;85250;-1\n"
    response = platform_client.post(
        reverse("territories:import"),
        {"file": upload(content.encode(), "communes.csv"), "name": "Pays des Herbiers", "kind": "epci"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le fichier n'a pas été importé : 2 problèmes à corriger." in html
    assert (
        "Ligne 3 (Mouchamps) : le code postal « 8564 » doit comporter 5 chiffres ; la population « x »"
        in html
    )
    assert "Ligne 4 (Vendrennes)" in html
    assert 'value="Pays des Herbiers"' in html
    assert not Territory.objects.exists()
    assert not Commune.objects.exists()


def test_a_csv_file_without_territory_name_is_refused(platform_client):
    response = platform_client.post(
        reverse("territories:import"), {"file": upload(HERBIERS_CSV.encode(), "c.csv")}
    )
    html = response.content.decode()
    assert "Nom du territoire : indiquez-le." in html
    assert "Type du territoire : indiquez-le" in html
    assert not Territory.objects.exists()


def test_no_file_is_asked_for(platform_client):
    response = platform_client.post(reverse("territories:import"), {"name": "X"})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_a_file_over_one_megabyte_is_refused_before_reading(platform_client):
    content = b"{" + b" " * 1_000_001 + b"}"
    response = platform_client.post(reverse("territories:import"), {"file": upload(content, "t.json")})
    assert "Le fichier dépasse la taille maximale de 1 Mo." in response.content.decode()


def test_a_file_not_in_utf8_is_refused(platform_client):
    content = json.dumps({"name": "Pays", "kind": "epci", "communes": []}, ensure_ascii=False).encode(
        "utf-16"
    )
    response = platform_client.post(reverse("territories:import"), {"file": upload(content, "t.json")})
    assert "n&#x27;est pas encodé en UTF-8" in response.content.decode()


def test_update_link_prefills_the_territory(platform_client):
    territory = TerritoryFactory(name="Pays des Herbiers", department_code="85")
    response = platform_client.get(reverse("territories:import"), {"territoire": str(territory.public_id)})
    assert 'value="Pays des Herbiers"' in response.content.decode()
    response = platform_client.get(reverse("territories:import"), {"territoire": "pas-un-uuid"})
    assert response.status_code == 200


TERRITORY_PAGES = [
    ("get", "territories:list", False),
    ("get", "territories:detail", True),
    ("get", "territories:import", False),
    ("post", "territories:import", False),
]


@pytest.mark.parametrize("role", MEMBER_ROLES)
@pytest.mark.parametrize(("method", "url_name", "with_territory"), TERRITORY_PAGES)
def test_members_are_refused_every_territory_page(
    member_client, territory, role, method, url_name, with_territory
):
    client, _ = member_client(role)
    url = reverse(url_name, args=[territory.public_id] if with_territory else [])
    data = (
        {"file": upload(HERBIERS_CSV.encode(), "c.csv"), "name": "Intrus", "kind": "epci"}
        if method == "post"
        else {}
    )
    response = getattr(client, method)(url, data)
    assert response.status_code == 403
    assert not Territory.objects.filter(name="Intrus").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("territories:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_file_with_many_problems_shows_the_first_hundred(platform_client):
    content = "nom;code_postal;population\n" + "".join(f"Commune {n};0;1\n" for n in range(150))
    response = platform_client.post(
        reverse("territories:import"),
        {"file": upload(content.encode(), "c.csv"), "name": "Pays", "kind": "epci"},
    )
    html = response.content.decode()
    assert "150 problèmes à corriger" in html
    assert "Ligne 101 (Commune 99)" in html
    assert "Ligne 102 (Commune 100)" not in html
    assert "… et 50 autres problèmes" in html


def test_a_refusal_of_the_import_is_shown_and_nothing_is_written(platform_client):
    territory = TerritoryFactory(name="Pays des Herbiers")
    CommuneFactory(territory=territory, name="Les Herbiers", population=16000, insee_code="85109")
    content = "nom;code_postal;population;code_insee\nVendrennes;85250;1730;85109\n"
    response = platform_client.post(
        reverse("territories:import"),
        {"file": upload(content.encode(), "c.csv"), "name": "Pays des Herbiers", "kind": "epci"},
    )
    assert "un même code INSEE serait porté par plusieurs communes (85109 : Les Herbiers, Vendrennes)" in (
        response.content.decode()
    )
    assert list(territory.communes.values_list("name", flat=True)) == ["Les Herbiers"]
