"""/healthz: the database and the keyring, for a load balancer; no data, no session, no audit entry."""

import json

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from maillage.audit.models import AuditEntry
from maillage.privacy import keys


def test_ok_when_the_database_and_the_keyring_work(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1: no session, no user, no audit entry
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "keyring": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
@override_settings(
    ALLOWED_HOSTS=["maillage.example"],
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
)
def test_a_load_balancer_calls_it_by_address_over_http(client):
    response = client.get("/healthz", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200
    # Every other page keeps the host check and the HTTPS redirect.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.12:8000").status_code == 400
    assert client.get("/accounts/login/", HTTP_HOST="maillage.example").status_code == 301


def test_head_is_answered_and_other_methods_refused(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code in (403, 405)


@pytest.mark.django_db
def test_a_missing_keyring_answers_503_naming_it_without_details(client, settings, tmp_path, caplog):
    settings.MAILLAGE_KEYS_DIR = tmp_path / "nowhere"
    keys.reload()
    try:
        response = client.get("/healthz")
    finally:
        keys.reload()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "ok", "keyring": "error"}}
    assert str(tmp_path) not in response.content.decode()
    assert any("keyring" in r.getMessage() for r in caplog.records if r.name == "maillage.health")


@pytest.mark.django_db
def test_a_failing_database_answers_503_naming_it(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server: secret-host:5432")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "error", "checks": {"database": "error", "keyring": "ok"}}
    assert b"secret-host" not in response.content
