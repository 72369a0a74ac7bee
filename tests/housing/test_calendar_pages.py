"""The pages: who may open them, what they show (never an address, no commune for the refuge)."""

import pytest
from django.utils import timezone

from maillage.housing.enums import StayStatus
from tests.housing.factories_calendar import REFUGE_TEST_ADDRESS, HousingWorld

pytestmark = pytest.mark.django_db

SEARCH = "/hebergement/disponibilites/"
CALENDAR = "/hebergement/calendrier/"
FIGURES = "/hebergement/chiffres/"
SEARCHERS = ("coordinator", "referent", "gendarme", "housing_manager", "refuge_manager")
REFUSED = ("org_admin", "observer", "dpo", "platform_admin")


@pytest.fixture
def world():
    return HousingWorld()


@pytest.mark.parametrize("url", [SEARCH, CALENDAR])
def test_searching_and_calendar_roles_open_the_pages_others_are_refused(world, url):
    for name in SEARCHERS:
        page = world.client(name).get(url)
        assert page.status_code == 200, name
        assert REFUGE_TEST_ADDRESS not in page.content.decode()
    for name in REFUSED:
        assert world.client(name).get(url).status_code == 403, name


def test_figures_are_the_coordinators_and_each_housing_manager_reads_their_own_units(world):
    assert world.client("coordinator").get(FIGURES).status_code == 200
    for name in ("referent", "gendarme", *REFUSED):
        assert world.client(name).get(FIGURES).status_code == 403, name
    everything = world.client("coordinator").get(FIGURES).content.decode()
    assert all(name in everything for name in ("Refuge", "Studio de la place", "Appartement T3"))
    ccas = world.client("housing_manager").get(FIGURES).content.decode()
    assert "Studio de la place" in ccas and "Refuge" not in ccas
    sos = world.client("refuge_manager").get(FIGURES).content.decode()
    assert "Refuge" in sos and "Studio de la place" not in sos


def test_a_search_lists_the_free_units_without_address_nor_the_refuges_commune(world):
    today = timezone.localdate()
    page = world.client("referent").get(
        SEARCH, {"adults": 1, "children": 2, "starts_on": today, "nights": 14}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Refuge" in text and "Appartement T3" in text and "Studio de la place" not in text
    assert REFUGE_TEST_ADDRESS not in text and "rue de l&#x27;Essai" not in text
    # The flat's commune is said, the refuge's never is (the only commune on the page is the flat's).
    assert text.count("Mouchamps") == 1


def test_a_full_unit_is_not_offered_and_an_empty_answer_says_what_to_do(world):
    today = timezone.localdate()
    for unit in (world.refuge, world.flat):
        world.stay(unit, today, today.replace(year=today.year + 1), status=StayStatus.PLANNED)
    page = world.client("gendarme").get(SEARCH, {"adults": 1, "children": 2, "starts_on": today, "nights": 2})
    assert "Aucun logement libre pour ce foyer et ces nuits" in page.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"adults": 0, "children": 0, "starts_on": "2026-05-01", "nights": 2}, "Au moins un adulte."),
        (
            {"adults": 1, "children": 0, "starts_on": "2026-05-01"},
            "Indiquez un nombre de nuits ou la date de départ.",
        ),
        (
            {"adults": 1, "children": 0, "starts_on": "2026-05-01", "ends_on": "2026-05-01"},
            "Le départ doit suivre l&#x27;arrivée d&#x27;au moins une nuit.",
        ),
        ({"adults": 1, "children": 0, "starts_on": "hier", "nights": 2}, "Saisissez une date valide."),
        (
            {"adults": 1, "children": 1, "under_three": 2, "starts_on": "2026-05-01", "nights": 2},
            "Ils sont comptés parmi les enfants : pas plus que le nombre d&#x27;enfants.",
        ),
    ],
)
def test_wrong_input_gets_a_french_message_and_keeps_what_was_typed(world, query, message):
    text = world.client("referent").get(SEARCH, query).content.decode()
    assert message in text
    assert "Logements libres" not in text
    assert f'name="starts_on" value="{query["starts_on"]}"' in text


def test_a_baby_sleeps_in_a_cot_where_an_older_child_needs_a_bed(world):
    """Two adults and three children: the flat (two children's beds and a cot) only if one is under three."""
    today = timezone.localdate()
    query = {"adults": 2, "children": 3, "starts_on": today, "nights": 3}
    older = world.client("referent").get(SEARCH, query).content.decode()
    assert "Aucun logement libre pour ce foyer et ces nuits" in older
    with_baby = world.client("referent").get(SEARCH, {**query, "under_three": 1}).content.decode()
    assert "Appartement T3" in with_baby
    api = world.client("referent").get("/api/v1/housing/availability", {**query, "under_three": 1})
    assert [unit["name"] for unit in api.json()] == ["Appartement T3"]
    wrong = world.client("referent").get("/api/v1/housing/availability", {**query, "under_three": 4})
    assert wrong.status_code == 400 and "under_three" in wrong.json()["detail"]


def test_the_calendar_page_shows_the_grid_and_moves_by_month(world):
    today = timezone.localdate()
    stay = world.stay(
        world.flat,
        today,
        today.replace(day=1).replace(month=today.month % 12 + 1, year=today.year + (today.month == 12)),
    )
    page = world.client("coordinator").get(CALENDAR).content.decode()
    assert '<table class="calendar">' in page and 'scope="row"' in page and "table-scroll" in page
    assert "Mois précédent" in page and "Mois suivant" in page
    assert stay.situation.pseudonym in page
    assert stay.situation.pseudonym not in world.client("referent").get(CALENDAR).content.decode()
    other = world.client("coordinator").get(CALENDAR, {"mois": "2020-02"}).content.decode()
    assert "février 2020" in other and stay.situation.pseudonym not in other


def test_the_figures_page_reads_a_period(world):
    page = world.client("coordinator").get(FIGURES, {"starts_on": "2026-01-01", "ends_on": "2026-12-31"})
    text = page.content.decode()
    assert "Du 01/01/2026 au 31/12/2026" in text and "0 / 365" in text
    wrong = world.client("coordinator").get(FIGURES, {"starts_on": "2026-12-31", "ends_on": "2026-01-01"})
    assert "La fin de la période ne peut pas précéder son début." in wrong.content.decode()


def test_the_api_answers_the_same_search_without_address(world):
    today = timezone.localdate()
    query = {"adults": 1, "children": 2, "starts_on": today.isoformat(), "nights": 14}
    answer = world.client("referent").get("/api/v1/housing/availability", query)
    assert answer.status_code == 200
    units = {unit["name"]: unit for unit in answer.json()}
    assert set(units) == {"Refuge", "Appartement T3"}
    assert units["Refuge"]["commune"] == "" and units["Appartement T3"]["commune"] == "Mouchamps"
    assert "address" not in units["Refuge"] and REFUGE_TEST_ADDRESS not in answer.content.decode()
    assert world.client("observer").get("/api/v1/housing/availability", query).status_code == 403
    wrong = world.client("referent").get("/api/v1/housing/availability", {**query, "nights": 0})
    assert wrong.status_code in (400, 422)
