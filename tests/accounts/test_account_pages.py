import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

from tests.accounts.factories import enrol_totp


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, text",
    [
        ("/accounts/2fa/", "Authentification à deux facteurs"),
        ("/accounts/password/change/", "mot de passe"),
        ("/compte/", "Mes adhésions"),
    ],
)
def test_account_pages_render_in_french(member_client, url, text):
    client, membership = member_client("professional")
    enrol_totp(membership.user)
    RecoveryCodes.activate(membership.user)
    response = client.get(url)
    assert response.status_code == 200
    assert text.lower() in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/password/reset/"])
def test_public_sign_in_pages_render(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.django_db
def test_sign_up_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inscriptions fermées" in html
    assert 'name="password1"' not in html


@pytest.mark.django_db
def test_a_security_key_can_be_added_as_an_extra_factor(member_client):
    import time

    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    client, membership = member_client("professional")
    enrol_totp(membership.user)
    session = client.session
    # Managing factors asks for a recent re-authentication.
    session[AUTHENTICATION_METHODS_SESSION_KEY] += [
        {"method": "password", "at": time.time(), "reauthenticated": True}
    ]
    session.save()
    response = client.get("/accounts/2fa/webauthn/add/")
    assert response.status_code == 200
    # Only scripts the CSP allows: static files, and JSON data that browsers do not execute.
    for tag in re.findall(r"<script[^>]*>", response.content.decode()):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
