from html import unescape

import pytest

from maillage.network.models import CommuneReferent
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import CommuneFactory

REFERENTS = "/reseau/referents/"


@pytest.mark.django_db
def test_coordinator_appoints_and_revokes_a_referent(member_client, territory, commune):
    client, _ = member_client("coordinator")
    mayor_office = MembershipFactory(territory=territory, roles=["professional"])
    response = client.post(
        REFERENTS, {"commune": commune.public_id, "membership": mayor_office.public_id, "kind": "elected"}
    )
    assert response.status_code == 302
    mayor_office.refresh_from_db()
    assert "referent" in mayor_office.roles
    referent = CommuneReferent.objects.get(membership=mayor_office)
    assert referent.commune == commune

    html = unescape(client.get(REFERENTS).content.decode())
    assert mayor_office.user.get_full_name() in html

    client.post(f"/reseau/referents/{referent.public_id}/retirer/", {"confirmed": "1"})
    mayor_office.refresh_from_db()
    assert "referent" not in mayor_office.roles
    assert not CommuneReferent.objects.filter(membership=mayor_office).exists()


@pytest.mark.django_db
def test_referent_keeps_role_while_other_communes_remain(member_client, territory, commune):
    client, _ = member_client("coordinator")
    other = CommuneFactory(territory=territory)
    referent = MembershipFactory(territory=territory, communes=[commune, other])
    appointment = CommuneReferent.objects.get(membership=referent, commune=commune)
    client.post(f"/reseau/referents/{appointment.public_id}/retirer/", {"confirmed": "1"})
    referent.refresh_from_db()
    assert "referent" in referent.roles


@pytest.mark.django_db
def test_appointing_twice_says_so(member_client, territory, commune):
    client, _ = member_client("coordinator")
    member = MembershipFactory(territory=territory)
    data = {"commune": commune.public_id, "membership": member.public_id, "kind": "agent"}
    client.post(REFERENTS, data)
    response = client.post(REFERENTS, data)
    assert response.status_code == 200
    assert "déjà référente" in unescape(response.content.decode())
    assert CommuneReferent.objects.filter(membership=member).count() == 1


@pytest.mark.django_db
def test_communes_and_members_of_other_territories_cannot_be_chosen(member_client, territory):
    client, _ = member_client("coordinator")
    foreign_commune = CommuneFactory()
    foreign_member = MembershipFactory()
    local_member = MembershipFactory(territory=territory)
    response = client.post(
        REFERENTS,
        {"commune": foreign_commune.public_id, "membership": local_member.public_id, "kind": "agent"},
    )
    assert response.status_code == 200
    local_commune = CommuneFactory(territory=territory)
    response = client.post(
        REFERENTS,
        {"commune": local_commune.public_id, "membership": foreign_member.public_id, "kind": "agent"},
    )
    assert response.status_code == 200
    assert not CommuneReferent.objects.exists()


@pytest.mark.django_db
def test_coordinator_of_another_territory_gets_404_on_revoke(member_client, commune):
    client, _ = member_client("coordinator", territory=CommuneFactory().territory)
    referent = MembershipFactory(territory=commune.territory, communes=[commune])
    appointment = CommuneReferent.objects.get(membership=referent)
    for data in ({}, {"confirmed": "1"}):
        assert client.post(f"/reseau/referents/{appointment.public_id}/retirer/", data).status_code == 404
    assert CommuneReferent.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]
)
def test_only_the_coordinator_names_referents(member_client, territory, commune, role):
    client, _ = member_client(role)
    member = MembershipFactory(territory=territory)
    assert client.get(REFERENTS).status_code == 403
    data = {"commune": commune.public_id, "membership": member.public_id, "kind": "agent"}
    assert client.post(REFERENTS, data).status_code == 403
    assert not CommuneReferent.objects.exists()


@pytest.mark.django_db
class TestOrganisationContact:
    def url(self, organisation):
        return f"/reseau/organisations/{organisation.public_id}/coordonnees/"

    def form(self, organisation, **changes):
        data = {
            "read_at": organisation.updated_at.isoformat(),
            "phone": organisation.phone,
            "email": "",
            "address": "",
            "website": "",
            "opening_hours": "",
        }
        data.update(changes)
        return data

    def test_coordinator_keeps_any_partner_contact_of_the_territory(self, member_client, territory):
        client, _ = member_client("coordinator")
        partner = OrganisationFactory(territories=[territory])
        response = client.post(self.url(partner), self.form(partner, phone="02 51 99 99 99"))
        assert response.status_code == 302
        partner.refresh_from_db()
        assert partner.phone == "02 51 99 99 99"

    def test_org_admin_keeps_only_their_own(self, member_client, territory):
        client, membership = member_client("org_admin")
        own = membership.organisation
        other = OrganisationFactory(territories=[territory])
        assert client.post(self.url(own), self.form(own, phone="01")).status_code == 302
        assert client.get(self.url(other)).status_code == 404

    def test_stale_form_is_refused(self, member_client, territory):
        client, _ = member_client("coordinator")
        partner = OrganisationFactory(territories=[territory])
        stale = self.form(partner, phone="ancien")
        client.post(self.url(partner), self.form(partner, phone="premier"))
        response = client.post(self.url(partner), stale)
        assert response.status_code == 200
        assert "modifiée par quelqu'un d'autre" in unescape(response.content.decode())
        partner.refresh_from_db()
        assert partner.phone == "premier"

    def test_organisation_of_another_territory_answers_404(self, member_client):
        client, _ = member_client("coordinator")
        foreign = OrganisationFactory(territories=[CommuneFactory().territory])
        assert client.get(self.url(foreign)).status_code == 404

    @pytest.mark.parametrize("role", ["professional", "referent", "observer", "dpo", "housing_manager"])
    def test_other_roles_cannot_edit(self, member_client, role):
        client, membership = member_client(role)
        assert client.get(self.url(membership.organisation)).status_code == 403


@pytest.mark.django_db
def test_removing_a_referent_asks_first_and_says_what_changes(member_client, territory, commune):
    client, _ = member_client("coordinator")
    other = CommuneFactory(territory=territory)
    referent = MembershipFactory(territory=territory, communes=[commune, other])
    appointment = CommuneReferent.objects.get(membership=referent, commune=commune)
    response = client.post(f"/reseau/referents/{appointment.public_id}/retirer/")
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Retirer {referent.user} des référents de {commune.name}" in html
    assert f"Cette personne reste référente pour : {other.name}." in html
    assert 'name="confirmed" value="1"' in html and f'href="{REFERENTS}">Annuler</a>' in html
    assert CommuneReferent.objects.filter(pk=appointment.pk).exists()

    client.post(f"/reseau/referents/{appointment.public_id}/retirer/", {"confirmed": "1"})
    assert not CommuneReferent.objects.filter(pk=appointment.pk).exists()


@pytest.mark.django_db
def test_removing_the_last_commune_says_the_role_goes(member_client, territory, commune):
    client, _ = member_client("coordinator")
    referent = MembershipFactory(territory=territory, communes=[commune])
    appointment = CommuneReferent.objects.get(membership=referent)
    html = unescape(client.post(f"/reseau/referents/{appointment.public_id}/retirer/").content.decode())
    assert "n'est plus référente pour aucune commune : elle perd ce rôle" in html
    referent.refresh_from_db()
    assert "referent" in referent.roles


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]
)
def test_only_the_coordinator_removes_referents(member_client, territory, commune, role):
    client, _ = member_client(role)
    referent = MembershipFactory(territory=territory, communes=[commune])
    appointment = CommuneReferent.objects.get(membership=referent)
    for data in ({}, {"confirmed": "1"}):
        assert client.post(f"/reseau/referents/{appointment.public_id}/retirer/", data).status_code == 403
    assert client.get(f"/reseau/referents/{appointment.public_id}/retirer/").status_code in (403, 405)
    assert CommuneReferent.objects.filter(pk=appointment.pk).exists()
