"""Sign-in: password + second factor for everyone, lockout, reset, session lifetime, deactivation."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core import mail
from django.utils import timezone

from maillage.network import services as network_services
from maillage.network.actor import Actor
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, enrol_totp
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
DIRECTORY = "/reseau/annuaire/"


def password_step(client, email, password=DEFAULT_PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def totp_code(user) -> str:
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def enrolled(territory):
    membership = MembershipFactory(territory=territory, roles=["professional"])
    enrol_totp(membership.user)
    return membership.user


@pytest.mark.django_db
class TestSecondFactor:
    def test_password_then_totp_signs_in(self, client, enrolled):
        response = password_step(client, enrolled.email)
        assert response.status_code == 302
        assert response["Location"] == MFA
        # Between the two steps the person is not signed in: no member page.
        assert client.get(DIRECTORY)["Location"].startswith(LOGIN)

        response = client.post(MFA, {"code": totp_code(enrolled)})
        assert response.status_code == 302
        assert client.get(DIRECTORY).status_code == 200

    def test_wrong_totp_code_keeps_the_door_closed(self, client, enrolled):
        password_step(client, enrolled.email)
        response = client.post(MFA, {"code": "000000" if totp_code(enrolled) != "000000" else "111111"})
        assert response.status_code == 200
        assert "incorrect" in response.content.decode().lower()
        assert client.get(DIRECTORY)["Location"].startswith(LOGIN)

    def test_session_without_second_factor_is_refused_for_enrolled_account(self, client, enrolled):
        sign_in(client, enrolled, second_factor=False)
        response = client.get(DIRECTORY)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        # And the session is gone, not only redirected.
        assert client.get("/")["Location"].startswith(LOGIN)

    # Transactional: allauth records the enrolment on commit, which must happen before the response, as in
    # production.
    @pytest.mark.django_db(transaction=True)
    def test_account_without_totp_must_enrol_before_anything(self, client, territory):
        membership = MembershipFactory(territory=territory)
        user = membership.user
        response = password_step(client, user.email)
        assert response.status_code == 302
        for url in ["/", DIRECTORY, "/compte/", "/api/v1/me"]:
            response = client.get(url)
            assert response.status_code in (302, 401), url
            if response.status_code == 302:
                assert response["Location"] == "/accounts/2fa/totp/activate/", url

        page = client.get("/accounts/2fa/totp/activate/")
        assert page.status_code == 200
        secret = client.session["mfa.totp.secret"]
        response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert client.get(DIRECTORY).status_code == 200


@pytest.mark.django_db
class TestLockout:
    def test_ten_wrong_passwords_lock_the_main_login(self, client, enrolled):
        for _ in range(10):
            response = password_step(client, enrolled.email, "mauvais mot de passe")
            assert response.status_code == 200
        # The right password is now refused too, for a while.
        response = password_step(client, enrolled.email)
        assert response.status_code == 200
        assert "trop" in response.content.decode().lower()

        with time_machine.travel(timezone.now() + timedelta(minutes=16)):
            response = password_step(client, enrolled.email)
            assert response.status_code == 302
            assert response["Location"] == MFA

    def test_admin_login_goes_through_the_same_guarded_login(self, client, db):
        admin = UserFactory(platform_admin=True)
        enrol_totp(admin)
        # The admin's own login form is never offered: it sends to the main login (password + TOTP + lockout).
        response = client.get("/admin/login/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        response = client.post("/admin/login/", {"username": admin.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert client.get("/admin/")["Location"].startswith("/admin/login/")

        for _ in range(10):
            password_step(client, admin.email, "mauvais mot de passe")
        response = client.post(f"{LOGIN}?next=/admin/", {"login": admin.email, "password": DEFAULT_PASSWORD})
        assert response.status_code == 200
        assert "trop" in response.content.decode().lower()

    def test_platform_admin_reaches_django_admin_only_after_totp(self, client, db):
        admin = UserFactory(platform_admin=True)
        enrol_totp(admin)
        client.post(f"{LOGIN}?next=/admin/", {"login": admin.email, "password": DEFAULT_PASSWORD})
        assert client.get("/admin/").status_code == 302
        client.post(MFA, {"code": totp_code(admin)})
        assert client.get("/admin/").status_code == 200

    def test_ten_wrong_codes_lock_the_second_factor(self, client, enrolled):
        password_step(client, enrolled.email)
        wrong = "000000" if totp_code(enrolled) != "000000" else "111111"
        for _ in range(10):
            client.post(MFA, {"code": wrong})
        response = client.post(MFA, {"code": totp_code(enrolled)})
        assert response.status_code == 200
        assert client.get(DIRECTORY).status_code == 302


@pytest.mark.django_db
def test_password_reset_never_bypasses_the_second_factor(client, enrolled):
    client.post("/accounts/password/reset/", {"email": enrolled.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    new_password = "Un tout nouveau mot de passe 2026"
    response = client.post(form_path, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    # Not signed in after the reset.
    assert client.get(DIRECTORY)["Location"].startswith(LOGIN)
    # Signing in with the new password still asks for the code.
    response = password_step(client, enrolled.email, new_password)
    assert response["Location"] == MFA
    assert client.get(DIRECTORY)["Location"].startswith(LOGIN)


@pytest.mark.django_db
class TestSessionLifetime:
    def test_idle_timeout_after_thirty_minutes(self, client, territory):
        membership = MembershipFactory(territory=territory)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            sign_in(client, membership.user, membership)
            assert client.get(DIRECTORY).status_code == 200
            traveller.shift(timedelta(minutes=29))
            assert client.get(DIRECTORY).status_code == 200
            traveller.shift(timedelta(minutes=31))
            response = client.get(DIRECTORY)
            assert response.status_code == 302
            assert response["Location"].startswith(LOGIN)

    def test_absolute_lifetime_even_when_active(self, client, territory):
        membership = MembershipFactory(territory=territory)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            sign_in(client, membership.user, membership)
            for _ in range(30):  # 10 hours of activity, one request every 20 minutes
                traveller.shift(timedelta(minutes=20))
                assert client.get(DIRECTORY).status_code == 200
            traveller.shift(timedelta(minutes=20))
            assert client.get(DIRECTORY)["Location"].startswith(LOGIN)

    def test_expired_session_message_is_in_french(self, client, territory):
        membership = MembershipFactory(territory=territory)
        with time_machine.travel(timezone.now(), tick=False) as traveller:
            sign_in(client, membership.user, membership)
            traveller.shift(timedelta(hours=1))
            response = client.get(DIRECTORY, follow=True)
        assert "Votre session a expiré" in response.content.decode()


@pytest.mark.django_db
class TestDeactivation:
    def test_deactivated_member_is_refused_on_next_request(self, client, territory):
        org_admin = MembershipFactory(territory=territory, roles=["org_admin"])
        colleague = MembershipFactory(territory=territory, organisation=org_admin.organisation)
        sign_in(client, colleague.user, colleague)
        assert client.get(DIRECTORY).status_code == 200

        network_services.membership_set_active(
            actor=Actor.from_membership(org_admin.user, org_admin), membership=colleague, active=False
        )
        response = client.get(DIRECTORY)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        # The session is ended, not merely redirected once.
        assert "_auth_user_id" not in client.session

    def test_deactivated_membership_does_not_fall_back_to_another_one(self, client, territory):
        first = MembershipFactory(territory=territory)
        second = MembershipFactory(user=first.user, territory=territory)
        sign_in(client, first.user, first)
        first.is_active = False
        first.save()
        assert client.get(DIRECTORY)["Location"].startswith(LOGIN)
        assert second.is_active

    def test_deactivated_account_is_refused_on_next_request(self, client, territory):
        membership = MembershipFactory(territory=territory)
        sign_in(client, membership.user, membership)
        membership.user.is_active = False
        membership.user.save()
        assert client.get(DIRECTORY)["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_django_admin_is_for_platform_admins_only_and_hides_second_factor_secrets(client, territory):
    staff_member = MembershipFactory(territory=territory, user__is_staff=True)
    sign_in(client, staff_member.user, staff_member)
    assert client.get("/admin/").status_code in (302, 403)

    admin = UserFactory(platform_admin=True)
    enrol_totp(admin)
    sign_in(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/mfa/authenticator/").status_code == 404


@pytest.mark.django_db
def test_a_recovery_code_replaces_the_phone_once(client, enrolled):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(enrolled).get_unused_codes()
    password_step(client, enrolled.email)
    assert client.post(MFA, {"code": codes[0]}).status_code == 302
    assert client.get(DIRECTORY).status_code == 200

    client.post("/accounts/logout/")
    password_step(client, enrolled.email)
    response = client.post(MFA, {"code": codes[0]})  # already used
    assert response.status_code == 200
    assert client.get(DIRECTORY)["Location"].startswith(LOGIN)
