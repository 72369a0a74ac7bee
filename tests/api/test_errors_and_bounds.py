"""What the fuzzer found (ADR 0047), each pinned: values the database cannot hold are refused before it, and
every error of the API, under any path below /api/, answers JSON in the one error shape."""

import json

import pytest

from maillage.api.core import INVALID_MESSAGE, METHOD_NOT_ALLOWED_MESSAGE
from maillage.api.parsing import UNREADABLE_BODY_MESSAGE, UNSTORABLE_MESSAGE
from maillage.web import errors
from maillage.web.errors import NOT_FOUND_MESSAGE
from tests.api.helpers import API, bearer, create_token
from tests.network.factories import MembershipFactory
from tests.situations.factories import report_situation

HUGE = "34204744517496837870809184731136"  # past a bigint: it used to reach the database (500)


@pytest.fixture
def coordinator(territory, commune):
    return MembershipFactory(
        territory=territory, roles=["coordinator", "housing_manager"], communes=[commune]
    )


@pytest.fixture
def call(client, coordinator):
    _, key = create_token(coordinator, scope="write")

    def call(method: str, path: str, body=None):
        data = body if isinstance(body, str) else json.dumps(body or {})
        return client.generic(
            method, f"{API}{path}", data, content_type="application/json", headers=bearer(key)
        )

    return call


def assert_invalid(response, *where):
    assert response.status_code == 422
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["detail"] == INVALID_MESSAGE
    assert [issue["loc"] for issue in body["errors"]] == [list(w) for w in where]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/communes", "/organisations", "/referrals", "/housing/stays", "/meetings"])
def test_an_offset_past_what_the_database_holds_is_refused(call, path):
    assert_invalid(call("GET", f"{path}?offset={HUGE}"), ("query", "offset"))
    assert_invalid(call("GET", f"{path}?offset=1000001"), ("query", "offset"))
    assert call("GET", f"{path}?offset=1000000").json()["items"] == []


@pytest.mark.django_db
def test_validation_errors_answer_the_one_error_shape(call):
    response = call("GET", "/situations?urgent=null")
    assert_invalid(response, ("query", "urgent"))
    assert set(response.json()["errors"][0]) == {"type", "loc", "msg"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/situations/null,null/tasks", "/situations/null", "/nowhere", "/situations/tasks/", "/me/extra"],
)
def test_an_address_no_operation_answers_is_a_json_404(client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": NOT_FOUND_MESSAGE}


@pytest.mark.django_db
def test_outside_the_api_a_missing_page_stays_a_page(client):
    response = client.get("/aide/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["0", "20260301", "2100-01-01", "1899-12-31", "9999-12-31", "26-03-01"])
def test_a_date_is_a_day_written_in_full_within_two_centuries(call, day):
    assert_invalid(call("GET", f"/situations?date_to={day}"), ("query", "date_to"))
    # A stay's nights added to the last day of year 9999 used to overflow (500).
    response = call("GET", f"/housing/availability?starts_on={day}&nights=3")
    assert_invalid(response, ("query", "starts_on"))


@pytest.mark.django_db
def test_text_no_database_can_store_is_refused(call, coordinator):
    situation = report_situation(coordinator)
    note = {"visibility": "participants", "body": "Appel", "occurred_on": "2026-03-02"}
    path = f"/situations/{situation.public_id}/notes"
    assert call("POST", path, note).status_code == 201
    for unstorable in ('"Appel\\u0000"', '"\\ud800"'):
        body = json.dumps(note).replace('"Appel"', unstorable)
        response = call("POST", path, body)
        assert response.status_code == 400
        assert response.json() == {"detail": UNREADABLE_BODY_MESSAGE}
    response = call("GET", "/situations?q=2026%00")
    assert_invalid(response, ("query", "q"))
    assert response.json()["errors"][0]["msg"] == UNSTORABLE_MESSAGE


@pytest.mark.django_db
def test_a_unit_named_after_its_secret_address_is_refused(call):
    unit = {"name": "12 rue des Lilas", "address": "12 rue des Lilas", "secret": True}
    response = call("POST", "/housing/units", unit)
    assert response.status_code == 400
    assert "L'adresse est secrète" in response.json()["detail"]
    assert call("POST", "/housing/units", {**unit, "name": "Refuge"}).status_code == 201


@pytest.mark.django_db
def test_a_version_is_what_the_database_holds(call):
    created = call(
        "POST", "/housing/units", {"name": "Refuge", "address": "12 rue des Lilas", "secret": True}
    )
    path = f"/housing/units/{created.json()['public_id']}"
    change = {"name": "Refuge", "address": None, "secret": True}
    assert_invalid(call("PUT", path, {**change, "version": 2**31}), ("body", "payload", "version"))
    assert call("PUT", path, {**change, "version": 2**31 - 1}).status_code == 409
    assert call("PUT", path, {**change, "version": 1, "cots": 1}).status_code == 200


@pytest.mark.django_db
def test_a_method_no_operation_takes_is_a_json_405(call):
    response = call("DELETE", "/situations")
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
    assert response.json() == {"detail": METHOD_NOT_ALLOWED_MESSAGE}


def test_django_s_own_error_answers_are_json_under_the_api(rf):
    # A server error, or a refusal raised outside ninja (PermissionDenied), keep the API's shape.
    response = errors.server_error(rf.get(f"{API}/situations"))
    assert response.status_code == 500
    assert json.loads(response.content)["detail"] == errors.SERVER_ERROR_MESSAGE
    response = errors.forbidden(rf.get(f"{API}/situations"))
    assert (response.status_code, json.loads(response.content)) == (403, {"detail": errors.FORBIDDEN_MESSAGE})
    assert errors.server_error(rf.get("/situations/"))["Content-Type"].startswith("text/html")
