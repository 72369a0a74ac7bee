import functools

import pytest
from django.core.cache import cache

from maillage.privacy import keys
from tests.accounts.factories import UserFactory
from tests.db import built_once as _built_once
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and used TOTP codes live in the cache: no test inherits another's.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def territory(db):
    return TerritoryFactory(name="Pays de Test")


@pytest.fixture
def commune(territory):
    return CommuneFactory(territory=territory, name="Mouchamps", postal_code="85640", population=2957)


@pytest.fixture
def member_client(client, territory):
    """`member_client(*roles, **membership_kwargs)` → (client signed in, membership)."""

    def make(*roles, **kwargs):
        kwargs.setdefault("territory", territory)
        membership = MembershipFactory(roles=list(roles) or ["professional"], **kwargs)
        return sign_in(client, membership.user, membership), membership

    return make


@pytest.fixture
def platform_client(client, db):
    """A client signed in as the technical administrator (no membership)."""
    return sign_in(client, UserFactory(platform_admin=True, first_name="Alex", last_name="Technique"))


@pytest.fixture(scope="session")
def _session_keys_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def built_once(django_db_setup, django_db_blocker, _session_keys_dir):
    """`with built_once(build) as built:` in a module- or class-scoped fixture: what build() makes is shared
    by the tests of that scope and rolled back after them; each test's own writes are undone (tests/db.py)."""
    return functools.partial(_built_once, django_db_blocker, _session_keys_dir)


@pytest.fixture(autouse=True)
def keys_dir(_session_keys_dir, settings, monkeypatch):
    """Encryption keys for every test, in a temporary directory (never var/keys nor the environment).

    tests/privacy overrides this fixture with fresh keys per test."""
    for name in keys.ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    settings.MAILLAGE_KEYS_DIR = _session_keys_dir
    keys.reload()
    keys.ensure_keys()
    yield _session_keys_dir
    keys.reload()
