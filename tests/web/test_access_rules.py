"""Every route declares who may call it; the technical administrator never reaches members' pages."""

import uuid

import pytest

from maillage.web.access import THIRD_PARTY_ROUTES, access_rule_of
from tests.accounts.factories import UserFactory
from tests.helpers import sign_in
from tests.urls import walk

KNOWN_RULES = {"public", "signed_in", "platform_admin", "member"}
# Public pages of the project itself: adding one is a deliberate act, reviewed here.
PUBLIC_ROUTES = {"healthz", "robots.txt", "aide/", "aide/<uuid:public_id>/"}


def module_of(callback) -> str:
    return getattr(callback, "func", callback).__module__


def project_routes():
    for route, callback in walk():
        third_party = next((p for p in THIRD_PARTY_ROUTES if route.startswith(p)), None)
        if third_party and module_of(callback).startswith(THIRD_PARTY_ROUTES[third_party][0]):
            continue
        yield route, callback


def as_path(route: str) -> str:
    """A concrete path for a route, with a random UUID for each object id (so: a missing object)."""
    import re

    return "/" + re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)


def test_every_project_route_declares_an_access_rule():
    undeclared = []
    for route, callback in project_routes():
        rule = access_rule_of(callback)
        if rule is None or rule.split(":")[0] not in KNOWN_RULES:
            undeclared.append(f"/{route} ({module_of(callback)})")
    assert not undeclared, "Routes without an access rule:\n" + "\n".join(undeclared)


def test_only_the_reviewed_routes_are_public():
    public = {route for route, callback in project_routes() if access_rule_of(callback) == "public"}
    assert public == PUBLIC_ROUTES


def test_every_third_party_route_comes_from_its_library():
    for route, callback in walk():
        for prefix, (modules, _why) in THIRD_PARTY_ROUTES.items():
            if route.startswith(prefix) and not module_of(callback).startswith(modules):
                assert access_rule_of(callback), f"/{route} lives under a library prefix without a rule"


def test_every_api_operation_declares_an_access_rule():
    from maillage.api.auth import operation_rules
    from maillage.api.urls import api

    rules = operation_rules(api)
    assert rules, "the API has no operation"
    assert all(rule and rule.split(":")[0] in KNOWN_RULES for rule in rules.values()), rules


MEMBER_ROUTES = [
    route
    for route, callback in project_routes()
    if (access_rule_of(callback) or "").startswith("member") and "<" not in route.replace("<uuid:", "")
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", MEMBER_ROUTES)
def test_platform_admin_is_refused_every_member_page(client, route):
    admin = UserFactory(platform_admin=True)
    sign_in(client, admin)
    response = client.get(as_path(route))
    assert response.status_code in (403, 404, 405), route
    if response.status_code == 405:  # POST-only action: refused too
        assert client.post(as_path(route)).status_code in (403, 404)


@pytest.mark.django_db
@pytest.mark.parametrize("route", MEMBER_ROUTES)
def test_anonymous_is_sent_to_sign_in_on_every_member_page(client, route):
    response = client.get(as_path(route))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [route for route, cb in project_routes() if access_rule_of(cb) == "platform_admin" and "<" not in route],
)
def test_members_are_refused_every_platform_page(member_client, route):
    client, _membership = member_client("coordinator", "org_admin", "dpo")
    assert client.get(as_path(route)).status_code == 403
