"""The API describes itself, and every operation declares who may call it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from ninja import NinjaAPI
from ninja.security import HttpBearer

from maillage.api.auth import member_auth, operation_rules, signed_in_auth
from maillage.api.urls import api
from maillage.web.access import access_rule_of

SITUATIONS_RULE = "member:coordinator|referent|professional"
HOUSING_RULE = "member:coordinator|housing_manager|referent|professional"
STAYS_RULE = "member:coordinator|referent|professional|housing_manager"
ACTION_PLAN_UPDATE_RULE = "member:coordinator|referent|professional|org_admin|housing_manager"
PREVENTION_WRITERS = "member:coordinator|referent|professional|org_admin|housing_manager"
STATISTICS_RULE = "member:coordinator|observer"
EXPECTED_RULES = {
    "GET /me": "signed_in",
    "GET /communes": "member",
    "GET /organisations": "member",
    "GET /directory": "member",
    "GET /situations": SITUATIONS_RULE,
    "POST /situations": SITUATIONS_RULE,
    "GET /situations/{uuidstr:public_id}": SITUATIONS_RULE,
    "POST /situations/{uuidstr:public_id}/notes": SITUATIONS_RULE,
    "GET /situations/{uuidstr:public_id}/tasks": SITUATIONS_RULE,
    "POST /situations/{uuidstr:public_id}/tasks": SITUATIONS_RULE,
    "GET /referrals": SITUATIONS_RULE,
    "POST /referrals": SITUATIONS_RULE,
    "GET /referrals/{uuidstr:public_id}": SITUATIONS_RULE,
    "POST /referrals/{uuidstr:public_id}/{action}": SITUATIONS_RULE,
    "GET /grids": SITUATIONS_RULE,
    "GET /assessments": SITUATIONS_RULE,
    "POST /assessments": SITUATIONS_RULE,
    "GET /situations/{uuidstr:public_id}/measures": SITUATIONS_RULE,
    "POST /situations/{uuidstr:public_id}/measures": SITUATIONS_RULE,
    "PUT /situations/{uuidstr:public_id}/measures/{uuidstr:measure_id}": SITUATIONS_RULE,
    "GET /housing/units": HOUSING_RULE,
    "POST /housing/units": "member:housing_manager",
    "GET /housing/units/{uuidstr:public_id}": HOUSING_RULE,
    "PUT /housing/units/{uuidstr:public_id}": "member:housing_manager",
    "GET /housing/availability": "member:housing_manager|coordinator|referent|professional",
    "GET /housing/requests": STAYS_RULE,
    "POST /housing/requests": STAYS_RULE,
    "GET /housing/requests/{uuidstr:public_id}": STAYS_RULE,
    "POST /housing/requests/{uuidstr:public_id}/{action}": STAYS_RULE,
    "GET /housing/stays": STAYS_RULE,
    "GET /housing/stays/{uuidstr:public_id}": STAYS_RULE,
    "POST /housing/stays/{uuidstr:public_id}/{action}": STAYS_RULE,
    "GET /meetings": SITUATIONS_RULE,
    "POST /meetings": "member:coordinator",
    "GET /meetings/{uuidstr:public_id}": SITUATIONS_RULE,
    "GET /meetings/{uuidstr:public_id}/minutes": SITUATIONS_RULE,
    "POST /meetings/{uuidstr:public_id}/{action}": "member:coordinator",
    "POST /meetings/{uuidstr:public_id}/items/{uuidstr:item_id}": "member:coordinator",
    "POST /meetings/{uuidstr:public_id}/items/{uuidstr:item_id}/decisions": "member:coordinator",
    "GET /action-plan/axes": "member",
    "GET /action-plan/actions": "member",
    "GET /action-plan/actions/{uuidstr:public_id}": "member",
    "POST /action-plan/actions/{uuidstr:public_id}/progress": ACTION_PLAN_UPDATE_RULE,
    "GET /prevention/events": "member",
    "POST /prevention/events": PREVENTION_WRITERS,
    "GET /prevention/events/{uuidstr:public_id}": "member",
    "GET /prevention/trainings": "member",
    "POST /prevention/trainings": PREVENTION_WRITERS,
    "GET /prevention/trainings/{uuidstr:public_id}": "member",
    "GET /statistics/years": STATISTICS_RULE,
    "GET /statistics/indicators": STATISTICS_RULE,
    "GET /statistics/indicators/{name}": STATISTICS_RULE,
}


def test_every_operation_declares_an_access_rule():
    rules = operation_rules(api)
    missing = sorted(operation for operation, rule in rules.items() if rule is None)
    assert not missing, f"API operations without an access rule: {missing}"
    assert rules == EXPECTED_RULES


def test_operation_rules_reports_operations_without_a_rule():
    class PlainBearer(HttpBearer):
        def authenticate(self, request, token):
            return token

    sample = NinjaAPI(urls_namespace="sample-api")
    sample.get("/open")(lambda request: {})
    sample.get("/plain", auth=PlainBearer())(lambda request: {})
    sample.get("/mixed", auth=[*member_auth(), PlainBearer()])(lambda request: {})
    sample.get("/declared", auth=signed_in_auth())(lambda request: {})
    sample.get("/coordination", auth=member_auth("coordinator", "dpo"))(lambda request: {})

    assert operation_rules(sample) == {
        "GET /open": None,
        "GET /plain": None,
        "GET /mixed": None,
        "GET /declared": "signed_in",
        "GET /coordination": "member:coordinator|dpo",
    }


def api_url_patterns():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "api/v1/":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the API is not mounted at /api/v1/")


def test_every_api_url_answers_for_itself_and_carries_its_rule():
    routes = {}
    for pattern in api_url_patterns():
        # LoginRequiredMiddleware must not redirect API calls to the sign-in page.
        assert getattr(pattern.callback, "login_required", True) is False, pattern
        routes[str(pattern.pattern)] = access_rule_of(pattern.callback)
    assert routes == {
        "openapi.json": "public",
        "me": "signed_in",
        "communes": "member",
        "organisations": "member",
        "directory": "member",
        "situations": SITUATIONS_RULE,
        "situations/<uuidstr:public_id>": SITUATIONS_RULE,
        "situations/<uuidstr:public_id>/notes": SITUATIONS_RULE,
        "situations/<uuidstr:public_id>/tasks": SITUATIONS_RULE,
        "referrals": SITUATIONS_RULE,
        "referrals/<uuidstr:public_id>": SITUATIONS_RULE,
        "referrals/<uuidstr:public_id>/<action>": SITUATIONS_RULE,
        "grids": SITUATIONS_RULE,
        "assessments": SITUATIONS_RULE,
        "situations/<uuidstr:public_id>/measures": SITUATIONS_RULE,
        "situations/<uuidstr:public_id>/measures/<uuidstr:measure_id>": SITUATIONS_RULE,
        "housing/units": f"GET {HOUSING_RULE},POST member:housing_manager",
        "housing/units/<uuidstr:public_id>": f"GET {HOUSING_RULE},PUT member:housing_manager",
        "housing/availability": "member:housing_manager|coordinator|referent|professional",
        "housing/requests": STAYS_RULE,
        "housing/requests/<uuidstr:public_id>": STAYS_RULE,
        "housing/requests/<uuidstr:public_id>/<action>": STAYS_RULE,
        "housing/stays": STAYS_RULE,
        "housing/stays/<uuidstr:public_id>": STAYS_RULE,
        "housing/stays/<uuidstr:public_id>/<action>": STAYS_RULE,
        "meetings": f"GET {SITUATIONS_RULE},POST member:coordinator",
        "meetings/<uuidstr:public_id>": SITUATIONS_RULE,
        "meetings/<uuidstr:public_id>/minutes": SITUATIONS_RULE,
        "meetings/<uuidstr:public_id>/<action>": "member:coordinator",
        "meetings/<uuidstr:public_id>/items/<uuidstr:item_id>": "member:coordinator",
        "meetings/<uuidstr:public_id>/items/<uuidstr:item_id>/decisions": "member:coordinator",
        "action-plan/axes": "member",
        "action-plan/actions": "member",
        "action-plan/actions/<uuidstr:public_id>": "member",
        "action-plan/actions/<uuidstr:public_id>/progress": ACTION_PLAN_UPDATE_RULE,
        "prevention/events": f"GET member,POST {PREVENTION_WRITERS}",
        "prevention/events/<uuidstr:public_id>": "member",
        "prevention/trainings": f"GET member,POST {PREVENTION_WRITERS}",
        "prevention/trainings/<uuidstr:public_id>": "member",
        "statistics/years": STATISTICS_RULE,
        "statistics/indicators": STATISTICS_RULE,
        "statistics/indicators/<name>": STATISTICS_RULE,
        "": "public",
    }


@pytest.mark.django_db
def test_openapi_document_lists_every_endpoint_and_the_bearer_scheme(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert set(document["paths"]) == {
        f"/api/v1{path.split(' ')[1]}".replace("uuidstr:", "") for path in EXPECTED_RULES
    }
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"]["type"] == "http"
    assert schemes["BearerTokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionCookieAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "maillage_session",
        "description": schemes["SessionCookieAuth"]["description"],
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            scope = "read" if method == "get" else "write"
            assert operation["security"] == [{"BearerTokenAuth": [scope]}, {"SessionCookieAuth": []}], path
            assert operation["x-scope"] == scope, (method, path)
            assert operation["summary"] and operation["description"], (method, path)
    organisations = document["paths"]["/api/v1/organisations"]["get"]
    assert {p["name"] for p in organisations["parameters"]} == {"kind", "limit", "offset"}


@pytest.mark.django_db
def test_no_swagger_page_only_the_openapi_document(client):
    # The bundled Swagger page is English-only and fails accessibility checks: the document is the reference.
    assert client.get("/api/v1/docs").status_code == 404


@pytest.mark.django_db
def test_unknown_api_address_is_not_a_redirect_to_sign_in(client):
    assert client.get("/api/v1/").status_code == 404
