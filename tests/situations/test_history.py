"""A situation's history and its "who accessed it" page: who was set aside (conflict of interest) is shown to
the coordinator and the DPO only (policies.can_view_exclusions), never to the situation's other readers."""

from html import unescape

import pytest
from django.urls import reverse

from maillage.situations import policies, services
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

EXCLUDED_LABEL = "Personne écartée d'une situation (conflit d'intérêts)"
ENDED_LABEL = "Fin d'une mise à l'écart"


@pytest.fixture
def situation(net):
    """In Mouchamps, followed by the gendarmerie; a CIDFF professional was set aside, then let back, and
    the gendarme's colleague is set aside."""
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    coordinator = net.actor("coordinator")
    services.exclusion_add(
        actor=coordinator, situation=situation, user=net["cidff"].user, reason="Voisine de la victime"
    )
    services.exclusion_remove(actor=coordinator, situation=situation, user=net["cidff"].user)
    services.exclusion_add(
        actor=coordinator, situation=situation, user=net["gendarme_colleague"].user, reason="Lien familial"
    )
    return situation


def page(net, name, situation) -> str:
    response = net.client(name).get(reverse("situations:detail", args=[situation.public_id]))
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.mark.parametrize("name", ["referent", "gendarme"])
def test_readers_of_the_situation_do_not_learn_who_was_set_aside(net, situation, name):
    html = page(net, name, situation)
    assert "Historique des modifications" in html and "Situation signalée" in html
    for hidden in (
        EXCLUDED_LABEL,
        ENDED_LABEL,
        net["cidff"].user.email,
        net["gendarme_colleague"].user.email,
        net["cidff"].user.get_full_name(),
    ):
        assert hidden not in html, hidden


def test_the_coordinator_sees_them_in_the_history(net, situation):
    html = page(net, "coordinator", situation)
    history = html[html.index('id="historique"') :]
    assert EXCLUDED_LABEL in history and ENDED_LABEL in history
    # People are named (issue 10, item 9); their e-mail addresses stay in the audit trail only.
    cidff, colleague = net["cidff"].user, net["gendarme_colleague"].user
    assert f"{ENDED_LABEL}</td><td>{cidff.get_full_name()}</td>" in history
    assert f"{EXCLUDED_LABEL}</td><td>{colleague.get_full_name()}</td>" in history
    assert cidff.email not in history and colleague.email not in history
    assert str(net["coordinator"].user) in history and net["coordinator"].user.email not in history


def test_the_dpo_sees_them_on_the_accesses_page_without_the_situation(net, situation):
    client = net.client("dpo")
    assert client.get(reverse("situations:detail", args=[situation.public_id])).status_code == 403
    html = unescape(client.get(reverse("situations:accesses", args=[situation.public_id])).content.decode())
    assert f"{EXCLUDED_LABEL} : {net['gendarme_colleague'].user.get_full_name()}" in html
    assert f"{ENDED_LABEL} : {net['cidff'].user.get_full_name()}" in html
    assert f"<td>{net['coordinator'].user.get_full_name()}</td>" in html
    assert net["coordinator"].user.email not in html


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("coordinator", True),
        ("dpo", True),
        ("referent", False),
        ("gendarme", False),
        ("observer", False),
        ("housing_manager", False),
        ("org_admin", False),
    ],
)
def test_the_predicate(net, situation, name, allowed):
    assert policies.can_view_exclusions(net.actor(name), situation) is allowed


def test_not_for_the_coordinator_of_another_territory(net, situation):
    from tests.network.factories import MembershipFactory
    from tests.situations.factories import actor_of

    other = MembershipFactory(roles=["coordinator"])
    assert not policies.can_view_exclusions(actor_of(other), situation)
