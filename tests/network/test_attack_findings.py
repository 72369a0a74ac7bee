"""Findings 1 and 3 of the November 2026 security test, replayed through the pages as the attacker did.
Each test failed on the code of that time (commit 60bbc39) and passes since docs/decisions/0012."""

from html import unescape

import pytest

from tests.network.worlds import Network, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(db):
    return Network()


def test_an_org_admin_cannot_give_themselves_the_professional_role(net):
    """Finding 1: the gendarmerie's admin ticked the professional role on their own membership, then read the
    victim's name on a situation the gendarmerie reported."""
    client = net.client(net.gendarmerie_admin)
    client.post(
        f"/reseau/membres/{net.gendarmerie_admin.public_id}/",
        {"version": net.gendarmerie_admin.version, "roles": ["org_admin", "professional"], "job_title": "X"},
    )
    assert reload(net.gendarmerie_admin).roles == ["org_admin"]
    assert client.get(f"/situations/{net.situation.public_id}/").status_code in (403, 404)
    assert not net.reads_the_victim(net.gendarmerie_admin)


def test_an_org_admin_cannot_open_situations_to_a_colleague_alone(net):
    """Finding 1: the same form gave the professional role to the organisation's observer (or DPO)."""
    observer = net.gendarmerie_observer
    response = net.client(net.gendarmerie_admin).post(
        f"/reseau/membres/{observer.public_id}/",
        {"version": observer.version, "roles": ["observer", "professional"]},
    )
    assert response.status_code == 302
    assert reload(observer).roles == ["observer"]
    assert not net.reads_the_victim(observer)


def test_an_org_admin_cannot_deactivate_the_coordinator_or_the_dpo(net):
    """Finding 3: the admin of the coordinator's organisation deactivated the coordinator and the DPO, which
    ended their sessions."""
    client = net.client(net.epci_admin)
    coordinator_session = net.client(net.coordinator)
    for target in (net.coordinator, net.dpo):
        client.post(f"/reseau/membres/{target.public_id}/desactiver/")
        assert reload(target).is_active
        # Nor by stripping their role.
        client.post(
            f"/reseau/membres/{target.public_id}/",
            {"version": reload(target).version, "roles": ["observer"], "confirm_removal": "True"},
        )
        assert set(reload(target).roles) & {"coordinator", "dpo"}
    assert coordinator_session.get("/").status_code == 200


def test_the_refusal_says_who_can_do_it(net):
    response = net.client(net.epci_admin).post(
        f"/reseau/membres/{net.coordinator.public_id}/desactiver/", follow=True
    )
    assert "relèvent de l'administration technique" in unescape(response.content.decode())
    members_page = net.client(net.epci_admin).get("/reseau/membres/").content.decode()
    assert "Accès géré par l'administration technique" in unescape(members_page)
