"""The « Jetons d'API » page: list, create (with a fresh second-factor code, expiring; key shown once), revoke
— only one's own tokens. Tokens are revoked for good when their membership, account or organisation is
deactivated."""

import datetime
import re

import pyotp
import pytest
import time_machine
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import DomainError
from maillage.network import accounts as network_accounts
from maillage.network import services as network_services
from maillage.network import tokens as services
from maillage.network.actor import Actor
from maillage.network.models import ApiToken
from tests.accounts.factories import UserFactory, enrol_totp
from tests.api.helpers import actor_of, bearer, create_token
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

TOKENS = "/compte/jetons/"
ME = "/api/v1/me"


@pytest.fixture
def totp_member(member_client):
    """`totp_member(*roles)` → (client signed in, membership), the member enrolled in an authenticator app."""

    def make(*roles, **kwargs):
        client, membership = member_client(*roles, **kwargs)
        enrol_totp(membership.user)
        return client, membership

    return make


def code_of(user) -> str:
    return pyotp.TOTP(user.totp_secret).now()


def wrong_code(user) -> str:
    return "000000" if code_of(user) != "000000" else "111111"


def last_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=90)


def create(client, user, **data):
    """Posts the creation form as a person would: the proposed expiry, the code shown right now."""
    data = {"scope": "read", "expires_on": last_day().isoformat(), "code": code_of(user), **data}
    return client.post(TOKENS, data)


def revoke_url(token) -> str:
    return f"/compte/jetons/{token.public_id}/revoquer/"


def new_key(response) -> str:
    html = response.content.decode()
    start = html.index('data-testid="new-token">') + len('data-testid="new-token">')
    return html[start : html.index("<", start)]


@pytest.mark.django_db
class TestCreate:
    def test_created_key_is_shown_once_and_works_on_the_api(self, totp_member):
        client, membership = totp_member("professional")

        response = create(client, membership.user, name="Tableau de bord")

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
        enrol_totp(first.user)
        sign_in(client, first.user, second)
        create(client, first.user, name="Pour la seconde", scope="write")
        assert ApiToken.objects.get(user=first.user).membership == second

    def test_expiry_is_the_end_of_the_chosen_day(self, totp_member):
        client, membership = totp_member()
        with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=timezone.get_current_timezone())):
            create(client, membership.user, name="Temporaire", expires_on="2026-03-31")
        expires_at = timezone.localtime(ApiToken.objects.get(user=membership.user).expires_at)
        assert (expires_at.date(), expires_at.hour, expires_at.minute) == (datetime.date(2026, 3, 31), 23, 59)

    def test_missing_name_is_explained_and_the_choices_kept(self, totp_member):
        client, membership = totp_member()
        in_ten_days = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
        code = code_of(membership.user)
        response = create(
            client, membership.user, name="  ", scope="write", expires_on=in_ten_days, code=code
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "Ce champ est obligatoire" in html
        assert f'value="{in_ten_days}"' in html
        assert re.search(r'value="write"[^>]* checked', html)
        assert f'value="{code}"' not in html
        assert 'data-testid="new-token"' not in html
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_past_expiry_is_refused_and_the_name_kept(self, totp_member):
        client, membership = totp_member()
        yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
        response = create(client, membership.user, name="Mon script", expires_on=yesterday)
        html = response.content.decode()
        assert "Choisissez aujourd&#x27;hui ou une date à venir." in html
        assert 'value="Mon script"' in html
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_unknown_scope_is_refused(self, totp_member):
        client, membership = totp_member()
        response = create(client, membership.user, name="Mon script", scope="admin")
        assert "Sélectionnez un choix valide" in response.content.decode()
        assert not ApiToken.objects.filter(user=membership.user).exists()


@pytest.mark.django_db
class TestExpiry:
    def test_the_form_proposes_the_longest_validity(self, totp_member):
        client, membership = totp_member()
        html = client.get(TOKENS).content.decode()
        assert f'value="{last_day().isoformat()}"' in html
        assert "Dernier jour de validité (facultatif)" not in html

        create(client, membership.user, name="Par défaut")

        token = ApiToken.objects.get(user=membership.user)
        assert timezone.localtime(token.expires_at).date() == last_day()
        assert timezone.localtime(token.expires_at).strftime("%H:%M") == "23:59"

    def test_a_later_day_is_refused_with_the_input_kept(self, totp_member):
        client, membership = totp_member()
        too_late = (last_day() + datetime.timedelta(days=1)).isoformat()

        response = create(client, membership.user, name="Éternel", scope="write", expires_on=too_late)

        html = response.content.decode()
        assert "Un jeton vaut au plus 90 jours" in html
        assert f'value="{too_late}"' in html and 'value="Éternel"' in html
        assert "<title>Erreur : Jetons d&#x27;API" in html
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_an_empty_day_is_refused(self, totp_member):
        client, membership = totp_member()
        response = create(client, membership.user, name="Sans date", expires_on="")
        assert "Ce champ est obligatoire" in response.content.decode()
        assert not ApiToken.objects.filter(user=membership.user).exists()

    def test_the_setting_sets_the_longest_validity(self, totp_member, settings):
        settings.MAILLAGE_API_TOKEN_DAYS = 7
        client, membership = totp_member()
        in_eight_days = (timezone.localdate() + datetime.timedelta(days=8)).isoformat()
        assert "Un jeton vaut au plus 7 jours" in (
            create(client, membership.user, name="Long", expires_on=in_eight_days).content.decode()
        )
        in_seven_days = timezone.localdate() + datetime.timedelta(days=7)
        assert f'value="{in_seven_days.isoformat()}"' in client.get(TOKENS).content.decode()

    def test_the_service_refuses_no_expiry_and_beyond_the_maximum(self, territory):
        actor = actor_of(MembershipFactory(territory=territory))
        latest = ApiToken.end_of(last_day())
        with pytest.raises(DomainError, match="un jeton expire toujours"):
            services.api_token_create(actor=actor, name="Éternel", scope="read", expires_at=None)
        with pytest.raises(DomainError, match="au plus 90 jours"):
            services.api_token_create(
                actor=actor, name="Trop long", scope="read", expires_at=latest + datetime.timedelta(seconds=1)
            )
        token, _key = services.api_token_create(actor=actor, name="Juste", scope="read", expires_at=latest)
        assert token.expires_at == latest

    def test_the_list_shows_when_each_token_expires(self, totp_member):
        client, membership = totp_member()
        with time_machine.travel(datetime.datetime(2026, 12, 1, 9, tzinfo=timezone.get_current_timezone())):
            create_token(membership, expires_at=ApiToken.end_of(datetime.date(2026, 12, 24)))
            sign_in(client, membership.user, membership)
            assert "24 décembre 2026 à 23:59" in client.get(TOKENS).content.decode()


@pytest.mark.django_db
class TestSecondFactor:
    def test_a_wrong_code_creates_nothing_keeps_the_rest_and_is_audited(self, totp_member):
        client, membership = totp_member()
        in_ten_days = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
        wrong = wrong_code(membership.user)

        response = create(
            client, membership.user, name="Mon script", scope="write", expires_on=in_ten_days, code=wrong
        )

        html = response.content.decode()
        assert "Ce code n&#x27;est pas valide" in html
        assert 'href="#id_code"' in html  # the error summary leads to the field
        assert 'value="Mon script"' in html and f'value="{in_ten_days}"' in html
        assert re.search(r'value="write"[^>]* checked', html)
        assert f'value="{wrong}"' not in html
        assert not ApiToken.objects.filter(user=membership.user).exists()
        entry = AuditEntry.objects.get(action=AuditAction.MFA_FAILED)
        assert entry.actor_user_id == membership.user.pk and entry.changes == {"during": "api_token"}

    def test_a_code_serves_once(self, totp_member):
        client, membership = totp_member()
        code = code_of(membership.user)
        create(client, membership.user, name="Premier", code=code)
        response = create(client, membership.user, name="Second", code=code)
        assert "Ce code n&#x27;est pas valide (ou a déjà servi)" in response.content.decode()
        assert list(ApiToken.objects.values_list("name", flat=True)) == ["Premier"]

    def test_a_recovery_code_is_not_enough(self, totp_member):
        client, membership = totp_member()
        recovery = RecoveryCodes.activate(membership.user).get_unused_codes()[0]
        response = create(client, membership.user, name="Mon script", code=recovery)
        assert "Ce code n&#x27;est pas valide" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_the_code_is_required(self, totp_member):
        client, membership = totp_member()
        response = create(client, membership.user, name="Mon script", code="")
        assert "Ce champ est obligatoire" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_an_account_without_authenticator_app_is_told_what_to_do(self, member_client):
        client, membership = member_client()  # e.g. a security key only
        response = client.post(
            TOKENS, {"name": "x", "scope": "read", "expires_on": last_day().isoformat(), "code": "123456"}
        )
        assert "demande une application d&#x27;authentification" in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_five_wrong_codes_stop_the_form_for_a_while(self, totp_member):
        client, membership = totp_member()
        for _ in range(5):
            create(client, membership.user, name="Mon script", code=wrong_code(membership.user))
        response = create(client, membership.user, name="Mon script")
        assert "Ce code n&#x27;est pas valide" in response.content.decode()
        assert not ApiToken.objects.exists()
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
            sign_in(client, membership.user, membership)
            create(client, membership.user, name="Mon script")
        assert ApiToken.objects.exists()


@pytest.mark.django_db
class TestRevokedOnDeactivation:
    """Deactivation revokes for good: reactivating brings no token back."""

    @pytest.fixture
    def admin_actor(self, db):
        return Actor(user=UserFactory(platform_admin=True), membership=None)

    def assert_revoked_for_good(self, client, token, key, reason):
        token.refresh_from_db()
        assert token.revoked_at is not None
        entry = AuditEntry.objects.get(action=AuditAction.API_TOKEN_REVOKED, object_public_id=token.public_id)
        assert entry.changes == {"name": token.name, "reason": reason}
        assert entry.subject_user_id == token.user_id
        assert client.get(ME, headers=bearer(key)).status_code == 401

    def test_membership(self, client, territory, admin_actor):
        membership = MembershipFactory(territory=territory)
        token, key = create_token(membership)
        other_token, other_key = create_token(MembershipFactory(user=membership.user))

        network_services.membership_set_active(actor=admin_actor, membership=membership, active=False)
        network_services.membership_set_active(actor=admin_actor, membership=membership, active=True)

        self.assert_revoked_for_good(client, token, key, "membership_deactivated")
        other_token.refresh_from_db()
        assert other_token.revoked_at is None  # the same person's token for another membership stays
        assert client.get(ME, headers=bearer(other_key)).status_code == 200

    def test_account(self, client, territory, admin_actor):
        membership = MembershipFactory(territory=territory)
        token, key = create_token(membership)

        network_accounts.user_set_active(actor=admin_actor, user=membership.user, active=False)
        network_accounts.user_set_active(actor=admin_actor, user=membership.user, active=True)

        self.assert_revoked_for_good(client, token, key, "account_deactivated")

    def test_organisation(self, client, territory, admin_actor):
        membership = MembershipFactory(territory=territory)
        colleague = MembershipFactory(territory=territory, organisation=membership.organisation)
        tokens = [create_token(membership), create_token(colleague)]
        elsewhere, elsewhere_key = create_token(MembershipFactory(territory=territory))

        for active in (False, True):
            network_services.organisation_update(
                actor=admin_actor, organisation=membership.organisation, read_at=None, is_active=active
            )

        for token, key in tokens:
            self.assert_revoked_for_good(client, token, key, "organisation_deactivated")
        assert client.get(ME, headers=bearer(elsewhere_key)).status_code == 200

    def test_an_already_revoked_token_is_left_as_it_was(self, territory, admin_actor):
        membership = MembershipFactory(territory=territory)
        token, _key = create_token(membership)
        services.api_token_revoke(actor=actor_of(membership), token=token)
        revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at

        network_services.membership_set_active(actor=admin_actor, membership=membership, active=False)

        assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at
        assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_REVOKED).count() == 1


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
