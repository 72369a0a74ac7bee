"""Every event of issue 3 leaves its entry: sign-ins (real login flow), failures, second factors, passwords,
roles and memberships, referents, organisations, accounts, API tokens, territory imports."""

import pyotp
import pytest
from django.test import override_settings

from maillage.accounts import services as account_services
from maillage.audit.context import USER_AGENT_MAX_LENGTH
from maillage.audit.models import AuditEntry
from maillage.audit.services import console_actor
from maillage.audit.verify import verify_chain
from maillage.network import accounts as network_accounts
from maillage.network import services as network_services
from maillage.network.actor import Actor
from maillage.network.models import ApiToken, CommuneReferent
from maillage.territories.services import territory_import
from maillage.territories.territory_file import CommuneData, TerritoryData
from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory, enrol_totp
from tests.audit.helpers import entries_of
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def only(action: str) -> AuditEntry:
    found = entries_of(action)
    assert len(found) == 1, [e.action for e in AuditEntry.objects.all()]
    return found[0]


def as_actor(membership) -> Actor:
    return Actor.from_membership(membership.user, membership)


@pytest.fixture
def enrolled(territory):
    membership = MembershipFactory(territory=territory)
    enrol_totp(membership.user)
    return membership.user


class TestSignIn:
    def test_password_and_code_record_one_sign_in_with_ip_and_browser(self, client, enrolled):
        client.post(LOGIN, {"login": enrolled.email, "password": DEFAULT_PASSWORD}, HTTP_USER_AGENT=BROWSER)
        assert not entries_of("auth.login")  # the password alone does not sign in
        client.post(MFA, {"code": pyotp.TOTP(enrolled.totp_secret).now()}, HTTP_USER_AGENT=BROWSER)

        entry = only("auth.login")
        assert (entry.actor_user_id, entry.actor_label, entry.subject_user_id) == (
            enrolled.pk,
            enrolled.email,
            enrolled.pk,
        )
        assert entry.territory_id is None  # an account-level event
        assert (entry.ip, entry.user_agent) == ("127.0.0.1", BROWSER)

    def test_wrong_password_is_recorded_without_the_password(self, client, enrolled):
        client.post(LOGIN, {"login": enrolled.email.upper(), "password": "mauvais mot de passe"})
        entry = only("auth.login_failed")
        assert entry.actor_user_id is None and entry.actor_label == "anonyme"
        assert entry.subject_user_id == enrolled.pk
        assert entry.changes == {"login": enrolled.email}  # as allauth passes it on: lower-cased
        assert "mauvais" not in entry.canonical_content().decode()

    def test_unknown_login_is_recorded_without_an_account(self, client, db):
        client.post(LOGIN, {"login": "inconnue@exemple.test", "password": "peu importe"})
        entry = only("auth.login_failed")
        assert entry.subject_user_id is None
        assert entry.changes == {"login": "inconnue@exemple.test"}

    def test_wrong_password_when_confirming_it_is_recorded_as_the_signed_in_person(self, client, enrolled):
        sign_in(client, enrolled)
        response = client.post("/accounts/reauthenticate/", {"password": "mauvais mot de passe"})
        assert response.status_code == 200
        entry = only("auth.login_failed")
        assert (entry.actor_user_id, entry.subject_user_id) == (enrolled.pk, enrolled.pk)
        assert entry.changes == {"reauthentication": True}

    def test_wrong_second_factor_code_is_recorded(self, client, enrolled):
        client.post(LOGIN, {"login": enrolled.email, "password": DEFAULT_PASSWORD})
        right = pyotp.TOTP(enrolled.totp_secret).now()
        client.post(MFA, {"code": "000000" if right != "000000" else "111111"})
        entry = only("auth.mfa_failed")
        assert entry.subject_user_id == enrolled.pk and entry.changes["type"] == "totp"
        assert not entries_of("auth.login")

    def test_sign_out_is_recorded(self, client, enrolled):
        sign_in(client, enrolled)
        client.post("/accounts/logout/")
        assert only("auth.logout").subject_user_id == enrolled.pk

    @override_settings(MAILLAGE_TRUSTED_PROXY_COUNT=1)
    def test_behind_a_trusted_proxy_the_forwarded_address_is_kept(self, client, db):
        client.post(
            LOGIN,
            {"login": "x@exemple.test", "password": "x"},
            HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7",
            HTTP_USER_AGENT="A" * 1000,
        )
        entry = only("auth.login_failed")
        assert entry.ip == "198.51.100.7"  # the one our proxy saw; the left part is the client's claim
        assert entry.user_agent == "A" * USER_AGENT_MAX_LENGTH

    def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(self, client, db):
        client.post(LOGIN, {"login": "x@exemple.test", "password": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert only("auth.login_failed").ip == "127.0.0.1"


class TestSecurity:
    def test_enrolling_totp_records_it_and_the_recovery_codes(
        self, client, territory, django_capture_on_commit_callbacks
    ):
        user = MembershipFactory(territory=territory).user
        client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
        client.get("/accounts/2fa/totp/activate/")
        secret = client.session["mfa.totp.secret"]
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert only("mfa.totp_added").subject_user_id == user.pk
        assert only("mfa.recovery_codes_added").actor_user_id == user.pk

    def test_changing_the_password_is_recorded(self, client, enrolled):
        sign_in(client, enrolled)
        new = "Un tout nouveau mot de passe 2026"
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": DEFAULT_PASSWORD, "password1": new, "password2": new},
        )
        assert response.status_code == 302
        entry = only("auth.password_changed")
        assert entry.subject_user_id == enrolled.pk
        assert new not in entry.canonical_content().decode()


class TestNetwork:
    def test_role_change_records_roles_before_and_after(self, territory):
        admin = MembershipFactory(territory=territory, roles=["org_admin"])
        member = MembershipFactory(
            territory=territory, organisation=admin.organisation, roles=["professional"]
        )
        network_services.membership_update(
            actor=as_actor(admin),
            membership=member,
            version=member.version,
            roles=["professional", "observer"],
            job_title=member.job_title,
            work_phone="",
        )
        entry = only("membership.roles_changed")
        assert entry.changes["roles"] == [["professional"], ["observer", "professional"]]
        assert entry.changes["member"] == member.user.email
        assert (entry.object_public_id, entry.territory_id) == (member.public_id, territory.pk)
        assert entry.actor_membership_id == admin.pk

    def test_details_only_change_is_a_plain_update(self, territory):
        admin = MembershipFactory(territory=territory, roles=["org_admin"])
        member = MembershipFactory(territory=territory, organisation=admin.organisation)
        network_services.membership_update(
            actor=as_actor(admin),
            membership=member,
            version=member.version,
            roles=member.roles,
            job_title="Assistante sociale",
            work_phone="",
        )
        assert only("membership.updated").changes["job_title"] == [member.job_title, "Assistante sociale"]

    def test_deactivation_and_reactivation(self, territory):
        admin = MembershipFactory(territory=territory, roles=["org_admin"])
        member = MembershipFactory(territory=territory, organisation=admin.organisation)
        network_services.membership_set_active(actor=as_actor(admin), membership=member, active=False)
        network_services.membership_set_active(actor=as_actor(admin), membership=member, active=True)
        assert only("membership.deactivated").object_public_id == member.public_id
        assert only("membership.activated").object_public_id == member.public_id

    def test_invitation(self, territory):
        admin = MembershipFactory(territory=territory, roles=["org_admin"])
        membership = network_services.member_invite(
            actor=as_actor(admin),
            organisation=admin.organisation,
            territory=territory,
            email="Nouvelle@Exemple.test",
            first_name="Anne",
            last_name="Martin",
            roles=["professional"],
            notify=False,
        )
        entry = only("membership.invited")
        assert entry.object_public_id == membership.public_id
        assert entry.changes["member"] == "nouvelle@exemple.test"
        assert entry.changes["account_created"] is True
        # The role that opens situations is asked from the coordinator: the trail says so.
        assert entry.changes["roles"] == [] and entry.changes["requested"] == ["professional"]
        requested = only("role_change.requested")
        assert requested.changes["role"] == "professional"
        assert requested.changes["membership"] == str(membership.public_id)

    def test_referent_appointment_and_revocation(self, territory, commune):
        coordinator = MembershipFactory(territory=territory, roles=["coordinator"])
        member = MembershipFactory(territory=territory)
        referent = network_services.referent_appoint(
            actor=as_actor(coordinator), membership=member, commune=commune, kind="elected"
        )
        appointed = only("referent.appointed")
        assert appointed.object_type == "network.communereferent"
        assert appointed.changes["commune"] == commune.name
        assert appointed.changes["membership"] == str(member.public_id)
        public_id = referent.public_id
        network_services.referent_revoke(
            actor=as_actor(coordinator), referent=CommuneReferent.objects.get(public_id=public_id)
        )
        assert only("referent.revoked").object_public_id == public_id

    def test_organisation_creation_and_update(self, territory):
        actor = console_actor()
        organisation = network_services.organisation_create(
            actor=actor, name="CIDFF de la Vendée", kind="association", territories=[territory]
        )
        created = only("organisation.created")
        assert created.changes["territories"] == [territory.name]
        network_services.organisation_update(
            actor=actor, organisation=organisation, read_at=None, phone="02 51 11 22 33"
        )
        assert only("organisation.updated").changes == {"phone": ["", "02 51 11 22 33"]}

    def test_an_update_that_changes_nothing_records_nothing(self, territory):
        organisation = OrganisationFactory(territories=[territory])
        network_services.organisation_update(
            actor=console_actor(), organisation=organisation, read_at=None, phone=organisation.phone
        )
        assert not entries_of("organisation.updated")


class TestAccounts:
    def test_account_creation_and_deactivation_by_the_platform_admin(self, db):
        admin = UserFactory(platform_admin=True)
        actor = Actor(user=admin, membership=None)
        account = account_services.user_create(
            actor=actor, email="agent@exemple.test", first_name="A", last_name="B"
        )
        network_accounts.user_set_active(actor=actor, user=account, active=False)
        created, deactivated = only("account.created"), only("account.deactivated")
        assert created.subject_user_id == deactivated.subject_user_id == account.pk
        assert deactivated.actor_label == admin.email and deactivated.object_public_id == account.public_id

    def test_api_token_creation_and_revocation_never_record_the_key(self, member_client):
        client, membership = member_client("professional")
        secret = enrol_totp(membership.user)
        last_day = ApiToken.last_allowed_day()
        response = client.post(
            "/compte/jetons/",
            {
                "name": "Tableau de bord",
                "scope": "read",
                "expires_on": last_day.isoformat(),
                "code": pyotp.TOTP(secret).now(),
            },
        )
        html = response.content.decode()
        key = html[html.index('data-testid="new-token">') + len('data-testid="new-token">') :].split("<", 1)[
            0
        ]
        token = ApiToken.objects.get(user=membership.user)
        client.post(f"/compte/jetons/{token.public_id}/revoquer/")

        created, revoked = only("api_token.created"), only("api_token.revoked")
        assert created.object_public_id == revoked.object_public_id == token.public_id
        assert created.changes == {
            "name": "Tableau de bord",
            "scope": "read",
            "expires_at": ApiToken.end_of(last_day).isoformat(),
        }
        assert created.territory_id == membership.territory_id
        for entry in (created, revoked):
            assert key not in entry.canonical_content().decode()
            assert key[4:12] not in entry.canonical_content().decode()

    def test_territory_import_records_its_counts(self, db):
        data = TerritoryData(
            name="Pays des Herbiers",
            kind="epci",
            department_code="85",
            communes=(CommuneData(name="Mouchamps", postal_code="85640", population=2957, insee_code=""),),
        )
        territory, _, _ = territory_import(actor=console_actor(), data=data)
        entry = only("territory.imported")
        assert entry.actor_label == "console" and entry.actor_user_id is None
        assert entry.territory_id == territory.pk
        assert entry.changes == {"communes_created": 1, "communes_updated": 0}


def test_a_day_of_events_leaves_a_valid_chain(territory):
    coordinator = MembershipFactory(territory=territory, roles=["coordinator", "org_admin"])
    member = MembershipFactory(territory=territory, organisation=coordinator.organisation)
    network_services.referent_appoint(
        actor=as_actor(coordinator),
        membership=member,
        commune=CommuneFactory(territory=territory),
        kind="agent",
    )
    network_services.membership_set_active(actor=as_actor(coordinator), membership=member, active=False)
    result = verify_chain()
    assert result.ok and result.count >= 2
