"""Who may call the API: session past the second factor, or a usable personal token; nobody else."""

from datetime import timedelta

import pytest
import time_machine
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone
from ninja.errors import HttpError

from maillage.api import auth
from maillage.network import accounts as network_accounts
from maillage.network import services as network_services
from maillage.network import tokens
from maillage.network.actor import Actor
from tests.accounts.factories import UserFactory
from tests.api.helpers import API, bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

ME = f"{API}/me"
MEMBER_ENDPOINTS = [f"{API}/communes", f"{API}/organisations", f"{API}/directory"]


@pytest.fixture
def membership(territory):
    return MembershipFactory(territory=territory, roles=["professional"])


@pytest.fixture
def admin_actor(db):
    return Actor.from_membership(UserFactory(platform_admin=True), None)


def assert_refused(response, status=401):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


@pytest.mark.django_db
class TestAnonymousAndSession:
    @pytest.mark.parametrize("path", [ME, *MEMBER_ENDPOINTS])
    def test_anonymous_gets_401_json_not_a_redirect(self, client, path):
        response = client.get(path)
        detail = assert_refused(response)
        assert "Authentification requise" in detail
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_session_past_second_factor_is_accepted(self, client, membership):
        sign_in(client, membership.user, membership)
        response = client.get(ME)
        assert response.status_code == 200
        assert response.json()["user"]["email"] == membership.user.email

    def test_session_without_second_factor_is_refused(self, client, membership):
        sign_in(client, membership.user, membership, second_factor=False)
        assert_refused(client.get(ME))

    def test_session_of_deactivated_member_is_refused(self, client, membership, admin_actor):
        sign_in(client, membership.user, membership)
        network_services.membership_set_active(actor=admin_actor, membership=membership, active=False)
        assert_refused(client.get(ME))

    def test_api_answers_are_never_cached(self, client, membership):
        sign_in(client, membership.user, membership)
        assert "no-store" in client.get(ME)["Cache-Control"]


@pytest.mark.django_db
class TestTokens:
    def test_usable_token_is_accepted(self, client, membership):
        _, key = create_token(membership)
        response = client.get(ME, headers=bearer(key))
        assert response.status_code == 200
        assert response.json()["active_membership"]["public_id"] == str(membership.public_id)

    def test_token_acts_as_the_membership_it_was_created_under(self, client, membership, territory):
        other = MembershipFactory(user=membership.user, roles=["observer"])
        _, key = create_token(other)
        body = client.get(ME, headers=bearer(key)).json()
        assert body["active_membership"]["public_id"] == str(other.public_id)
        assert body["active_membership"]["roles"] == ["observer"]
        # …so it lists the communes of that membership's territory, not the other one's.
        communes = client.get(f"{API}/communes", headers=bearer(key)).json()
        assert communes["count"] == 0

    @pytest.mark.parametrize("header", ["Bearer mlg_inconnu", "Bearer pas-un-jeton", "Bearer ", "Bearer"])
    def test_unknown_token_is_refused(self, client, db, header):
        detail = assert_refused(client.get(ME, headers={"Authorization": header}))
        assert "jeton" in detail

    def test_other_authorization_scheme_is_not_a_token(self, client, db):
        assert_refused(client.get(ME, headers={"Authorization": "Basic dXNlcjpwYXNz"}))

    def test_revoked_token_is_refused(self, client, membership):
        token, key = create_token(membership)
        tokens.api_token_revoke(actor=Actor.from_membership(membership.user, membership), token=token)
        assert_refused(client.get(ME, headers=bearer(key)))

    def test_expired_token_is_refused(self, client, membership):
        _, key = create_token(membership, expires_at=timezone.now() + timedelta(days=1))
        assert client.get(ME, headers=bearer(key)).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
            assert_refused(client.get(ME, headers=bearer(key)))

    def test_token_of_deactivated_membership_is_refused(self, client, membership, admin_actor):
        _, key = create_token(membership)
        network_services.membership_set_active(actor=admin_actor, membership=membership, active=False)
        assert_refused(client.get(ME, headers=bearer(key)))

    def test_token_of_deactivated_account_is_refused(self, client, membership, admin_actor):
        _, key = create_token(membership)
        network_accounts.user_set_active(actor=admin_actor, user=membership.user, active=False)
        assert_refused(client.get(ME, headers=bearer(key)))

    def test_token_of_deactivated_organisation_is_refused(self, client, membership, admin_actor):
        _, key = create_token(membership)
        network_services.organisation_update(
            actor=admin_actor, organisation=membership.organisation, read_at=None, is_active=False
        )
        assert_refused(client.get(ME, headers=bearer(key)))

    def test_failing_token_is_refused_even_with_a_valid_session(self, client, membership):
        sign_in(client, membership.user, membership)
        assert_refused(client.get(ME, headers=bearer("mlg_inconnu")))

    def test_last_use_is_recorded_at_most_once_a_minute(self, client, membership):
        token, key = create_token(membership)
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            client.get(ME, headers=bearer(key))
        token.refresh_from_db()
        assert token.last_used_at == start
        with time_machine.travel(start + timedelta(seconds=59), tick=False):
            client.get(ME, headers=bearer(key))
        token.refresh_from_db()
        assert token.last_used_at == start
        with time_machine.travel(start + timedelta(seconds=61), tick=False):
            client.get(ME, headers=bearer(key))
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


@pytest.mark.django_db
class TestPlatformAdmin:
    @pytest.fixture
    def admin_client(self, client):
        return sign_in(client, UserFactory(platform_admin=True))

    def test_platform_admin_may_read_their_own_account(self, admin_client):
        body = admin_client.get(ME).json()
        assert body["user"]["is_platform_admin"] is True
        assert body["active_membership"] is None
        assert body["memberships"] == []

    @pytest.mark.parametrize("path", MEMBER_ENDPOINTS)
    def test_platform_admin_is_refused_member_endpoints(self, admin_client, path):
        detail = assert_refused(admin_client.get(path), status=403)
        assert "réservée aux membres" in detail

    def test_token_of_a_member_turned_platform_admin_reaches_no_member_data(self, client, membership):
        _, key = create_token(membership)
        membership.user.is_platform_admin = True
        membership.user.save(update_fields=["is_platform_admin"])
        assert client.get(ME, headers=bearer(key)).json()["active_membership"] is None
        assert_refused(client.get(f"{API}/directory", headers=bearer(key)), status=403)


def post_request(**headers):
    request = RequestFactory().post("/api/v1/quelque-chose", headers=headers)
    request.user = None
    request.actor = None
    return request


@pytest.mark.django_db
class TestAuthLayer:
    """The scope, CSRF and role checks on unsafe methods, exercised on the auth objects themselves:
    the API has no write operation yet, and must refuse writes correctly from the first one on."""

    def test_read_token_may_not_write(self, membership):
        _, key = create_token(membership, scope="read")
        for access in auth.member_auth():
            if isinstance(access, auth.BearerTokenAuth):
                with pytest.raises(HttpError) as refused:
                    access(post_request(**bearer(key)))
                assert refused.value.status_code == 403
                assert refused.value.message == auth.READ_ONLY_SCOPE_MESSAGE

    def test_write_token_may_write(self, membership):
        _, key = create_token(membership, scope="write")
        request = post_request(**bearer(key))
        actor = auth.BearerTokenAuth(auth.MEMBER)(request)
        assert actor.membership == membership
        assert request.actor is actor

    def test_read_token_may_read(self, membership):
        _, key = create_token(membership, scope="read")
        request = RequestFactory().get("/api/v1/me", headers=bearer(key))
        assert auth.BearerTokenAuth(auth.MEMBER)(request).membership == membership

    def test_role_rule_refuses_other_roles(self, membership):
        _, key = create_token(membership, scope="write")
        coordinators_only = auth.BearerTokenAuth(auth.MEMBER, ("coordinator",))
        assert coordinators_only.rule == "member:coordinator"
        with pytest.raises(HttpError) as refused:
            coordinators_only(post_request(**bearer(key)))
        assert refused.value.status_code == 403

    def _session_post(self, membership, client, *, second_factor=True, **headers):
        sign_in(client, membership.user, membership, second_factor=second_factor)
        request = RequestFactory().post("/api/v1/quelque-chose", headers=headers)
        request.user = membership.user
        request.session = client.session
        request.actor = Actor.from_membership(membership.user, membership, [membership])
        return request

    def test_session_write_without_csrf_token_is_refused(self, membership, client):
        request = self._session_post(membership, client)
        with pytest.raises(HttpError) as refused:
            auth.SessionCookieAuth(auth.MEMBER)(request)
        assert refused.value.status_code == 403

    def test_session_write_with_csrf_token_is_accepted(self, membership, client):
        request = self._session_post(membership, client)
        csrf = get_token(request)
        request.COOKIES["csrftoken"] = csrf
        request.META["HTTP_X_CSRFTOKEN"] = csrf
        assert auth.SessionCookieAuth(auth.MEMBER)(request).membership == membership

    def test_session_without_second_factor_is_not_an_identity(self, membership, client):
        request = self._session_post(membership, client, second_factor=False)
        assert auth.SessionCookieAuth(auth.SIGNED_IN)(request) is None
