"""Migration accounts 0003: tokens made before every token expired get an expiry; none stays eternal."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from maillage.network.models import ApiToken
from tests.api.helpers import create_token
from tests.network.factories import MembershipFactory, OrganisationFactory

BEFORE = [("accounts", "0002_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.mark.django_db(transaction=True)
def test_tokens_without_expiry_get_one_and_dormant_ones_expire(territory):
    active = MembershipFactory(territory=territory)
    dormant_membership = MembershipFactory(territory=territory, is_active=False)
    dormant_account = MembershipFactory(territory=territory, user__is_active=False)
    dormant_organisation = MembershipFactory(
        territory=territory, organisation=OrganisationFactory(territories=[territory], is_active=False)
    )
    tokens = {
        name: create_token(membership, name=name)[0]
        for name, membership in [
            ("recent", active),
            ("old", active),
            ("dated", active),
            ("membership", dormant_membership),
            ("account", dormant_account),
            ("organisation", dormant_organisation),
        ]
    }
    dated_expiry = tokens["dated"].expires_at
    now = timezone.now()

    old_apps = migrate(BEFORE)
    OldToken = old_apps.get_model("accounts", "ApiToken")
    OldToken.objects.exclude(pk=tokens["dated"].pk).update(expires_at=None)
    OldToken.objects.filter(pk=tokens["recent"].pk).update(created_at=now - timedelta(days=10))
    OldToken.objects.filter(pk=tokens["old"].pk).update(created_at=now - timedelta(days=200))
    migrate(None)

    after = {name: ApiToken.objects.get(pk=token.pk) for name, token in tokens.items()}
    assert after["recent"].expires_at == now - timedelta(days=10) + timedelta(days=90)
    assert after["old"].expires_at == now - timedelta(days=200) + timedelta(days=90)
    assert after["dated"].expires_at == dated_expiry
    assert after["recent"].is_usable and after["dated"].is_usable
    assert not after["old"].is_usable
    for name in ("membership", "account", "organisation"):
        assert after[name].expires_at <= timezone.now() and not after[name].is_usable, name
    assert not ApiToken._meta.get_field("expires_at").null
