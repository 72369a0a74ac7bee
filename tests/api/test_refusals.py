"""Refusals read from the OpenAPI document itself, so that a new operation is covered without editing this
file: a read token may not write, and nobody anonymous gets anything."""

import re
import uuid

import pytest

from maillage.api.auth import NOT_AUTHENTICATED_MESSAGE, READ_ONLY_SCOPE_MESSAGE, operation_rules
from maillage.api.urls import api
from tests.api.helpers import bearer, create_token
from tests.network.factories import MembershipFactory

PATH_PARAMETER = re.compile(r"\{(\w+)\}")


def documented_operations(client) -> list[tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    found = [
        (method.upper(), PATH_PARAMETER.sub(_a_value, path))
        for path, by_method in document["paths"].items()
        for method in by_method
    ]
    # Every operation of the API is in the document: none escapes these tests.
    assert len(found) == len(operation_rules(api)) > 50
    return found


def _a_value(parameter: re.Match) -> str:
    # An identifier nobody holds, or a word for the others (an action, an indicator's name).
    return str(uuid.uuid4()) if parameter.group(1).endswith("id") else "close"


def call(client, method: str, path: str, **headers):
    return client.generic(method, path, data="{}", content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_a_read_token_is_refused_on_every_write_operation(client, territory):
    # Every role, so that nothing but the token's scope may refuse the call.
    membership = MembershipFactory(
        territory=territory, roles=["coordinator", "housing_manager", "professional", "observer"]
    )
    _, key = create_token(membership, scope="read")
    writes = [(method, path) for method, path in documented_operations(client) if method != "GET"]
    assert len(writes) >= 20
    for method, path in writes:
        response = call(client, method, path, **bearer(key))
        assert response.status_code == 403, (method, path)
        assert response.json() == {"detail": READ_ONLY_SCOPE_MESSAGE}, (method, path)


@pytest.mark.django_db
def test_every_operation_refuses_an_anonymous_call(client):
    for method, path in documented_operations(client):
        response = call(client, method, path)
        assert response.status_code == 401, (method, path)
        assert response.json() == {"detail": NOT_AUTHENTICATED_MESSAGE}, (method, path)
        assert response["WWW-Authenticate"] == 'Bearer realm="Maillage"', (method, path)
