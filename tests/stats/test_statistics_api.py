"""The statistics API (/api/v1/statistics/…): the dashboard's rules through JSON. The observer never receives
a count from 1 to threshold − 1, anywhere in any answer, and only ended years of the whole territory; the
coordinator receives the indicators' exact figures, marked restricted; every other role, the platform
administrator and anonymous callers are refused as in the rest of the API; refusals are documented JSON."""

import pytest
from django.test import Client

from maillage.api.auth import MEMBERS_ONLY_MESSAGE, ROLE_MESSAGE
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from maillage.stats.indicators import INDICATORS, Scope
from tests.accounts.factories import UserFactory
from tests.api.helpers import bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.stats.worlds import numbers, small_counts, strings, this_year
from tests.territories.factories import CommuneFactory

API = "/api/v1/statistics"
OTHER_ROLES = [role for role in MEMBERSHIP_ROLES if role not in (Role.COORDINATOR, Role.OBSERVER)]


@pytest.fixture
def world(small_world):
    return small_world


def as_token(membership) -> Client:
    _, key = create_token(membership)
    return Client(headers=bearer(key))


def operations(world, name: str = "victims") -> list[str]:
    """Every operation, at every year the caller may ask for (and without a year)."""
    paths = [f"{API}/years", f"{API}/indicators", f"{API}/indicators/{name}"]
    for year in (world.last_year, world.years_before):
        paths += [f"{API}/indicators?year={year}"]
        paths += [f"{API}/indicators/{indicator.name}?year={year}" for indicator in INDICATORS]
    return paths


def exact_cells(answer: dict) -> list[list]:
    return [row["cells"] for row in answer["rows"]]


def test_the_world_holds_small_counts_to_hide(world):
    scope = Scope.of(world.territory, world.last_year)
    exact = [cell for i in INDICATORS for row in i.compute(scope).cells for cell in row if 1 <= cell <= 10]
    assert len(exact) >= 20


def test_the_observer_never_receives_a_count_from_1_to_10(world):
    client = as_token(world.observer)
    seen_marks = set()
    for path in operations(world):
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        assert small_counts(body) == [], path
        seen_marks |= {s for s in strings(body) if s in ("< 11", "secret")}
        if "indicators" in path:
            assert body["restricted"] is False and body["restricted_mark"] is None
            for table in body.get("indicators") or [body["indicator"]]:
                assert table["restricted"] is False
    assert seen_marks == {"< 11", "secret"}


def test_the_observer_is_offered_ended_years_only(world):
    body = as_token(world.observer).get(f"{API}/years").json()
    assert body["years"] == [world.last_year, world.years_before]
    assert body["exact"] is False and body["threshold"] == 11 and body["restricted_mark"] is None
    assert [i["name"] for i in body["indicators"]] == [i.name for i in INDICATORS]
    assert as_token(world.observer).get(f"{API}/indicators").json()["year"] == world.last_year


def test_the_coordinator_receives_the_exact_figures_marked_restricted(world):
    client = as_token(world.coordinator)
    years = client.get(f"{API}/years").json()
    assert years["years"] == [this_year(), world.last_year, world.years_before]
    assert years["exact"] is True and years["restricted_mark"] == "Diffusion restreinte"
    body = client.get(f"{API}/indicators", {"year": world.last_year}).json()
    assert body["restricted"] is True and body["restricted_mark"] == "Diffusion restreinte"
    scope = Scope.of(world.territory, world.last_year)
    for indicator, answer in zip(INDICATORS, body["indicators"], strict=True):
        table = indicator.compute(scope)
        assert answer["name"] == indicator.name and answer["restricted"] is True
        assert exact_cells(answer) == [list(row) for row in table.cells], indicator.name
        assert [row["key"] for row in answer["rows"]] == [line.key for line in table.rows]
        if table.row_totals:
            assert [row["total"] for row in answer["rows"]] == list(table.row_total_values)
        if table.column_totals:
            assert answer["total_row"]["cells"] == list(table.column_total_values)
            assert answer["total_row"]["total"] == table.grand_total
    by_commune = next(t for t in body["indicators"] if t["name"] == "situations_by_commune")
    assert {row["key"]: row["cells"][0] for row in by_commune["rows"]} == {
        str(world.small.public_id): 3,
        str(world.middle.public_id): 7,
        str(world.large.public_id): 14,
    }
    assert small_counts(body)  # nothing hidden from the coordinator


def test_the_coordinator_chooses_communes_by_their_public_id(world):
    client = as_token(world.coordinator)
    chosen = [world.small, world.middle]
    response = client.get(
        f"{API}/indicators/situations",
        {"year": world.last_year, "communes": [str(c.public_id) for c in chosen]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert [c["name"] for c in body["communes"]] == ["Moyenne-Commune", "Petite-Commune"]
    expected = INDICATORS[0].compute(Scope.of(world.territory, world.last_year, communes=chosen))
    assert exact_cells(body["indicator"]) == [list(row) for row in expected.cells]
    assert body["indicator"]["rows"][0]["cells"] == [10]  # new: 3 + 7
    # The running year too: exact figures are the coordinator's on screen.
    assert client.get(f"{API}/indicators", {"year": this_year()}).status_code == 200


def test_a_commune_of_another_territory_is_refused(world):
    response = as_token(world.coordinator).get(
        f"{API}/indicators", {"communes": [str(world.small.public_id), str(world.other_commune.public_id)]}
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Choisissez des communes de votre territoire."}


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"year": "RUNNING"}, "années terminées"),
        ({"communes": "SMALL"}, "pas sur une sélection"),
        ({"year": "LAST", "communes": "SMALL"}, "pas sur une sélection"),
        ({"year": 2003}, "Années disponibles"),
    ],
)
@pytest.mark.parametrize("path", ["/indicators", "/indicators/situations"])
def test_the_observer_asking_more_gets_a_documented_400(world, query, said, path):
    values = {
        "RUNNING": this_year(),
        "LAST": world.last_year,
        "SMALL": [str(world.small.public_id)],
    }
    params = {key: values.get(value, value) for key, value in query.items()}
    response = as_token(world.observer).get(f"{API}{path}", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert said in response.json()["detail"]
    assert not list(numbers(response.json()))


@pytest.mark.parametrize("year", ["1999", "2101", "deux-mille", "2025.5"])
def test_a_year_out_of_bounds_is_a_422_in_json(world, year):
    for path in ("/indicators", "/indicators/victims"):
        response = as_token(world.coordinator).get(f"{API}{path}", {"year": year})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "year"]


def test_a_malformed_commune_is_a_422(world):
    response = as_token(world.coordinator).get(f"{API}/indicators", {"communes": "Petite-Commune"})
    assert response.status_code == 422
    issue = response.json()["errors"][0]
    assert issue["loc"][0] == "query" and "communes" in issue["loc"] and issue["type"] == "uuid_parsing"


def test_an_unknown_indicator_is_a_404_in_json(world):
    for membership in (world.coordinator, world.observer):
        response = as_token(membership).get(f"{API}/indicators/revenus")
        assert response.status_code == 404
        assert "Indicateur inconnu" in response.json()["detail"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(world, role):
    member = MembershipFactory(territory=world.territory, roles=[role])
    session = sign_in(Client(), member.user, member)
    for client in (as_token(member), session):
        for path in operations(world):
            response = client.get(path)
            assert response.status_code == 403, (role, path)
            assert response.json() == {"detail": ROLE_MESSAGE}


def test_the_platform_admin_and_anonymous_callers_are_refused(world):
    admin = sign_in(Client(), UserFactory(platform_admin=True))
    anonymous = Client()
    for path in operations(world):
        assert admin.get(path).json() == {"detail": MEMBERS_ONLY_MESSAGE}
        response = anonymous.get(path)
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
        assert "detail" in response.json()


def test_the_session_of_a_signed_in_observer_works_too(world):
    client = sign_in(Client(), world.observer.user, world.observer)
    response = client.get(f"{API}/indicators")
    assert response.status_code == 200
    assert small_counts(response.json()) == []


def test_another_territory_counts_only_its_own(world):
    client = as_token(world.other_coordinator)
    assert client.get(f"{API}/years").json()["territory"]["name"] == "Territoire voisin"
    body = client.get(f"{API}/indicators", {"year": world.last_year}).json()
    assert body["territory"]["name"] == "Territoire voisin"
    situations = body["indicators"][0]
    assert situations["rows"][0]["cells"] == [4]  # its four new situations, none of these 24
    by_commune = next(t for t in body["indicators"] if t["name"] == "situations_by_commune")
    assert [row["label"] for row in by_commune["rows"]] == ["Ailleurs-sur-Mer"]
    names = set(strings(body))
    assert not names & {"Petite-Commune", "Moyenne-Commune", "Grande-Ville", "Association publiée"}
    # Asking with this territory's communes is refused, not answered.
    response = client.get(f"{API}/indicators", {"communes": [str(world.small.public_id)]})
    assert response.status_code == 400


def test_all_indicators_in_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    client = as_token(world.observer)
    path = f"{API}/indicators?year={world.last_year}"
    client.get(path)  # records the token's first use
    # token and membership (4), years (3), threshold, then each indicator's fixed few (19)
    with django_assert_max_num_queries(30) as first:
        assert client.get(path).status_code == 200
    world.situations(CommuneFactory(territory=world.territory, name="Commune ajoutée"), 15, world.last_year)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(path)


def test_the_openapi_document_describes_the_operations_and_their_refusals(client):
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    # Every operation documents every error of the API (maillage/api/openapi.py).
    answers = {"200", "400", "401", "403", "404", "422"}
    assert set(paths[f"{API}/years"]["get"]["responses"]) == answers
    assert set(paths[f"{API}/indicators"]["get"]["responses"]) == answers
    detail = paths[f"{API}/indicators/{{name}}"]["get"]
    assert set(detail["responses"]) == answers
    assert "« < 11 »" in detail["description"] and "400" in detail["description"]
    schemas = document["components"]["schemas"]
    cell = schemas["RowOut"]["properties"]["cells"]["items"]
    assert [kind["type"] for kind in cell["anyOf"]] == ["integer", "string"]
    assert "« secret »" in cell["description"]
    year = next(p for p in paths[f"{API}/indicators"]["get"]["parameters"] if p["name"] == "year")
    assert year["schema"]["anyOf"][0] == {"type": "integer", "minimum": 2000, "maximum": 2100}
    assert schemas["ErrorOut"]["properties"]["errors"]["anyOf"][0]["type"] == "array"
