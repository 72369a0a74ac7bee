"""The « Jetons d'API » page: list, create (key shown once), revoke — only one's own tokens."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from maillage.accounts.models import ApiToken
from tests.accounts.factories import UserFactory
from tests.api.helpers import bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

TOKENS = "/compte/jetons/"


def revoke_url(token) -> str:
    return f"/compte/jetons/{token.public_id}/revoquer/"


def new_key(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="new-token">') + len('data-testid="new-token">')
    return html[start : html.index("<", start)]


@pytest.mark.django_db
class TestCreate:
    def test_created_key_is_shown_once_and_works_on_the_api(self, member_client):
        client, membership = member_client("professional")

        response = client.post(TOKENS, {"name": "Tableau de bord", "scope": "read"})

        assert response.status_code == 200
        key = new_key(response)
        assert key.startswith("mlg_")
        token = ApiToken.objects.get(user=membership.user)
        assert token.name == "Tableau de bord" and token.scope == "read" and token.membership == membership
        assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
        assert f"Authorization: Bearer {key}" in response.content.decode()
        # Never kept anywhere: the next visit of the page does not show it, nor does the session hold it.
        assert key not in str(dict(client.session))
        assert key not in client.get(TOKENS).content.decode()
        client.logout()
        me = client.get("/api/v1/me", headers=bearer(key))
        assert me.status_code == 200 and me.json()["active_membership"]["public_id"] == str(
            membership.public_id
        )

    def test_token_acts_as_the_active_membership(self, client, territory):
        first = MembershipFactory(territory=territory)
        second = MembershipFactory(user=first.user)
        sign_in(client, first.user, second)
        client.post(TOKENS, {"name": "Pour la seconde", "scope": "write"})
        assert ApiToken.objects.get(user=first.user).membership == second

    def test_expiry_is_the_end_of_the_chosen_day(self, member_client):
        client, membership = member_client()
        with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=timezone.get_current_timezone())):
            client.post(TOKENS, {"name": "Temporaire", "scope": "read", "expires_on": "2026-03-31"})
        expires_at = timezone.localtime(ApiToken.objects.get(user=membership.user).expires_at)
        assert (expires_at.date(), expires_at.hour, expires_at.minute) == (datetime.date(2026, 3, 31), 23, 59)

    def test_missing_name_is_explained_and_the_choices_kept(self, member_client):
        client, membership = member_client()
        response = client.post(TOKENS, {"name": "  ", "scope": "write", "expires_on": "2099-01-31"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ce champ est obligatoire" in html
        assert 'value="2099-01-31"' in html
        assert re.search(r'value="write"[^>]* checked', html)
        assert 'data-testid="new-token"' not in html
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_past_expiry_is_refused_and_the_name_kept(self, member_client):
        client, membership = member_client()
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        response = client.post(TOKENS, {"name": "Mon script", "scope": "read", "expires_on": yesterday})
        html = response.content.decode()
        assert "Choisissez aujourd&#x27;hui ou une date à venir." in html
        assert 'value="Mon script"' in html
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_unknown_scope_is_refused(self, member_client):
        client, membership = member_client()
        response = client.post(TOKENS, {"name": "Mon script", "scope": "admin"})
        assert "Sélectionnez un choix valide" in response.content.decode()
        assert not ApiToken.objects.filter(user=membership.user).exists()


@pytest.mark.django_db
class TestList:
    def test_lists_my_tokens_with_their_status_and_never_someone_elses(self, member_client, territory):
        client, membership = member_client()
        create_token(membership, name="Actif")
        expired, _ = create_token(
            membership, name="Périmé", expires_at=timezone.now() + datetime.timedelta(minutes=10)
        )
        revoked, _ = create_token(membership, name="Abandonné", scope="write")
        client.post(revoke_url(revoked))
        create_token(
            MembershipFactory(territory=territory, organisation=membership.organisation), name="Secret"
        )

        # Still within the session's idle timeout, but past the token's expiry.
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=15)):
            html = client.get(TOKENS).content.decode()

        assert "Actif" in html and "Périmé" in html and "Abandonné" in html
        assert "Expiré" in html and "Révoqué le" in html
        assert "Lecture et écriture" in html and "Jamais" in html
        assert "Secret" not in html

    def test_empty_state(self, member_client):
        client, _ = member_client()
        assert "Vous n'avez encore créé aucun jeton." in client.get(TOKENS).content.decode()

    def test_usage_is_explained(self, member_client):
        client, _ = member_client()
        html = client.get(TOKENS).content.decode()
        assert 'curl -H "Authorization: Bearer mlg_votre_jeton" http://testserver/api/v1/me' in html

    @pytest.mark.parametrize("rows", [1, 30])
    def test_query_count(self, member_client, rows, django_assert_num_queries):
        client, membership = member_client()
        for i in range(rows):
            create_token(membership, name=f"Jeton {i}")
        # session, user, memberships (+roles, +communes as referent), count, tokens with their membership
        with django_assert_num_queries(7):
            assert client.get(TOKENS).status_code == 200

    def test_paginates(self, member_client):
        client, membership = member_client()
        for i in range(51):
            create_token(membership, name=f"Jeton {i:02d}")
        html = client.get(TOKENS).content.decode()
        assert "Jeton 50" in html and "Jeton 00" not in html and "Page 1 sur 2" in html
        assert "Jeton 00" in client.get(TOKENS + "?page=2").content.decode()


@pytest.mark.django_db
class TestRevoke:
    def test_confirmation_then_revocation(self, member_client):
        client, membership = member_client()
        token, key = create_token(membership, name="Vieux script")

        confirm = client.get(revoke_url(token))
        assert confirm.status_code == 200
        assert "Révoquer le jeton « Vieux script »" in confirm.content.decode()
        token.refresh_from_db()
        assert token.revoked_at is None  # looking is not revoking

        response = client.post(revoke_url(token), follow=True)
        assert "Le jeton « Vieux script » est révoqué" in response.content.decode()
        token.refresh_from_db()
        assert token.revoked_at is not None
        client.logout()
        assert client.get("/api/v1/me", headers=bearer(key)).status_code == 401

    def test_already_revoked(self, member_client):
        client, membership = member_client()
        token, _ = create_token(membership)
        client.post(revoke_url(token))
        response = client.get(revoke_url(token), follow=True)
        assert "est déjà révoqué" in response.content.decode()

    def test_someone_elses_token_is_not_found(self, member_client, territory):
        client, membership = member_client("org_admin", "coordinator")
        colleague = MembershipFactory(territory=territory, organisation=membership.organisation)
        token, key = create_token(colleague)
        assert client.get(revoke_url(token)).status_code == 404
        assert client.post(revoke_url(token)).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_is_sent_to_sign_in(self, client):
        for response in (client.get(TOKENS), client.post(TOKENS, {"name": "x", "scope": "read"})):
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    def test_platform_admin_is_refused(self, client, territory):
        sign_in(client, UserFactory(platform_admin=True))
        token, _ = create_token(MembershipFactory(territory=territory))
        assert client.get(TOKENS).status_code == 403
        assert client.post(TOKENS, {"name": "x", "scope": "write"}).status_code == 403
        assert client.post(revoke_url(token)).status_code == 403
        assert not ApiToken.objects.filter(name="x").exists()

    def test_revocation_needs_the_csrf_token(self, territory):
        from django.test import Client

        membership = MembershipFactory(territory=territory)
        token, _ = create_token(membership)
        client = sign_in(Client(enforce_csrf_checks=True), membership.user, membership)
        assert client.post(revoke_url(token)).status_code == 403
        token.refresh_from_db()
        assert token.revoked_at is None
