"""Every coordinator's action that takes access away asks first and says who loses what (issue 10, item 7):
the first POST changes nothing and shows the consequences, the confirmed POST (`confirmed=1`) acts,
"Annuler" leads back, and whoever may not act still gets the same refusal as before."""

import re
from html import unescape

import pytest
from django.urls import reverse

from maillage.situations import services
from maillage.situations.models import Exclusion, Participation, Situation
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

NOT_COORDINATING = ["referent", "gendarme", "cidff", "org_admin", "observer", "dpo"]


def text(response) -> str:
    return unescape(response.content.decode())


def url(name, situation, *args):
    return reverse(f"situations:{name}", args=[situation.public_id, *args])


@pytest.fixture
def situation(net):
    situation = report_situation(
        net["gendarme"], commune=net.mouchamps, consent={"answer": "given", "organisations": [net.cidff]}
    )
    services.participant_add(
        actor=net.actor("coordinator"), situation=situation, organisation=net.cidff, legal_ground="consent"
    )
    return situation


def restricted(net, situation, *named):
    return services.situation_restrict(
        actor=net.actor("coordinator"),
        situation=situation,
        named_users=[net[name].user for name in named],
        reason="Victime agente de la commune",
    )


def assert_asks(response, situation, *expected):
    html = text(response)
    assert response.status_code == 200
    assert "Ce qui va changer" in html
    assert 'name="confirmed" value="1"' in html
    assert f'href="{url("coordination", situation)}">Annuler</a>' in html
    for words in expected:
        assert words in html


class TestRemovingAnOrganisation:
    def test_the_first_post_asks_and_names_who_loses_access(self, net, situation):
        response = net.client("coordinator").post(url("participant_remove", situation, net.cidff.public_id))
        assert_asks(
            response,
            situation,
            f"Retirer CIDFF de la Vendée de {situation.pseudonym}",
            str(net["cidff"].user),
            "Retirer cette organisation",
        )
        assert Participation.objects.filter(situation=situation, organisation=net.cidff).exists()
        assert net.client("cidff").get(url("detail", situation)).status_code == 200

    def test_the_confirmed_post_removes_it(self, net, situation):
        response = net.client("coordinator").post(
            url("participant_remove", situation, net.cidff.public_id), {"confirmed": "1"}, follow=True
        )
        assert "CIDFF de la Vendée ne suit plus la situation." in text(response)
        assert not Participation.objects.filter(situation=situation, organisation=net.cidff).exists()
        assert net.client("cidff").get(url("detail", situation)).status_code == 404

    @pytest.mark.parametrize("name", NOT_COORDINATING)
    def test_others_are_refused_confirmed_or_not(self, net, situation, name):
        for data in ({}, {"confirmed": "1"}):
            response = net.client(name).post(url("participant_remove", situation, net.cidff.public_id), data)
            assert response.status_code == 403
        assert Participation.objects.filter(situation=situation, organisation=net.cidff).exists()

    def test_a_get_is_refused(self, net, situation):
        response = net.client("coordinator").get(url("participant_remove", situation, net.cidff.public_id))
        assert response.status_code == 405


class TestLiftingARestriction:
    def test_the_first_post_asks_and_names_the_list_that_goes(self, net, situation):
        restricted(net, situation, "cidff")
        response = net.client("coordinator").post(url("unrestrict", situation))
        assert_asks(response, situation, "Lever la restriction de", str(net["cidff"].user))
        assert Situation.objects.get(pk=situation.pk).restricted

    def test_the_confirmed_post_lifts_it(self, net, situation):
        restricted(net, situation, "cidff")
        net.client("coordinator").post(url("unrestrict", situation), {"confirmed": "1"})
        assert not Situation.objects.get(pk=situation.pk).restricted
        assert net.client("gendarme").get(url("detail", situation)).status_code == 200

    @pytest.mark.parametrize("name", NOT_COORDINATING)
    def test_others_are_refused(self, net, situation, name):
        restricted(net, situation, "cidff")
        assert net.client(name).post(url("unrestrict", situation), {"confirmed": "1"}).status_code == 403
        assert Situation.objects.get(pk=situation.pk).restricted


class TestRestricting:
    def data(self, net, *named, **extra):
        return {
            "restrict-reason": "Victime agente de la commune",
            "restrict-named_users": [str(net[name].user.public_id) for name in named],
            **extra,
        }

    def test_the_first_post_asks_names_who_loses_access_and_keeps_the_choices(self, net, situation):
        response = net.client("coordinator").post(url("restrict", situation), self.data(net, "cidff"))
        assert_asks(
            response,
            situation,
            f"Restreindre l'accès à {situation.pseudonym}",
        )
        html = text(response)
        losing = re.search(r"Perdent l'accès : ([^<]*)", html).group(1)
        for name in ("gendarme", "gendarme_colleague", "referent"):
            assert str(net[name].user) in losing
        assert str(net["cidff"].user) not in losing and str(net["coordinator"].user) not in losing
        assert f'name="restrict-named_users" value="{net["cidff"].user.public_id}"' in html
        assert 'name="restrict-reason" value="Victime agente de la commune"' in html
        assert not Situation.objects.get(pk=situation.pk).restricted
        assert net.client("gendarme").get(url("detail", situation)).status_code == 200

    def test_the_confirmed_post_restricts(self, net, situation):
        net.client("coordinator").post(url("restrict", situation), self.data(net, "cidff", confirmed="1"))
        assert Situation.objects.get(pk=situation.pk).restricted
        assert net.client("gendarme").get(url("detail", situation)).status_code == 404

    def test_taking_a_name_off_the_list_asks_first(self, net, situation):
        restricted(net, situation, "cidff", "gendarme")
        client = net.client("coordinator")
        response = client.post(url("restrict", situation), self.data(net, "cidff"))
        assert_asks(
            response, situation, f"Ne pourront plus ouvrir {situation.pseudonym} : {net['gendarme'].user}"
        )
        assert net.client("gendarme").get(url("detail", situation)).status_code == 200
        client.post(url("restrict", situation), self.data(net, "cidff", confirmed="1"))
        assert net.client("gendarme").get(url("detail", situation)).status_code == 404

    def test_adding_a_name_takes_nothing_away_and_needs_no_confirmation(self, net, situation):
        restricted(net, situation, "cidff")
        response = net.client("coordinator").post(
            url("restrict", situation), self.data(net, "cidff", "gendarme")
        )
        assert response.status_code == 302
        assert net.client("gendarme").get(url("detail", situation)).status_code == 200

    @pytest.mark.parametrize("name", NOT_COORDINATING)
    def test_others_are_refused(self, net, situation, name):
        response = net.client(name).post(url("restrict", situation), self.data(net, confirmed="1"))
        assert response.status_code == 403
        assert not Situation.objects.get(pk=situation.pk).restricted


class TestExcluding:
    def data(self, net, **extra):
        return {
            "exclusion-user": str(net["gendarme"].user.public_id),
            "exclusion-reason": "Lien familial",
            **extra,
        }

    def test_the_first_post_asks(self, net, situation):
        response = net.client("coordinator").post(url("exclusion_add", situation), self.data(net))
        assert_asks(response, situation, f"Écarter {net['gendarme'].user} de {situation.pseudonym}")
        assert not Exclusion.objects.filter(situation=situation).exists()
        assert net.client("gendarme").get(url("detail", situation)).status_code == 200

    def test_the_confirmed_post_excludes(self, net, situation):
        net.client("coordinator").post(url("exclusion_add", situation), self.data(net, confirmed="1"))
        assert net.client("gendarme").get(url("detail", situation)).status_code == 404

    @pytest.mark.parametrize("name", NOT_COORDINATING)
    def test_others_are_refused(self, net, situation, name):
        response = net.client(name).post(url("exclusion_add", situation), self.data(net, confirmed="1"))
        assert response.status_code == 403
        assert not Exclusion.objects.filter(situation=situation).exists()


def test_a_coordinator_of_another_territory_gets_404_before_any_confirmation(net, situation):
    from django.test import Client

    from tests.helpers import sign_in
    from tests.network.factories import MembershipFactory

    other = MembershipFactory(roles=["coordinator"])
    client = sign_in(Client(), other.user, other)
    assert client.post(url("participant_remove", situation, net.cidff.public_id)).status_code == 404
    assert client.post(url("unrestrict", situation)).status_code == 404
