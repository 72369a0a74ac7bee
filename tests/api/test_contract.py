"""The API keeps the promise of its OpenAPI document under a fuzzer: schemathesis, in process through WSGI,
against the test database, as a read token, a write token and a browser session (ADR 0047).

Every phase: the document's examples, the coverage of each parameter's bounds and edges (missing, empty,
out of range, repeated, wrong types, unexpected methods, malformed paths), random fuzzing, and stateful
sequences (links inferred from the answers' identifiers). Each check of schemathesis applies: no server error,
every status and content type documented, every answer matching its schema, invalid data refused, valid
data not refused but for a documented domain refusal (400), credentials actually required."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from maillage.api.auth import operation_rules
from maillage.api.urls import api
from tests.api.contract import CONFIG, STATEFUL_SETTINGS, build_world, set_stand_in

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG)


@schema.auth(refresh_interval=None, retry_on=[])
class Callers:
    def get(self, case, context):
        return "stand-ins"

    def set(self, case, data, context):
        set_stand_in(case)


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(build_world) as world:
        yield world


@pytest.fixture
def identities(shared_world, db):
    # Django's WSGI handler closes the database connection when a request starts and ends
    # (`close_old_connections`), which would end the test's transaction; Django's test client disconnects it
    # the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield shared_world
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_fuzzer_sees_every_operation():
    # A schema that loaded no operation would make the parametrized test below pass without a single case.
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert len(operations) == len(operation_rules(api)) > 50


@schema.parametrize()
# The callers are only read; what the examples write stays in the test's transaction, rolled back after it.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_its_contract(case, identities):
    identities.resolve(case)
    case.call_and_validate()


def test_sequences_of_calls_keep_the_contract(identities):
    class Sequences(schema.as_state_machine()):
        # Each scenario starts from the same data: Hypothesis replays scenarios and expects the same answers.
        def setup(self):
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def before_call(self, case):
            identities.resolve(case)

    Sequences.run(settings=STATEFUL_SETTINGS)
