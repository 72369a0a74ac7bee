from html import unescape

import pytest
from django.core import mail

from maillage.network.models import Membership
from tests.network.factories import MembershipFactory

MEMBERS = "/reseau/membres/"
INVITE = "/reseau/membres/inviter/"


@pytest.fixture
def org_admin(member_client):
    return member_client("org_admin")


def invite_data(**overrides):
    data = {
        "email": "Nouvelle.Personne@exemple.fr",
        "first_name": "Nadia",
        "last_name": "Martin",
        "job_title": "Conseillère",
        "work_phone": "02 51 00 00 01",
        "roles": ["professional"],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestInvite:
    def test_org_admin_invites_a_member_who_gets_a_neutral_email(
        self, org_admin, django_capture_on_commit_callbacks
    ):
        client, admin_membership = org_admin
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(INVITE, invite_data())
        assert response.status_code == 302
        membership = Membership.objects.get(user__email="nouvelle.personne@exemple.fr")
        assert membership.organisation == admin_membership.organisation
        assert membership.territory == admin_membership.territory
        # The professional role opens situations: it waits for the coordinator's approval.
        assert membership.roles == []
        assert [(c.role, c.status) for c in membership.role_changes.all()] == [("professional", "pending")]
        assert not membership.user.has_usable_password()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert "/accounts/password/reset/key/" in message.body
        # No organisation, territory or role in the message (DOMAIN.md §4).
        assert admin_membership.organisation.name not in message.subject + message.body
        assert admin_membership.territory.name not in message.subject + message.body

    def test_bad_input_keeps_what_was_typed(self, org_admin):
        client, _ = org_admin
        response = client.post(INVITE, invite_data(email="pas-une-adresse", roles=[]))
        assert response.status_code == 200
        html = unescape(response.content.decode())
        assert "Saisissez une adresse de courriel valide." in html
        assert "Choisissez au moins un rôle." in html
        assert 'value="Nadia"' in html and 'value="Martin"' in html and 'value="Conseillère"' in html
        assert not Membership.objects.filter(user__first_name="Nadia").exists()

    def test_double_submission_creates_one_membership(self, org_admin):
        client, _ = org_admin
        client.post(INVITE, invite_data())
        response = client.post(INVITE, invite_data())
        assert response.status_code == 200
        assert "déjà membre" in unescape(response.content.decode())
        assert Membership.objects.filter(user__email="nouvelle.personne@exemple.fr").count() == 1

    @pytest.mark.parametrize("role", ["coordinator", "dpo", "referent", "platform_admin"])
    def test_org_admin_cannot_hand_out_territory_wide_roles(self, org_admin, role):
        client, _ = org_admin
        response = client.post(INVITE, invite_data(roles=[role]))
        assert response.status_code == 200
        assert not Membership.objects.filter(user__first_name="Nadia").exists()


@pytest.mark.django_db
class TestEditAndDeactivate:
    def test_change_roles_keeps_roles_the_org_admin_does_not_manage(self, org_admin, territory, commune):
        client, admin_membership = org_admin
        colleague = MembershipFactory(
            territory=territory,
            organisation=admin_membership.organisation,
            roles=["professional"],
            communes=[commune],
        )
        url = f"/reseau/membres/{colleague.public_id}/"
        response = client.post(
            url, {"version": colleague.version, "roles": ["org_admin", "professional"], "job_title": "Cheffe"}
        )
        assert response.status_code == 302
        colleague.refresh_from_db()
        assert colleague.roles == ["referent", "professional", "org_admin"]
        assert colleague.job_title == "Cheffe"

    def test_concurrent_edit_is_refused_and_nothing_is_lost(self, org_admin, territory):
        client, admin_membership = org_admin
        colleague = MembershipFactory(territory=territory, organisation=admin_membership.organisation)
        url = f"/reseau/membres/{colleague.public_id}/"
        stale_version = colleague.version
        confirmed = {"confirm_removal": "True"}
        client.post(url, {"version": stale_version, "roles": ["org_admin"], "job_title": "A", **confirmed})
        response = client.post(
            url, {"version": stale_version, "roles": ["observer"], "job_title": "B", **confirmed}
        )
        assert response.status_code == 200
        html = unescape(response.content.decode())
        assert "modifié par quelqu'un d'autre" in html
        assert 'value="B"' in html  # the second person's input is still on screen
        colleague.refresh_from_db()
        assert colleague.roles == ["org_admin"] and colleague.job_title == "A"

    def test_deactivate_then_reactivate(self, org_admin, territory):
        client, admin_membership = org_admin
        colleague = MembershipFactory(territory=territory, organisation=admin_membership.organisation)
        client.post(f"/reseau/membres/{colleague.public_id}/desactiver/")
        colleague.refresh_from_db()
        assert not colleague.is_active and colleague.deactivated_at
        client.post(f"/reseau/membres/{colleague.public_id}/reactiver/")
        colleague.refresh_from_db()
        assert colleague.is_active

    def test_cannot_deactivate_oneself(self, org_admin):
        client, admin_membership = org_admin
        response = client.post(f"/reseau/membres/{admin_membership.public_id}/desactiver/", follow=True)
        assert "propre accès" in unescape(response.content.decode())
        admin_membership.refresh_from_db()
        assert admin_membership.is_active

    def test_members_of_another_organisation_answer_404(self, org_admin, territory):
        client, _ = org_admin
        stranger = MembershipFactory(territory=territory)
        assert client.get(f"/reseau/membres/{stranger.public_id}/").status_code == 404
        assert client.post(f"/reseau/membres/{stranger.public_id}/desactiver/").status_code == 404
        stranger.refresh_from_db()
        assert stranger.is_active

    def test_same_organisation_other_territory_answers_404(self, org_admin):
        client, admin_membership = org_admin
        elsewhere = MembershipFactory(organisation=admin_membership.organisation)
        assert client.get(f"/reseau/membres/{elsewhere.public_id}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["coordinator", "referent", "professional", "housing_manager", "observer", "dpo"]
)
def test_other_roles_cannot_manage_members(member_client, role):
    client, membership = member_client(role)
    colleague = MembershipFactory(territory=membership.territory, organisation=membership.organisation)
    assert client.get(MEMBERS).status_code == 403
    assert client.post(INVITE, invite_data()).status_code == 403
    assert client.post(f"/reseau/membres/{colleague.public_id}/desactiver/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 20])
def test_members_page_query_count(org_admin, territory, rows, django_assert_num_queries):
    client, admin_membership = org_admin
    for _ in range(rows):
        MembershipFactory(territory=territory, organisation=admin_membership.organisation)
    # session, user, actor (3), count, page, roles, referents+communes, pending role requests
    with django_assert_num_queries(10):
        assert client.get(MEMBERS).status_code == 200


@pytest.mark.django_db
def test_an_empty_submission_shows_what_is_missing(org_admin):
    client, _ = org_admin
    response = client.post(INVITE, {})
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in unescape(response.content.decode())


@pytest.mark.django_db
def test_members_emails_can_be_tapped(org_admin, territory):
    client, membership = org_admin
    colleague = MembershipFactory(
        organisation=membership.organisation, territory=territory, user__email="collegue@exemple.fr"
    )
    html = client.get(MEMBERS).content.decode()
    assert f'<a href="mailto:{colleague.user.email}" class="contact-link">{colleague.user.email}</a>' in html
