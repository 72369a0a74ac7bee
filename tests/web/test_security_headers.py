import importlib

import pytest
from django.test import override_settings

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory


def script_src(csp: str) -> str:
    return next(d for d in csp.split(";") if d.strip().startswith("script-src"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_every_page_carries_the_security_headers(client, member_client, who):
    url = "/accounts/login/"
    if who == "member":
        client, _ = member_client("professional")
        url = "/reseau/annuaire/"
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "'self'" in script_src(csp)
    assert "unsafe-inline" not in script_src(csp)
    assert "unsafe-eval" not in script_src(csp)
    assert "frame-ancestors 'none'" in csp
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_and_error_pages_are_not_cached_either(client):
    assert "no-store" in client.get("/page-qui-n-existe-pas/")["Cache-Control"]


def test_production_settings_harden_transport_and_cookies(monkeypatch):
    monkeypatch.setenv("MAILLAGE_SECRET_KEY", "x" * 60)
    prod = importlib.import_module("config.settings.prod")
    prod = importlib.reload(prod)
    assert prod.DEBUG is False
    assert prod.SECURE_HSTS_SECONDS >= 31536000
    assert prod.SECURE_SSL_REDIRECT is True
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    assert prod.SESSION_COOKIE_HTTPONLY and prod.CSRF_COOKIE_HTTPONLY
    assert prod.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SESSION_COOKIE_NAME="__Host-maillage_session",
    CSRF_COOKIE_NAME="__Host-csrftoken",
)
def test_production_responses_send_hsts_and_locked_cookies(client):
    user = UserFactory()
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, secure=True
    )
    session = response.cookies["__Host-maillage_session"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
