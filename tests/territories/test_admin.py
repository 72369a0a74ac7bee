"""The Django admin registrations of territories, network and accounts: readable by the platform admin, and
read-only for domain objects (they change through services)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

READ_ONLY = [
    "territories_territory",
    "territories_commune",
    "network_organisation",
    "network_membership",
    "network_communereferent",
    "network_apitoken",
]


@pytest.fixture
def staff_client(client, db):
    return sign_in(client, UserFactory(platform_admin=True))


@pytest.fixture
def membership(commune):
    return MembershipFactory(territory=commune.territory, roles=["coordinator"], communes=[commune])


@pytest.mark.parametrize("model", [*READ_ONLY, "accounts_user"])
def test_every_model_is_listed_and_searchable(staff_client, membership, model):
    response = staff_client.get(reverse(f"admin:{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_domain_objects_cannot_be_added_in_the_admin(staff_client, membership, model):
    assert staff_client.get(reverse(f"admin:{model}_add")).status_code == 403


def test_a_membership_is_shown_read_only_with_its_roles(staff_client, membership):
    response = staff_client.get(reverse("admin:network_membership_changelist"))
    assert "Coordination, Personne référente communale" in response.content.decode()
    response = staff_client.post(
        reverse("admin:network_membership_change", args=[membership.pk]), {"job_title": "Changé"}
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.job_title != "Changé"


def test_members_cannot_open_the_admin(member_client):
    client, _ = member_client("coordinator")
    response = client.get(reverse("admin:territories_territory_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
