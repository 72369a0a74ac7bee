"""The refuge's canary (issue 12, ADR 0028): a refuge whose address exists nowhere else. For every role of
DOMAIN.md §2 — the situation's participants (the situation has a stay in the refuge: its request and stay
pages are crawled too), a break-the-glass reader, the DPO, the observer, the platform
admin included — every page and API route of the URLconf is fetched with every unit id (and the detail API
with `?address=true`), and the reveal is attempted: the address may appear in no answer, e-mail, log record
or audit change record. The positive control: its housing manager and the coordinator do read it, on the
two reveal answers and nowhere else, so the detector can fail."""

import html
import itertools
import json
import logging
import re
import unicodedata

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client, TestCase

from maillage.audit.models import AuditEntry
from maillage.web.access import THIRD_PARTY_ROUTES
from maillage.web.logs import JsonFormatter
from tests.accounts.factories import enrol_totp
from tests.helpers import sign_in
from tests.housing.worlds_units import ACTORS, READS_REFUGE_ADDRESS, HousingWorld
from tests.queue import run_queued_tasks
from tests.urls import walk

pytestmark = [pytest.mark.django_db, pytest.mark.whole_app]

MARKERS = ("glycines-canari", "glycines canari", "glycinescanari")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
FILLABLE = {"uuid", "uuidstr"}
SESSION_ENDING = ("accounts/logout/", "admin/logout/")
UNIT_ROUTES = ("hebergement/", "api/v1/housing/")


def leaks(text: str) -> bool:
    plain = unicodedata.normalize("NFKD", html.unescape(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    return any(marker in plain for marker in MARKERS)


def log_line(record) -> str:
    """The record as the server writes it (JSON, with every extra field) and as plain text."""
    return JsonFormatter().format(record) + logging.Formatter().format(record)


def response_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return " ".join(f"{k}: {v}" for k, v in response.headers.items()) + "\n" + text


def pool(world, route: str, member) -> list[str]:
    if route.startswith(UNIT_ROUTES):
        units = [world.refuge, world.flat, world.stay_request, world.stay]
        return [str(unit.public_id) for unit in units]
    if route.startswith(("situations/", "api/v1/situations", "evaluations/situations/")):
        return [str(world.situation.public_id)]
    own = [member] if member is not None else [world["housing_manager"], world["coordinator"]]
    ids = set()
    for m in own:
        ids |= {m.public_id, m.user.public_id, m.organisation.public_id, m.territory.public_id}
    return sorted(str(i) for i in ids)


def fill(route: str, values: tuple[str, ...]) -> str:
    filled = iter(values)
    return PARAM.sub(lambda _match: next(filled), route)


def paths(world, member):
    for route, _callback in walk():
        if route.startswith(SESSION_ENDING) or "^" in route:
            continue
        params = PARAM.findall(route)
        if route.startswith("admin/") and (member is not None or params):
            continue
        if any(kind not in FILLABLE for kind, _name in params):
            assert route.startswith(tuple(THIRD_PARTY_ROUTES)) or not route.startswith(UNIT_ROUTES), route
            continue
        pools = [pool(world, route, member) for _params in params]
        for values in itertools.product(*pools):
            yield route, "/" + fill(route, values)


def crawl(world, name: str) -> tuple[list[str], int]:
    """Every GET as `name`, the detail API with `?address=true`, and the reveal POST on both units: the
    answers that show the refuge's address, and how many answered 200."""
    client = Client(raise_request_exception=False)
    if name == "platform_admin":
        member = None
        sign_in(client, world.platform_admin)
    else:
        member = world[name]
        sign_in(client, member.user, member)
    found, ok = [], 0
    requests = [("get", path) for _route, path in paths(world, member)]
    for unit in (world.refuge, world.flat):
        requests += [
            ("get", f"/api/v1/housing/units/{unit.public_id}?address=true"),
            ("post", f"/hebergement/logements/{unit.public_id}/adresse/"),
        ]
    for method, path in requests:
        response = getattr(client, method)(path)
        ok += response.status_code == 200
        assert response.status_code < 500, (name, method, path)
        if leaks(response_text(response)):
            found.append(f"{method.upper()} {path} → {response.status_code}")
    return found, ok


@pytest.fixture(scope="module")
def shared_world(built_once):
    def build():
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            world = HousingWorld()
        with TestCase.captureOnCommitCallbacks(execute=True):
            run_queued_tasks()  # the alerts' e-mails
        for membership in world.memberships.values():
            RecoveryCodes.activate(membership.user)  # the account pages show them
        enrol_totp(world.platform_admin)
        RecoveryCodes.activate(world.platform_admin)
        world.mail = list(mail.outbox)
        return world

    with built_once(build) as world:
        yield world


@pytest.fixture
def world(shared_world, caplog):
    caplog.set_level(logging.DEBUG)
    mail.outbox.extend(shared_world.mail)
    return shared_world


def test_positive_control_its_keepers_read_it_on_the_reveal_answers_only(world, caplog):
    refuge = world.refuge.public_id
    for name in sorted(READS_REFUGE_ADDRESS):
        found, ok = crawl(world, name)
        assert ok >= 4
        assert found == [
            f"GET /api/v1/housing/units/{refuge}?address=true → 200",
            f"POST /hebergement/logements/{refuge}/adresse/ → 200",
        ], (name, found)
    assert leaks("7 IMPASSE DES GLYCINES-CANARI") and leaks("Glycines Canari")
    # Their reveals (page and API, `?address=true`) left no trace of it in the log records either.
    assert caplog.records
    for record in caplog.records:
        assert not leaks(log_line(record)), record.name


def test_nobody_else_ever_reads_it(world, caplog):
    everything, reached = [], {}
    for name in ACTORS:
        if name in READS_REFUGE_ADDRESS:
            continue
        found, reached[name] = crawl(world, name)
        everything += [f"{name} {line}" for line in found]
    assert not everything, "\n".join(everything)
    assert all(count >= 3 for count in reached.values()), reached

    assert mail.outbox, "the emergency access alerted the coordination: its e-mails are checked"
    for message in mail.outbox:
        content = " ".join([message.subject, message.body, *(a[0] for a in message.alternatives)])
        assert not leaks(content), message.subject

    assert caplog.records
    for record in caplog.records:
        assert not leaks(log_line(record)), record.name


def test_no_audit_change_record_holds_it(world):
    for name in sorted(READS_REFUGE_ADDRESS):
        crawl(world, name)
    entries = list(AuditEntry.objects.values_list("action", "changes", "actor_label", "user_agent"))
    # The refuge by both, the town hall's flat by the coordinator: twice each (page and API).
    assert sum(action == "housing.address_revealed" for action, *_rest in entries) == 6
    assert not leaks(json.dumps(entries, ensure_ascii=False))


def test_the_django_admin_holds_no_housing_model():
    """The admin's change page would show the decrypted address to the platform admin: no housing model is
    registered there (the crawl above reaches only its lists)."""
    from django.contrib import admin

    assert not [model for model in admin.site._registry if model._meta.app_label == "housing"]


def test_the_crawl_reaches_the_stay_and_its_request(world):
    """So that « nowhere » includes them: the refuge's keeper and the requester open both pages (200), which
    name the refuge, not its address."""
    from django.urls import reverse

    for name in ("housing_manager", "gendarme"):
        client = sign_in(Client(), world[name].user, world[name])
        for url in (
            reverse("housing_stays:request", args=[world.stay_request.public_id]),
            reverse("housing_stays:stay", args=[world.stay.public_id]),
        ):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
            text = response_text(response)
            assert "Refuge" in text and not leaks(text), (name, url)
