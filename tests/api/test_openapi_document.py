"""The OpenAPI document is a promise to partners' tools: valid against the specification, and saying on every
operation how to authenticate, with which token scope and role, every error it may answer, and how lists are
paged (ADR 0047)."""

import pytest
from openapi_spec_validator import validate

from maillage.api.auth import operation_rules
from maillage.api.urls import api

ERRORS = {"400", "401", "403", "404", "422"}


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def operations(document):
    for path, by_method in document["paths"].items():
        for method, operation in by_method.items():
            yield method, path, operation


def test_the_document_is_valid_openapi(document):
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on the first violation of the specification


def test_every_operation_documents_every_error_in_the_one_error_schema(document):
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for method, path, operation in operations(document):
        expected = ERRORS if method == "get" else ERRORS | {"409"}
        answers = operation["responses"]
        assert expected <= set(answers), (method, path)
        assert all(answers[status]["content"] == error for status in expected), (method, path)
        assert all(status.startswith(("2", "4")) for status in answers), (method, path)
    error_schema = document["components"]["schemas"]["ErrorOut"]
    assert error_schema["required"] == ["detail"]
    assert set(error_schema["properties"]) == {"detail", "errors"}


def test_every_operation_states_its_scope_and_access_rule(document):
    rules = {
        f"{key.split(' ')[0].lower()} /api/v1{key.split(' ')[1].replace('uuidstr:', '')}": rule
        for key, rule in operation_rules(api).items()
    }
    seen = 0
    for method, path, operation in operations(document):
        scope = "read" if method == "get" else "write"
        assert operation["x-scope"] == scope
        assert operation["security"] == [{"BearerTokenAuth": [scope]}, {"SessionCookieAuth": []}]
        assert operation["x-access-rule"] == rules[f"{method} {path}"]
        assert ("« lecture » suffit" if scope == "read" else "« écriture » requise") in operation[
            "description"
        ]
        seen += 1
    assert seen == len(rules)
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "mlg_…",
        "description": schemes["BearerTokenAuth"]["description"],
    }
    assert schemes["SessionCookieAuth"]["in"] == "cookie"


def test_paged_lists_say_how_they_are_paged(document):
    paged = {
        (method, path): operation["x-pagination"]
        for method, path, operation in operations(document)
        if "x-pagination" in operation
    }
    assert paged[("get", "/api/v1/situations")] == "cursor"
    assert paged[("get", "/api/v1/communes")] == "limit-offset"
    for (method, path), kind in paged.items():
        operation = document["paths"][path][method]
        parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert parameters["limit"]["minimum"] == 1 and parameters["limit"]["maximum"] == 200
        if kind == "limit-offset":
            assert parameters["offset"] == {**parameters["offset"], "minimum": 0, "maximum": 1_000_000}
            page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert set(document["components"]["schemas"][page.rsplit("/", 1)[1]]["required"]) == {
                "items",
                "count",
            }
        else:
            assert parameters["cursor"]["anyOf"][0]["maxLength"] > 0
    assert len(paged) >= 10
