"""Every situation page and API endpoint × every role × every kind of situation → the expected answer.

Built on the policy matrix (tests/situations/test_policy_matrix.py; its world and who sees which situation
are in tests/situations/worlds.py). Each route is declared below with how it is checked; a new route under
/situations/ or /api/v1/situations without an entry fails `test_every_situation_route_has_matrix_entries`."""

import copy
import uuid

import pytest

from maillage.api.auth import operation_rules
from maillage.api.urls import api
from maillage.situations.enums import PersonRole
from maillage.situations.models import Person, Situation, Task
from maillage.web.access import access_rule_of
from tests.helpers import sign_in
from tests.situations.worlds import ACTORS, EXPECTED, World
from tests.urls import walk

pytestmark = pytest.mark.whole_app

SEEING = {"coordinator", "referent", "professional"}

# kind: "list" (no object: allowed roles get 200), "object" (GET on each situation: 200 if seen, else 404),
# "object_action" (a form's action address: GET sends back to the coordination page when seen, else 404),
# "object_post" (POST-only action: whoever does not see the situation gets 403/404 and nothing changes),
# "dpo_object" (the DPO reaches any situation of the territory, audit trail only), or a reason naming the
# test that covers a route needing other objects (tasks, persons, notifications…).
PAGES = {
    "situations/": "list",
    "situations/signaler/": "list",
    "situations/signaler/confirmation/": "covered by test_pages.py::TestReport (needs a report in session)",
    "situations/acces-urgence/": "list",
    "situations/acces-urgence/examen/": "list",
    "situations/acces-urgence/<uuid:access_id>/examen/": "covered by test_break_glass.py (review)",
    "situations/notifications/": "former address of the alerts: redirects (test_notifications)",
    "situations/notifications/<uuid:public_id>/": "former address of an alert: redirects",
    "situations/<uuid:public_id>/": "object",
    "situations/<uuid:public_id>/modifier/": "object",
    "situations/<uuid:public_id>/suivi/ajouter/": "object",
    "situations/<uuid:public_id>/taches/ajouter/": "object",
    "situations/<uuid:public_id>/taches/<uuid:task_id>/terminer/": "object_post",
    "situations/<uuid:public_id>/personnes/ajouter/": "object",
    "situations/<uuid:public_id>/personnes/<uuid:person_id>/": "object",
    "situations/<uuid:public_id>/consentement/": "object",
    "situations/<uuid:public_id>/consultations/": "dpo_object",
    "situations/<uuid:public_id>/coordination/": "object",
    "situations/<uuid:public_id>/coordination/organisations/": "object_action",
    "situations/<uuid:public_id>/coordination/organisations/<uuid:organisation_id>/retirer/": "object_post",
    "situations/<uuid:public_id>/coordination/referent/": "object_action",
    "situations/<uuid:public_id>/coordination/restriction/": "object_action",
    "situations/<uuid:public_id>/coordination/restriction/lever/": "object_post",
    "situations/<uuid:public_id>/coordination/ecarter/": "object_action",
    "situations/<uuid:public_id>/coordination/ecarter/<uuid:user_id>/retirer/": "object_post",
    "situations/<uuid:public_id>/coordination/cloturer/": "object_action",
    "situations/<uuid:public_id>/coordination/rouvrir/": "object_post",
    # Protective measures (maillage.protection), under the situation's policy.
    "situations/<uuid:public_id>/mesures/": "object",
    "situations/<uuid:public_id>/mesures/ajouter/": "object",
    "situations/<uuid:public_id>/mesures/<uuid:measure_id>/": "covered by tests/protection/test_access.py",
}
API = {
    "GET /situations": "list",
    "POST /situations": "covered by test_api.py (create through the service)",
    "GET /situations/{uuidstr:public_id}": "object",
    "POST /situations/{uuidstr:public_id}/notes": "object_post",
    "GET /situations/{uuidstr:public_id}/tasks": "object",
    "POST /situations/{uuidstr:public_id}/tasks": "object_post",
    "GET /situations/{uuidstr:public_id}/measures": "object",
    "POST /situations/{uuidstr:public_id}/measures": "object_post",
    "PUT /situations/{uuidstr:public_id}/measures/{uuidstr:measure_id}": "tests/protection/test_access.py",
}


VALID_BODIES = {
    "POST /situations/{uuidstr:public_id}/measures": {
        "kind": "complaint",
        "authority": "gendarmerie",
        "status": "requested",
    },
    "POST /situations/{uuidstr:public_id}/notes": {
        "visibility": "participants",
        "body": "Appel de suivi.",
        "occurred_on": "2026-11-20",
    },
    "POST /situations/{uuidstr:public_id}/tasks": {
        "title": "Rappeler",
        "owner": str(uuid.uuid4()),
        "due_on": "2026-12-01",
    },
}


def situation_routes():
    return {route: access_rule_of(cb) for route, cb in walk() if route.startswith("situations/")}


def api_routes():
    return {op: rule for op, rule in operation_rules(api).items() if " /situations" in op}


def test_every_situation_route_has_matrix_entries():
    assert set(situation_routes()) == set(PAGES)
    assert set(api_routes()) == set(API)


def allowed_roles(rule: str) -> set[str]:
    kind, _, roles = rule.partition(":")
    assert kind == "member", rule
    return set(roles.split("|")) if roles else {"*"}


def holds(world, actor_name, roles: set[str]) -> bool:
    if actor_name == "platform_admin":
        return False
    return "*" in roles or bool(set(world.actor(actor_name).roles) & roles)


def world_with_persons_and_tasks() -> World:
    world = World()
    for situation in world.situations.values():
        Person.objects.create(
            situation=situation, role=PersonRole.VICTIM, first_name="Aline", last_name="Parnasse"
        )
        Task.objects.create(
            situation=situation,
            title="Rappeler",
            owner=situation.created_by,
            due_on="2026-12-01",
            created_by=situation.created_by,
        )
    return world


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(world_with_persons_and_tasks) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    """Built once for the module (tests/db.py); what a request writes (sessions, reads) is undone after each
    test."""
    return copy.deepcopy(shared_world)


def client_for(client, world, actor_name):
    if actor_name == "platform_admin":
        return sign_in(client, world.platform_admin)
    membership = world.memberships[actor_name]
    return sign_in(client, membership.user, membership)


def object_ids(situation: Situation) -> dict[str, str]:
    """The ids to put in a route for this situation, read once per test rather than once per route."""
    person = situation.persons.first()
    task = situation.tasks.first()
    participation = situation.participations.first()
    exclusion = situation.exclusions.first()
    return {
        "<uuid:public_id>": str(situation.public_id),
        "<uuid:person_id>": str(person.public_id),
        "<uuid:task_id>": str(task.public_id),
        "<uuid:organisation_id>": str(
            participation.organisation.public_id if participation else uuid.uuid4()
        ),
        "<uuid:user_id>": str(exclusion.user.public_id if exclusion else uuid.uuid4()),
    }


def page_path(route: str, replacements: dict[str, str]) -> str:
    path = route
    for placeholder, value in replacements.items():
        path = path.replace(placeholder, value)
    return "/" + path


def api_path(operation: str, situation: Situation) -> tuple[str, str]:
    method, _, path = operation.partition(" ")
    return method, "/api/v1" + path.replace("{uuidstr:public_id}", str(situation.public_id))


@pytest.mark.parametrize("actor_name", ACTORS)
def test_pages(client, world, actor_name):
    client = client_for(client, world, actor_name)
    rules = situation_routes()
    ids = {name: object_ids(situation) for name, situation in world.situations.items()}
    for route, kind in PAGES.items():
        roles = allowed_roles(rules[route])
        allowed = holds(world, actor_name, roles)
        if kind == "list":
            status = client.get("/" + route).status_code
            assert status == (200 if allowed else 403), (route, actor_name, status)
            continue
        for name, situation in world.situations.items():
            path = page_path(route, ids[name])
            seen = name in EXPECTED[actor_name]
            if kind in ("object", "object_action"):
                status = client.get(path).status_code
                if allowed and seen:
                    assert status in ((200, 302) if kind == "object_action" else (200,)), (
                        route,
                        actor_name,
                        name,
                    )
                else:
                    assert status == (404 if allowed else 403), (route, actor_name, name, status)
            elif kind == "dpo_object":
                actor_roles = set(world.actor(actor_name).roles) if actor_name != "platform_admin" else set()
                in_territory = situation.territory_id == world.territory.pk
                if not allowed:
                    expected = 403
                elif "dpo" in actor_roles and "coordinator" not in actor_roles:
                    expected = 200 if in_territory else 404
                else:
                    expected = 200 if seen else 404
                status = client.get(path).status_code
                assert status == expected, (route, actor_name, name, status)
            elif kind == "object_post" and not seen:
                before = Situation.objects.get(pk=situation.pk).version
                status = client.post(path).status_code
                assert status in (403, 404), (route, actor_name, name, status)
                assert Situation.objects.get(pk=situation.pk).version == before


@pytest.mark.parametrize("actor_name", ACTORS)
def test_api(client, world, actor_name):
    client = client_for(client, world, actor_name)
    rules = api_routes()
    for operation, kind in API.items():
        allowed = holds(world, actor_name, allowed_roles(rules[operation]))
        if kind == "list":
            method, path = api_path(operation, next(iter(world.situations.values())))
            status = client.get(path).status_code
            assert status == (200 if allowed else 403), (operation, actor_name, status)
            continue
        for name, situation in world.situations.items():
            method, path = api_path(operation, situation)
            seen = name in EXPECTED[actor_name]
            if kind == "object":
                status = client.get(path).status_code
                assert status == ((200 if seen else 404) if allowed else 403), (
                    operation,
                    actor_name,
                    name,
                    status,
                )
            elif kind == "object_post" and not seen:
                # A valid body, so that the answer comes from the look-up, not from validation.
                status = client.post(
                    path, VALID_BODIES[operation], content_type="application/json"
                ).status_code
                assert status in (403, 404), (operation, actor_name, name, status)
