"""The stay pages: a referent requests, the housing manager answers from the inbox, runs the stay; who may
open each page (the same 404 for missing and forbidden); the requester's side never reads the address; the
housing manager never reads an identity or the notes."""

import datetime
import html as html_lib
import uuid

import pytest
from django.urls import reverse

from maillage.housing.enums import ExitSolution, RequestStatus, StayStatus
from maillage.housing.models import Stay, StayRequest
from maillage.situations.models import EmergencyAccess
from tests.housing.factories_stays import SECRET_ADDRESS, StayWorld, today

pytestmark = pytest.mark.django_db
NOTES = "Le conjoint guette devant le collège."


@pytest.fixture
def w():
    return StayWorld()


def html(response) -> str:
    return html_lib.unescape(response.content.decode())


def test_referent_requests_from_the_situation_page(w):
    client = w.client("referent")
    page = html(client.get(reverse("situations:detail", args=[w.situation.public_id])))
    url = reverse("housing_stays:request_create", args=[w.situation.public_id])
    assert url in page and "Demander un hébergement" in page
    response = client.post(
        url,
        {
            "adults": "1",
            "children_ages": "3, 7",
            "urgent": "on",
            "wished_from": today().isoformat(),
            "notes": NOTES,
        },
    )
    request = StayRequest.objects.get()
    assert response.status_code == 302 and request.children_ages == [3, 7] and request.urgent
    assert NOTES in html(client.get(response.url))


def test_bad_input_keeps_what_was_typed_with_french_messages(w):
    response = w.client("referent").post(
        reverse("housing_stays:request_create", args=[w.situation.public_id]),
        {
            "adults": "1",
            "children_ages": "trois",
            "wished_from": (today() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200 and not StayRequest.objects.exists()
    page = html(response)
    assert "Indiquez l'âge de chaque enfant" in page and "ne peut pas être passée" in page and "trois" in page


@pytest.mark.parametrize("name", ["housing_manager", "dpo", "observer", "cidff", "referent_elsewhere"])
def test_who_may_not_open_the_request_form(w, name):
    url = reverse("housing_stays:request_create", args=[w.situation.public_id])
    assert w.client(name).get(url).status_code in (403, 404)


def test_housing_manager_inbox_shows_pseudonym_and_household_only(w):
    w.request(children_ages=(2, 6), notes=NOTES)
    w.request(situation=w.another_situation(), urgent=True)
    page = html(w.client("housing_manager").get(reverse("housing_stays:requests")))
    urgent = StayRequest.objects.get(urgent=True)
    assert page.index(urgent.situation.pseudonym) < page.index(w.situation.pseudonym)
    assert "1 adulte, 2 enfants (2 ans, 6 ans)" in page
    detail = html(w.client("housing_manager").get(reverse("housing_stays:request", args=[w.request_pk()])))
    assert NOTES not in detail and "Camille" not in detail and "Exemple" not in detail
    assert reverse("situations:detail", args=[w.situation.public_id]) not in detail


def test_allocate_check_in_check_out_through_the_pages(w):
    request = w.request()
    manager = w.client("housing_manager")
    page = html(manager.get(reverse("housing_stays:request", args=[request.public_id])))
    assert w.unit.name in page and SECRET_ADDRESS not in page
    response = manager.post(
        reverse("housing_stays:allocate", args=[request.public_id]),
        {
            "unit": str(w.unit.public_id),
            "starts_on": today().isoformat(),
            "ends_on": (today() + datetime.timedelta(days=5)).isoformat(),
            "version": "1",
        },
    )
    stay = Stay.objects.get()
    assert response.url == reverse("housing_stays:stay", args=[stay.public_id])
    # A second click on the same answer: told, nothing done twice.
    again = manager.post(
        reverse("housing_stays:allocate", args=[request.public_id]),
        {
            "unit": str(w.unit.public_id),
            "starts_on": today().isoformat(),
            "ends_on": (today() + datetime.timedelta(days=5)).isoformat(),
            "version": "1",
        },
        follow=True,
    )
    assert "Rien n'a été modifié" in html(again) and Stay.objects.count() == 1
    manager.post(reverse("housing_stays:check_in", args=[stay.public_id]), {"version": "1"})
    stay.refresh_from_db()
    assert stay.status == StayStatus.IN_PROGRESS
    Stay.objects.filter(pk=stay.pk).update(starts_on=today() - datetime.timedelta(days=3))
    manager.post(
        reverse("housing_stays:check_out", args=[stay.public_id]),
        {"exit_solution": ExitSolution.SOCIAL_HOUSING, "on": today().isoformat(), "version": "2"},
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.ENDED and stay.ends_on == today()
    for name in ("referent", "gendarme"):
        client = w.client(name)
        for url in (
            reverse("housing_stays:stay", args=[stay.public_id]),
            reverse("housing_stays:request", args=[request.public_id]),
            reverse("housing_stays:requests") + "?status=",
            reverse("notifications:list"),
        ):
            response = client.get(url)
            assert response.status_code == 200 and SECRET_ADDRESS not in html(response)
        assert w.unit.name in html(client.get(reverse("housing_stays:stay", args=[stay.public_id])))


def test_cancelling_a_stay_asks_first(w):
    stay = w.allocate(w.request())
    url = reverse("housing_stays:stay_cancel", args=[stay.public_id])
    manager = w.client("housing_manager")
    page = html(manager.post(url, {"version": "1"}))
    assert "redeviennent libres" in page
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED
    manager.post(url, {"version": "1", "confirmed": "1"})
    stay.refresh_from_db()
    assert stay.status == StayStatus.CANCELLED
    assert StayRequest.objects.get().status == RequestStatus.CANCELLED


def test_waitlist_then_refuse_from_the_page(w):
    request = w.request()
    manager = w.client("housing_manager")
    manager.post(reverse("housing_stays:waitlist", args=[request.public_id]), {"version": "1"})
    manager.post(reverse("housing_stays:refuse", args=[request.public_id]), {"version": "2"})
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED


def test_no_unit_free_says_so(w):
    w.allocate(w.request(situation=w.another_situation()), nights=10)
    request = w.request()
    page = html(w.client("housing_manager").get(reverse("housing_stays:request", args=[request.public_id])))
    assert "Aucun de vos logements" in page


@pytest.mark.parametrize(
    "name",
    ["housing_manager_elsewhere", "housing_manager_no_unit", "dpo", "observer", "cidff", "platform_admin"],
)
def test_who_may_not_open_a_request_or_a_stay(w, name):
    request = w.request()
    stay = w.allocate(request)
    client = w.client(name)
    for url in (
        reverse("housing_stays:request", args=[request.public_id]),
        reverse("housing_stays:stay", args=[stay.public_id]),
    ):
        assert client.get(url).status_code in (403, 404)
    assert client.post(
        reverse("housing_stays:check_in", args=[stay.public_id]), {"version": "1"}
    ).status_code in (
        403,
        404,
    )


def test_break_the_glass_reader_gets_404(w):
    request = w.request()
    stay = w.allocate(request)
    EmergencyAccess.objects.create(
        situation=w.situation,
        user=w.net["cidff"].user,
        membership=w.net["cidff"],
        reason="Appel de nuit",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2),
    )
    client = w.client("cidff")
    assert client.get(reverse("situations:detail", args=[w.situation.public_id])).status_code == 200
    assert client.get(reverse("housing_stays:request", args=[request.public_id])).status_code == 404
    assert client.get(reverse("housing_stays:stay", args=[stay.public_id])).status_code == 404


def test_missing_and_forbidden_look_the_same(w):
    missing = w.client("housing_manager").get(reverse("housing_stays:request", args=[uuid.uuid4()]))
    assert missing.status_code == 404


def test_requester_may_not_run_the_stay(w):
    stay = w.allocate(w.request())
    response = w.client("referent").post(
        reverse("housing_stays:check_in", args=[stay.public_id]), {"version": "1"}, follow=True
    )
    stay.refresh_from_db()
    assert stay.status == StayStatus.PLANNED and "gèrent ce logement" in html(response)


def test_inbox_query_count_does_not_grow_with_requests(w, django_assert_num_queries):
    for number in range(4):
        request = w.request(situation=w.another_situation(), urgent=True)
        if number % 2:
            w.allocate(request, start=number * 10, nights=3)
    client = w.client("housing_manager")
    client.get(reverse("housing_stays:requests"))
    with django_assert_num_queries(8):
        response = client.get(reverse("housing_stays:requests") + "?status=")
    assert response.status_code == 200


def test_free_units_for_other_dates(w):
    w.allocate(w.request(situation=w.another_situation()), nights=10)
    request = w.request()
    url = reverse("housing_stays:request", args=[request.public_id])
    client = w.client("housing_manager")
    later = today() + datetime.timedelta(days=10)
    page = html(
        client.get(
            url, {"starts_on": later.isoformat(), "ends_on": (later + datetime.timedelta(days=3)).isoformat()}
        )
    )
    assert "Aucun de vos logements" not in page and w.unit.name in page
    wrong = html(client.get(url, {"starts_on": later.isoformat(), "ends_on": later.isoformat()}))
    assert "La date de départ doit suivre" in wrong
