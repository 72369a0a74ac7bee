"""Nobody takes an account over through its addresses or its flags: a password reset goes to the account's own
address only, nobody adds another address, and the technical flags change through audited services that refuse
one's own account and members."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network import accounts as services
from maillage.network.actor import Actor
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

RESET = "/accounts/password/reset/"
RESET_DONE = "/accounts/password/reset/done/"
ATTACKER = "technique.perso@exemple.test"


@pytest.fixture
def member(territory):
    return MembershipFactory(territory=territory).user


@pytest.fixture
def admin_user(db):
    return UserFactory(platform_admin=True)


def as_actor(user) -> Actor:
    return Actor(user=user, membership=None)


@pytest.mark.django_db
class TestPasswordReset:
    def test_a_reset_asked_for_a_secondary_address_sends_nothing_to_it(self, client, member):
        # What the Django admin allowed: a verified address of someone else's attached to the account.
        EmailAddress.objects.create(user=member, email=ATTACKER, verified=True, primary=False)

        response = client.post(RESET, {"email": ATTACKER})

        assert response.status_code == 302 and response["Location"] == RESET_DONE
        assert not [message for message in mail.outbox if ATTACKER in message.to]

    def test_the_answer_is_the_same_for_any_address(self, client, member):
        EmailAddress.objects.create(user=member, email=ATTACKER, verified=True, primary=False)
        answers = [
            client.post(RESET, {"email": email}) for email in (member.email, ATTACKER, "x@inconnu.test")
        ]
        assert {(a.status_code, a["Location"]) for a in answers} == {(302, RESET_DONE)}

    def test_the_accounts_own_address_receives_the_link(self, client, member):
        client.post(RESET, {"email": member.email.upper()})
        assert [message.to for message in mail.outbox] == [[member.email]]
        assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_nobody_adds_an_address_to_their_account(client, member):
    sign_in(client, member)

    assert 'name="action_add"' not in client.get(reverse("account_email")).content.decode()
    client.post(reverse("account_email"), {"action_add": "", "email": ATTACKER})

    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [member.email]


@pytest.mark.django_db
class TestAdminFlagsService:
    def test_flags_change_with_an_audit_entry_by_the_admin(self, admin_user):
        user = UserFactory()
        services.user_set_admin_flags(
            actor=as_actor(admin_user), user=user, is_platform_admin=True, is_staff=True, is_superuser=False
        )
        user.refresh_from_db()
        assert user.is_platform_admin and user.is_staff and not user.is_superuser
        entry = AuditEntry.objects.get(action=AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED)
        assert entry.actor_user_id == admin_user.pk and entry.subject_user_id == user.pk
        assert entry.changes == {
            "email": user.email,
            "is_platform_admin": [False, True],
            "is_staff": [False, True],
        }

    def test_nothing_changed_records_nothing(self, admin_user):
        user = UserFactory()
        services.user_set_admin_flags(actor=as_actor(admin_user), user=user, is_staff=False)
        assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED).exists()

    def test_own_account_is_refused(self, admin_user):
        with pytest.raises(DomainError, match="votre propre compte"):
            services.user_set_admin_flags(actor=as_actor(admin_user), user=admin_user, is_superuser=False)
        admin_user.refresh_from_db()
        assert admin_user.is_superuser

    def test_a_member_cannot_become_platform_admin(self, admin_user, member):
        with pytest.raises(DomainError, match="aucune adhésion"):
            services.user_set_admin_flags(actor=as_actor(admin_user), user=member, is_platform_admin=True)
        member.refresh_from_db()
        assert not member.is_platform_admin

    def test_only_a_platform_admin_may(self, member):
        with pytest.raises(PermissionDeniedError):
            services.user_set_admin_flags(actor=as_actor(member), user=UserFactory(), is_staff=True)


@pytest.mark.django_db
class TestUserAdmin:
    """The account page of the Django admin: four flags, written by the services, refusals explained."""

    def change(self, client, user, **flags):
        data = {name: "on" for name, value in flags.items() if value}
        return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    def test_flags_go_through_the_services(self, client, admin_user):
        sign_in(client, admin_user)
        user = UserFactory()

        response = self.change(client, user, is_active=False, is_staff=True)

        assert response.status_code == 302
        user.refresh_from_db()
        assert not user.is_active and user.is_staff
        actions = set(
            AuditEntry.objects.filter(actor_user_id=admin_user.pk, subject_user_id=user.pk).values_list(
                "action", flat=True
            )
        )
        assert actions == {AuditAction.ACCOUNT_DEACTIVATED, AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED}

    def test_own_account_is_refused_with_the_input_kept(self, client, admin_user):
        sign_in(client, admin_user)

        response = self.change(client, admin_user, is_active=True, is_platform_admin=True, is_staff=True)

        html = response.content.decode()
        assert response.status_code == 200
        assert "Vous ne pouvez pas modifier les droits de votre propre compte" in html
        assert (
            'name="is_superuser"' in html and 'name="is_superuser" id="id_is_superuser" checked' not in html
        )
        admin_user.refresh_from_db()
        assert admin_user.is_superuser
        assert not AuditEntry.objects.filter(action=AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED).exists()

    def test_a_member_cannot_be_made_platform_admin(self, client, admin_user, member):
        sign_in(client, admin_user)

        response = self.change(client, member, is_active=True, is_platform_admin=True)

        assert response.status_code == 200
        assert "l&#x27;administration technique ne peut détenir aucune adhésion" in response.content.decode()
        member.refresh_from_db()
        assert not member.is_platform_admin

    def test_a_former_member_can(self, client, admin_user, territory):
        membership = MembershipFactory(territory=territory, is_active=False)
        sign_in(client, admin_user)
        assert self.change(client, membership.user, is_active=True, is_platform_admin=True).status_code == 302
        membership.user.refresh_from_db()
        assert membership.user.is_platform_admin
