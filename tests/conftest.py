import pytest
from django.core.cache import cache

from tests.accounts.factories import UserFactory
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
    return sign_in(client, UserFactory(platform_admin=True))
