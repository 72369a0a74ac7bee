import pytest
from django.core import mail
from django.urls import reverse

from maillage.accounts.models import User
from maillage.network.models import Membership
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import TerritoryFactory

MEMBER_ROLES = ["coordinator", "referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]


@pytest.fixture
def platform_admin_user(db):
    return UserFactory(
        platform_admin=True, email="admin@exemple.test", first_name="Alex", last_name="Technique"
    )


@pytest.fixture
def platform_client(client, platform_admin_user):
    return sign_in(client, platform_admin_user)


def detail_url(user) -> str:
    return reverse("accounts_platform:user_detail", args=[user.public_id])


# --- List ---------------------------------------------------------------------------------------------


def test_list_shows_activity_second_factor_and_memberships(platform_client):
    enrolled = UserFactory(first_name="Alice", last_name="Martin", with_totp=True)
    MembershipFactory(user=enrolled)
    MembershipFactory(user=enrolled, is_active=False)
    inactive = UserFactory(first_name="Bruno", last_name="Durand", is_active=False)

    response = platform_client.get(reverse("accounts_platform:user_list"))

    # Keyed by e-mail: the platform admin's random surname may be "Martin" too.
    rows = {
        u.email: (u.is_active, u.has_totp, u.active_membership_count)
        for u in response.context["page"].object_list
    }
    assert rows[enrolled.email] == (True, True, 1)
    assert rows[inactive.email] == (False, False, 0)
    html = response.content.decode()
    assert "Configurée" in html
    assert "Désactivé" in html


def test_search_by_name_or_email(platform_client):
    UserFactory(first_name="Alice", last_name="Martin", email="alice@cidff.test")
    UserFactory(first_name="Bruno", last_name="Durand", email="bruno@ccas.test")
    url = reverse("accounts_platform:user_list")

    def found(q):
        return [u.last_name for u in platform_client.get(url, {"q": q}).context["page"].object_list]

    assert found("martin") == ["Martin"]
    assert found("ccas") == ["Durand"]
    assert found("alice martin") == ["Martin"]
    assert found("personne") == []
    assert (
        "Aucun compte ne correspond à cette recherche."
        in platform_client.get(url, {"q": "zz"}).content.decode()
    )


def test_list_runs_a_fixed_number_of_queries(platform_client, django_assert_num_queries):
    def add_users(n):
        for _ in range(n):
            MembershipFactory(user=UserFactory(with_totp=True))

    add_users(2)
    url = reverse("accounts_platform:user_list")
    # session, user, memberships of the actor; count and page of accounts
    with django_assert_num_queries(5):
        platform_client.get(url, {"q": "exemple"})
    add_users(6)
    with django_assert_num_queries(5):
        response = platform_client.get(url, {"q": "exemple"})
    assert len(response.context["page"].object_list) == 9


def test_list_paginates_and_keeps_the_search(platform_client):
    UserFactory.create_batch(51)
    response = platform_client.get(reverse("accounts_platform:user_list"), {"q": "exemple"})
    assert "?q=exemple&amp;page=2" in response.content.decode()


# --- Creation -----------------------------------------------------------------------------------------


def test_create_an_account_sends_an_invitation(platform_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = platform_client.post(
            reverse("accounts_platform:user_create"),
            {"email": "Claire.Petit@Mairie.test", "first_name": "Claire", "last_name": "Petit"},
            follow=True,
        )
    user = User.objects.get(email="claire.petit@mairie.test")
    assert response.redirect_chain[-1][0] == detail_url(user)
    assert not user.has_usable_password()
    assert "une invitation a été envoyée à claire.petit@mairie.test" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["claire.petit@mairie.test"]]


def test_create_twice_shows_the_refusal(platform_client):
    data = {"email": "claire@mairie.test", "first_name": "Claire", "last_name": "Petit"}
    platform_client.post(reverse("accounts_platform:user_create"), data)
    response = platform_client.post(reverse("accounts_platform:user_create"), data)
    assert "Un compte existe déjà avec cette adresse électronique." in response.content.decode()
    assert User.objects.filter(email="claire@mairie.test").count() == 1


def test_create_needs_every_field(platform_client):
    response = platform_client.post(reverse("accounts_platform:user_create"), {"email": "pas-une-adresse"})
    html = response.content.decode()
    assert "Saisissez une adresse de courriel valide." in html
    # Each missing field twice: next to the field, and in the error summary with a link to it.
    assert html.count("Ce champ est obligatoire.") == 4
    for field in ("first_name", "last_name"):
        assert f'<a href="#id_{field}">' in html
        assert f'<ul class="errorlist" id="id_{field}_error"><li>Ce champ est obligatoire.</li></ul>' in html
    assert 'value="pas-une-adresse"' in html


# --- Detail and account actions -----------------------------------------------------------------------


def test_detail_lists_the_memberships(platform_client):
    membership = MembershipFactory(roles=["coordinator", "professional"], job_title="Coordinatrice CISPD")
    MembershipFactory(user=membership.user, is_active=False)

    response = platform_client.get(detail_url(membership.user))

    html = response.content.decode()
    assert membership.organisation.name in html
    assert membership.territory.name in html
    assert "Coordination, Intervention professionnelle" in html
    assert "Coordinatrice CISPD" in html
    assert "Désactivée" in html


def test_detail_of_an_unknown_account_is_404(platform_client):
    url = reverse("accounts_platform:user_detail", args=["5f0c9a4e-6c6a-4f5e-9f43-8b8f7f0f0f0f"])
    assert platform_client.get(url).status_code == 404


def test_deactivate_then_reactivate_an_account(platform_client):
    user = UserFactory()
    response = platform_client.post(
        reverse("accounts_platform:user_deactivate", args=[user.public_id]), follow=True
    )
    user.refresh_from_db()
    assert not user.is_active
    assert "est désactivé" in response.content.decode()

    platform_client.post(reverse("accounts_platform:user_reactivate", args=[user.public_id]))
    user.refresh_from_db()
    assert user.is_active


def test_own_account_cannot_be_deactivated(platform_client, platform_admin_user):
    response = platform_client.post(
        reverse("accounts_platform:user_deactivate", args=[platform_admin_user.public_id]), follow=True
    )
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.content.decode()
    platform_admin_user.refresh_from_db()
    assert platform_admin_user.is_active


def test_account_actions_change_nothing_on_get_and_deactivation_asks_first(platform_client):
    user = UserFactory()
    url = reverse("accounts_platform:user_resend_invitation", args=[user.public_id])
    assert platform_client.get(url).status_code == 405
    response = platform_client.get(reverse("accounts_platform:user_reactivate", args=[user.public_id]))
    assert response.status_code == 302
    # Removing every access of an account says what will change, and does nothing until confirmed.
    response = platform_client.get(reverse("accounts_platform:user_deactivate", args=[user.public_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ne pourra plus se connecter" in html and "jetons d&#x27;API sont révoqués" in html
    user.refresh_from_db()
    assert user.is_active
    assert mail.outbox == []


def test_resend_the_invitation(platform_client):
    user = UserFactory(email="claire@mairie.test")
    response = platform_client.post(
        reverse("accounts_platform:user_resend_invitation", args=[user.public_id]), follow=True
    )
    assert "L&#x27;invitation a été renvoyée à claire@mairie.test." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["claire@mairie.test"]]


def test_no_invitation_for_a_deactivated_account(platform_client):
    user = UserFactory(is_active=False)
    response = platform_client.post(
        reverse("accounts_platform:user_resend_invitation", args=[user.public_id]), follow=True
    )
    assert "réactivez-le avant de renvoyer l&#x27;invitation" in response.content.decode()
    assert mail.outbox == []


# --- Memberships --------------------------------------------------------------------------------------


def test_add_a_membership(platform_client, django_capture_on_commit_callbacks):
    user = UserFactory(email="claire@mairie.test")
    territory = TerritoryFactory(name="Pays des Herbiers")
    organisation = OrganisationFactory(name="Mairie des Herbiers", territories=[territory])
    url = reverse("accounts_platform:membership_add", args=[user.public_id])
    form = platform_client.get(url).context["form"]
    assert [value for value, _ in form.fields["roles"].choices] == [
        "coordinator",
        "professional",
        "org_admin",
        "housing_manager",
        "observer",
        "dpo",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = platform_client.post(
            url,
            {
                "organisation": str(organisation.public_id),
                "territory": str(territory.public_id),
                "roles": ["coordinator", "observer"],
                "job_title": "Coordinatrice CISPD",
                "work_phone": "02 51 00 00 01",
            },
            follow=True,
        )

    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.territory) == (organisation, territory)
    assert membership.roles == ["coordinator", "observer"]
    assert membership.job_title == "Coordinatrice CISPD"
    assert "est membre de Mairie des Herbiers sur Pays des Herbiers" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["claire@mairie.test"]]


def test_add_the_same_membership_twice_shows_the_refusal(platform_client):
    membership = MembershipFactory()
    data = {
        "organisation": str(membership.organisation.public_id),
        "territory": str(membership.territory.public_id),
        "roles": ["professional"],
    }
    response = platform_client.post(
        reverse("accounts_platform:membership_add", args=[membership.user.public_id]), data
    )
    assert (
        "Cette personne est déjà membre de l&#x27;organisation sur ce territoire."
        in response.content.decode()
    )
    assert Membership.objects.filter(user=membership.user).count() == 1


def test_add_a_membership_in_a_territory_the_organisation_does_not_serve(platform_client):
    user = UserFactory()
    herbiers, pouzauges = (
        TerritoryFactory(name="Pays des Herbiers"),
        TerritoryFactory(name="Pays de Pouzauges"),
    )
    organisation = OrganisationFactory(name="CCAS des Herbiers", territories=[herbiers])
    response = platform_client.post(
        reverse("accounts_platform:membership_add", args=[user.public_id]),
        {
            "organisation": str(organisation.public_id),
            "territory": str(pouzauges.public_id),
            "roles": ["professional"],
            "job_title": "Travailleuse sociale",
        },
    )
    html = response.content.decode()
    assert (
        "CCAS des Herbiers n&#x27;intervient pas sur ce territoire (ses territoires : Pays des Herbiers)."
        in html
    )
    assert 'value="Travailleuse sociale"' in html
    assert not Membership.objects.exists()


def test_the_referent_role_is_not_granted_here(platform_client):
    user = UserFactory()
    territory = TerritoryFactory()
    organisation = OrganisationFactory(territories=[territory])
    response = platform_client.post(
        reverse("accounts_platform:membership_add", args=[user.public_id]),
        {
            "organisation": str(organisation.public_id),
            "territory": str(territory.public_id),
            "roles": ["referent"],
        },
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Membership.objects.exists()


def test_edit_the_roles_of_a_membership_keeps_the_referent_role(platform_client, commune):
    membership = MembershipFactory(territory=commune.territory, roles=["professional"], communes=[commune])
    url = reverse("accounts_platform:membership_edit", args=[membership.public_id])
    response = platform_client.get(url)
    assert "Personne référente communale" in response.content.decode()

    data = {
        "version": membership.version,
        "roles": ["org_admin"],
        "job_title": "Directrice",
        "work_phone": "",
    }
    # Removing "professional" removes an access: the page first says so, and nothing changes yet.
    response = platform_client.post(url, data)
    assert "Vous retirez : Intervention professionnelle." in response.content.decode()
    membership.refresh_from_db()
    assert membership.roles == ["referent", "professional"]

    platform_client.post(url, {**data, "confirm_removal": "True"})

    membership.refresh_from_db()
    assert membership.roles == ["referent", "org_admin"]
    assert membership.job_title == "Directrice"


def test_edit_after_someone_else_shows_the_conflict_and_keeps_the_input(platform_client):
    membership = MembershipFactory(roles=["professional"])
    url = reverse("accounts_platform:membership_edit", args=[membership.public_id])
    stale = membership.version
    confirmed = {"confirm_removal": "True"}
    platform_client.post(url, {"version": stale, "roles": ["observer"], "job_title": "Premier", **confirmed})

    response = platform_client.post(
        url, {"version": stale, "roles": ["dpo"], "job_title": "Second", **confirmed}
    )

    html = response.content.decode()
    assert "Ce membre a été modifié par quelqu&#x27;un d&#x27;autre" in html
    assert 'value="Second"' in html
    membership.refresh_from_db()
    assert (membership.roles, membership.job_title) == (["observer"], "Premier")


def test_deactivate_then_reactivate_a_membership(platform_client):
    membership = MembershipFactory(roles=["professional", "observer"])
    url = reverse("accounts_platform:membership_deactivate", args=[membership.public_id])
    assert (
        "Ses jetons d&#x27;API liés à cette adhésion sont révoqués"
        in platform_client.get(url).content.decode()
    )
    membership.refresh_from_db()
    assert membership.is_active  # asking is not doing
    response = platform_client.post(url, follow=True)
    assert "est désactivé" in response.content.decode()
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.deactivated_at is not None

    # A second click changes nothing.
    platform_client.post(url)
    response = platform_client.post(
        reverse("accounts_platform:membership_reactivate", args=[membership.public_id]), follow=True
    )
    membership.refresh_from_db()
    assert membership.is_active
    # The role that opens situations comes back only when the coordinator approves it.
    assert membership.roles == ["observer"]
    assert membership.role_changes.get().status == "pending"
    assert (
        "Rôles en attente de l&#x27;approbation de la coordination : Intervention professionnelle"
        in response.content.decode()
    )


def test_a_deactivated_membership_ends_the_member_session_on_the_next_request(platform_client):
    from django.test import Client

    membership = MembershipFactory()
    member = sign_in(Client(), membership.user, membership)
    assert member.get(reverse("home")).status_code == 200

    platform_client.post(reverse("accounts_platform:membership_deactivate", args=[membership.public_id]))

    response = member.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")


# --- Refusals -----------------------------------------------------------------------------------------

ACCOUNT_PAGES = [
    ("get", "user_list", None),
    ("get", "user_create", None),
    ("post", "user_create", None),
    ("get", "user_detail", "user"),
    ("post", "user_deactivate", "user"),
    ("post", "user_reactivate", "user"),
    ("post", "user_resend_invitation", "user"),
    ("get", "membership_add", "user"),
    ("post", "membership_add", "user"),
    ("get", "membership_edit", "membership"),
    ("post", "membership_edit", "membership"),
    ("post", "membership_deactivate", "membership"),
    ("post", "membership_reactivate", "membership"),
]


@pytest.mark.parametrize("role", MEMBER_ROLES)
@pytest.mark.parametrize(("method", "url_name", "target"), ACCOUNT_PAGES)
def test_members_are_refused_every_account_page(member_client, role, method, url_name, target):
    client, own = member_client(role)
    colleague = MembershipFactory(
        organisation=own.organisation, territory=own.territory, roles=["professional"]
    )
    args = {None: [], "user": [colleague.user.public_id], "membership": [colleague.public_id]}[target]
    data = {
        "email": "intrus@exemple.test",
        "first_name": "I",
        "last_name": "N",
        "organisation": str(own.organisation.public_id),
        "territory": str(own.territory.public_id),
        "roles": ["org_admin"],
        "version": colleague.version,
    }

    response = getattr(client, method)(reverse(f"accounts_platform:{url_name}", args=args), data)

    assert response.status_code == 403
    colleague.refresh_from_db()
    colleague.user.refresh_from_db()
    assert colleague.is_active and colleague.user.is_active
    assert colleague.roles == ["professional"]
    assert not User.objects.filter(email="intrus@exemple.test").exists()
    assert mail.outbox == []
