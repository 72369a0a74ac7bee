"""One structured line per request, naming the route and public ids only; the 500 page shows its id."""

import json
import logging
import uuid

import pytest
from django.test import Client, override_settings
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from maillage.web.access import public
from maillage.web.logs import JsonFormatter

SEARCHED_NAME = "Zéphyrine Canarelli"


@public
def broken_view(request, public_id):
    raise RuntimeError(f"boom about {SEARCHED_NAME}")


# The project's URLconf plus one broken page, so that the 500 page renders as in production.
urlpatterns = [path("casse/<uuid:public_id>/", broken_view, name="broken"), *project_urlpatterns]
handler500 = "maillage.web.errors.server_error"


def request_lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "maillage.requests"]


@pytest.mark.django_db
def test_a_request_writes_one_line_with_route_status_duration_and_public_ids(member_client, caplog):
    client, membership = member_client("coordinator")
    missing = uuid.uuid4()
    caplog.set_level(logging.INFO, logger="maillage.requests")

    response = client.get(f"/situations/{missing}/", {"nom": SEARCHED_NAME})

    assert response.status_code == 404
    (line,) = request_lines(caplog)
    assert line["method"] == "GET"
    assert (line["view"], line["route"]) == ("situations:detail", "situations/<uuid:public_id>/")
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["actor"] == str(membership.user.public_id)
    assert line["membership"] == str(membership.public_id)
    assert line["request_id"] == response["X-Request-ID"]
    written = json.dumps(line, ensure_ascii=False)
    for private in (str(missing), "nom=", "Zéphyrine", membership.user.email, membership.user.last_name):
        assert private not in written


@pytest.mark.django_db
def test_an_anonymous_request_has_no_actor_and_each_request_its_own_id(client, caplog):
    caplog.set_level(logging.INFO, logger="maillage.requests")
    first = client.get("/accounts/login/")
    second = client.get("/accounts/login/")
    lines = request_lines(caplog)
    assert [(line["view"], line["status"], line["actor"]) for line in lines] == [
        ("account_login", 200, None)
    ] * 2
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxies", "sent", "kept"),
    [
        (1, "0123456789abcdef0123456789abcdef", True),  # nginx's $request_id
        (1, str(uuid.UUID(int=7)), True),
        (1, "short", False),
        (1, 'x"}\n{"forged": 1', False),
        (0, "0123456789abcdef0123456789abcdef", False),  # no trusted proxy: the client cannot choose it
    ],
)
def test_a_sane_request_id_from_a_trusted_proxy_is_kept(client, settings, proxies, sent, kept):
    settings.MAILLAGE_TRUSTED_PROXY_COUNT = proxies
    returned = client.get("/accounts/login/", HTTP_X_REQUEST_ID=sent)["X-Request-ID"]
    assert (returned == sent) is kept
    assert len(returned) >= 8


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_its_reference_and_logs_it_without_the_path(caplog):
    client = Client(raise_request_exception=False)
    caplog.set_level(logging.INFO)
    public_id = uuid.uuid4()

    response = client.get(f"/casse/{public_id}/", {"q": SEARCHED_NAME})

    assert response.status_code == 500
    reference = response["X-Request-ID"]
    page = response.content.decode()
    assert "Erreur du serveur" in page
    assert f'référence de l\'erreur : <strong data-testid="error-reference">{reference}</strong>' in page
    assert "boom" not in page and "Traceback" not in page
    (line,) = request_lines(caplog)
    assert (line["view"], line["status"], line["request_id"]) == ("broken", 500, reference)
    (error,) = [r for r in caplog.records if r.name == "django.request"]
    formatted = JsonFormatter().format(error)
    assert "[broken]" in json.loads(formatted)["message"]
    assert str(public_id) not in json.loads(formatted)["message"]
    assert "q=" not in formatted


def test_extra_fields_are_logged_and_the_request_object_is_not():
    record = logging.makeLogRecord(
        {"name": "x", "msg": "m %s", "args": ("a",), "levelno": 20, "levelname": "INFO", "request_id": "r1"}
    )
    record.request = object()
    line = json.loads(JsonFormatter().format(record))
    assert (line["message"], line["request_id"], line["level"]) == ("m a", "r1", "INFO")
    assert "request" not in line
