"""The migration that drops addresses attached to someone else's account (the takeover path of finding 2)."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from tests.accounts.factories import UserFactory

migration = importlib.import_module("maillage.accounts.migrations.0005_only_the_accounts_own_address")


@pytest.mark.django_db
def test_only_the_accounts_own_address_stays(capsys):
    victim = UserFactory(email="victime.compte@exemple.test")
    EmailAddress.objects.create(
        user=victim, email="technique.perso@exemple.test", verified=True, primary=False
    )
    other = UserFactory(email="Autre@Exemple.test")

    migration.keep_only_the_own_address(apps, None)

    assert list(EmailAddress.objects.filter(user=victim).values_list("email", "primary")) == [
        ("victime.compte@exemple.test", True)
    ]
    assert EmailAddress.objects.filter(user=other).count() == 1
    assert "1 adresse(s)" in capsys.readouterr().out
