"""Who may change whose roles (docs/decisions/0012-who-changes-roles.md), observed through the services and
pages: nobody changes their own roles or memberships; a grant of a role that opens nominative data waits for
the territory's coordinator; the territory-wide roles are the platform administrator's alone."""

from html import unescape

import pytest
from django.core import mail

from maillage.audit.models import AuditEntry
from maillage.errors import DomainError
from maillage.network import role_changes, services
from maillage.network.actor import Actor
from maillage.network.models import RoleChange, RoleChangeAlert
from tests.network.factories import MembershipFactory
from tests.network.worlds import Network, reload
from tests.situations.factories import actor_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def net(db):
    return Network()


def test_an_org_admin_grant_of_professional_to_a_colleague_waits_for_the_coordinator(
    net, django_capture_on_commit_callbacks
):
    client = net.client(net.gendarmerie_admin)
    observer = net.gendarmerie_observer
    url = f"/reseau/membres/{observer.public_id}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": observer.version, "roles": ["observer", "professional"]})
    assert response.status_code == 302
    assert reload(observer).roles == ["observer"]
    assert not net.reads_the_victim(observer)
    change = RoleChange.objects.get(membership=observer)
    assert (change.role, change.status, change.requested_by) == (
        "professional",
        "pending",
        net.gendarmerie_admin.user,
    )
    # The coordinators are told, by an e-mail that names nobody.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [net.coordinator.user.email, net.other_coordinator.user.email]
    )
    for message in mail.outbox:
        text = message.subject + message.body
        assert observer.user.last_name not in text and "Gendarmerie" not in text
        assert "/reseau/droits/" in message.body
    # The org admin's page says it waits.
    page = unescape(client.get("/reseau/membres/").content.decode())
    assert "En attente de la coordination : Intervention professionnelle" in page

    # The coordinator approves: the role takes effect, the DPO is alerted.
    mail.outbox.clear()
    coordinator = net.client(net.coordinator)
    assert "Approuver" in coordinator.get("/reseau/droits/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/reseau/droits/{change.public_id}/approuver/", follow=True)
    assert "a désormais le rôle Intervention professionnelle" in unescape(response.content.decode())
    assert reload(observer).roles == ["professional", "observer"]
    assert net.reads_the_victim(observer)
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", net.coordinator.user)
    assert list(RoleChangeAlert.objects.values_list("recipient", flat=True)) == [net.dpo.pk]
    assert [m.to for m in mail.outbox] == [[net.dpo.user.email]]
    assert observer.user.last_name not in mail.outbox[0].subject + mail.outbox[0].body
    actions = list(
        AuditEntry.objects.filter(object_public_id=change.public_id).values_list("action", flat=True)
    )
    assert sorted(actions) == ["role_change.approved", "role_change.requested"]


def test_a_coordinator_cannot_approve_their_own_request_nor_can_the_dpo(net):
    set_roles(actor_of(net.epci_admin), net.coordinator, ["professional"])
    change = RoleChange.objects.get(membership=net.coordinator)
    assert change.status == "pending"
    own = net.client(net.coordinator)
    page = own.get("/reseau/droits/").content.decode()
    assert "Cette demande vous concerne" in page
    own.post(f"/reseau/droits/{change.public_id}/approuver/")
    assert net.client(net.dpo).post(f"/reseau/droits/{change.public_id}/approuver/").status_code == 403
    change.refresh_from_db()
    assert change.status == "pending"
    net.client(net.other_coordinator).post(f"/reseau/droits/{change.public_id}/approuver/")
    change.refresh_from_db()
    assert change.status == "approved"


def test_refusing_needs_a_reason_and_keeps_what_was_typed(net):
    set_roles(actor_of(net.gendarmerie_admin), net.gendarmerie_observer, ["observer", "professional"])
    change = RoleChange.objects.get()
    client = net.client(net.coordinator)
    url = f"/reseau/droits/{change.public_id}/refuser/"
    response = client.post(url, {"comment": "Non"})
    html = unescape(response.content.decode())
    assert "Expliquez en une phrase" in html and "Non</textarea>" in html
    response = client.post(url, {"comment": "Pas de mission de suivi dans ce service."}, follow=True)
    change.refresh_from_db()
    assert (change.status, change.comment) == ("refused", "Pas de mission de suivi dans ce service.")
    assert reload(net.gendarmerie_observer).roles == ["observer"]
    # A second decision on the same request is refused clearly.
    assert client.post(f"/reseau/droits/{change.public_id}/approuver/").status_code == 404
    entry = AuditEntry.objects.get(action="role_change.refused")
    assert "Pas de mission" not in str(entry.changes)


def test_unticking_a_pending_role_withdraws_the_request(net):
    admin = actor_of(net.gendarmerie_admin)
    observer = net.gendarmerie_observer
    set_roles(admin, observer, ["observer", "professional"])
    set_roles(admin, observer, ["observer"])
    assert RoleChange.objects.get().status == "cancelled"


def test_reactivating_a_membership_asks_again_for_the_roles_that_open_situations(net):
    admin = actor_of(net.gendarmerie_admin)
    services.membership_set_active(actor=admin, membership=net.gendarme, active=False)
    gendarme = services.membership_set_active(actor=admin, membership=reload(net.gendarme), active=True)
    assert gendarme.requested_roles == ["professional"]
    assert reload(gendarme).roles == []
    assert not net.reads_the_victim(gendarme)


def test_territory_wide_changes_alert_the_coordinators_and_the_dpos(net, django_capture_on_commit_callbacks):
    newcomer = MembershipFactory(territory=net.territory, organisation=net.epci, roles=["observer"])
    admin = actor_of_platform(net)
    with django_capture_on_commit_callbacks(execute=True):
        set_roles(admin, newcomer, ["observer", "coordinator"])
    assert reload(newcomer).roles == ["coordinator", "observer"]
    recipients = set(RoleChangeAlert.objects.values_list("recipient", flat=True))
    assert recipients == {net.coordinator.pk, net.other_coordinator.pk, net.dpo.pk}
    assert {m.to[0] for m in mail.outbox} == {
        net.coordinator.user.email,
        net.other_coordinator.user.email,
        net.dpo.user.email,
    }
    # The DPO sees it as new once, then as read.
    dpo = net.client(net.dpo)
    assert "1 changement de droits à voir" in unescape(dpo.get("/").content.decode())
    assert "Nouveau" in dpo.get("/reseau/droits/").content.decode()
    assert "Nouveau" not in dpo.get("/reseau/droits/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_set_active(actor=admin, membership=reload(net.dpo), active=False)
    change = RoleChange.objects.get(action="deactivation")
    assert (change.role, change.status) == ("dpo", "applied")
    assert set(change.alerts.values_list("recipient", flat=True)) == {
        net.coordinator.pk,
        net.other_coordinator.pk,
        newcomer.pk,
    }


def set_roles(actor, membership, roles: list[str]):
    """What the membership form posts: these roles, the version just read, no other change."""
    membership = reload(membership)
    return services.membership_update(
        actor=actor,
        membership=membership,
        version=membership.version,
        roles=roles,
        job_title="",
        work_phone="",
    )


def actor_of_platform(net):
    return Actor(user=net.platform_admin, membership=None)


@pytest.mark.parametrize("role", ["referent", "professional", "org_admin", "housing_manager", "observer"])
def test_the_rights_page_is_for_the_coordinator_and_the_dpo(net, role):
    membership = MembershipFactory(territory=net.territory, organisation=net.epci, roles=[role])
    assert net.client(membership).get("/reseau/droits/").status_code == 403


@pytest.mark.parametrize("rows", [1, 15])
def test_rights_page_query_count(net, rows, django_assert_num_queries):
    admin = actor_of(net.gendarmerie_admin)
    for _ in range(rows):
        m = MembershipFactory(territory=net.territory, organisation=net.gendarmerie, roles=["observer"])
        set_roles(admin, m, ["observer", "professional"])
    client = net.client(net.coordinator)
    # session, user, actor (3), pending, count + page of history, unread alerts
    with django_assert_num_queries(9):
        assert client.get("/reseau/droits/").status_code == 200


def test_the_coordinator_approves_nothing_in_another_territory(net):
    elsewhere = MembershipFactory(roles=["observer"])
    change = role_changes.request_grant(actor_of_platform(net), elsewhere, "professional")
    assert (
        net.client(net.coordinator).post(f"/reseau/droits/{change.public_id}/approuver/").status_code == 404
    )
    with pytest.raises(DomainError):
        role_changes.role_change_approve(actor=actor_of(net.coordinator), change=change)


def test_an_account_switched_off_then_on_follows_the_same_rules(net):
    from maillage.network.accounts import user_set_active

    admin = actor_of_platform(net)
    user_set_active(actor=admin, user=net.coordinator.user, active=False)
    change = RoleChange.objects.get(membership=net.coordinator)
    assert (change.action, change.role, change.status) == ("deactivation", "coordinator", "applied")
    assert set(change.alerts.values_list("recipient", flat=True)) == {net.other_coordinator.pk, net.dpo.pk}

    user_set_active(actor=admin, user=net.gendarme.user, active=False)
    user_set_active(actor=admin, user=net.gendarme.user, active=True)
    assert reload(net.gendarme).roles == []
    assert RoleChange.objects.pending().get(membership=net.gendarme).role == "professional"
    assert not net.reads_the_victim(net.gendarme)


def test_an_organisation_switched_back_on_asks_again_for_its_members_access(net):
    admin = actor_of_platform(net)
    for active in (False, True):
        services.organisation_update(
            actor=admin, organisation=net.gendarmerie, read_at=None, is_active=active
        )
    assert reload(net.gendarme).roles == []
    assert reload(net.gendarmerie_admin).roles == ["org_admin"]
    assert RoleChange.objects.pending().get().membership == net.gendarme
