"""The refuge's canary (issue 12, ADR 0028): a refuge whose address exists nowhere else. For every role of
DOMAIN.md §2 — the situation's participants (the situation has a stay in the refuge: its request and stay
pages are crawled too), a break-the-glass reader, the DPO, the observer, the platform admin included —
every page and API route of the URLconf is fetched with the ids of both units, the stay and its request
(tests/housing/canary.py; and the detail API with `?address=true`), and the reveal is attempted: the
address may appear in no answer, e-mail, log record or audit change record. The positive control: its
housing manager and the coordinator do read it, on the two reveal answers and nowhere else, so the
detector can fail."""

import json
import logging

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.test import Client, TestCase

from maillage.audit.models import AuditEntry
from tests.accounts.factories import enrol_totp
from tests.helpers import sign_in
from tests.housing import canary
from tests.housing.canary import Canary, Pools, response_text
from tests.housing.worlds_units import ACTORS, READS_REFUGE_ADDRESS, REFUGE_ADDRESS, HousingWorld
from tests.queue import run_queued_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.whole_app]

CANARY = Canary(REFUGE_ADDRESS)
leaks = CANARY.leaks


def pools(world, member) -> Pools:
    own = [member] if member is not None else [world["housing_manager"], world["coordinator"]]
    return Pools(
        units=[world.refuge, world.flat],
        stays=[world.stay],
        requests=[world.stay_request],
        situations=[world.situation],
        accesses=[world.access],
        own=[i for m in own for i in (m, m.user, m.organisation, m.territory)],
    )


def crawl(world, name: str) -> canary.Crawl:
    """Every GET as `name`, the detail API with `?address=true`, and the reveal POST on both units: the
    answers that show the refuge's address, and each answer's status."""
    client = Client(raise_request_exception=False)
    if name == "platform_admin":
        member = None
        sign_in(client, world.platform_admin)
    else:
        member = world[name]
        sign_in(client, member.user, member)
    return canary.crawl(
        CANARY,
        client,
        pools(world, member),
        units=[world.refuge, world.flat],
        platform_admin=member is None,
        who=name,
    )


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
        result = crawl(world, name)
        found = result.found
        assert result.ok >= 4
        # The pools hold real ids: the refuge's page is crawled, and answers.
        assert result.statuses["get", f"/hebergement/logements/{refuge}/"] == 200, name
        assert found == [
            f"GET /api/v1/housing/units/{refuge}?address=true → 200",
            f"POST /hebergement/logements/{refuge}/adresse/ → 200",
        ], (name, found)
    assert CANARY.markers == ("glycines-canari", "glycines canari", "glycinescanari")
    assert leaks("7 IMPASSE DES GLYCINES-CANARI") and leaks("Glycines Canari")
    # Their reveals (page and API, `?address=true`) left no trace of it in the log records either.
    assert caplog.records
    assert not CANARY.in_logs(caplog.records)


def test_nobody_else_ever_reads_it(world, caplog):
    everything, reached = [], {}
    for name in ACTORS:
        if name in READS_REFUGE_ADDRESS:
            continue
        result = crawl(world, name)
        reached[name] = result.ok
        everything += [f"{name} {line}" for line in result.found]
        if name == "gendarme":  # the requester: the stay's page, and its situation's
            assert result.statuses["get", f"/hebergement/sejours/{world.stay.public_id}/"] == 200
        if name in ("gendarme", "break_glass"):
            assert result.statuses["get", f"/situations/{world.situation.public_id}/"] == 200, name
    assert not everything, "\n".join(everything)
    assert all(count >= 3 for count in reached.values()), reached

    assert mail.outbox, "the emergency access alerted the coordination: its e-mails are checked"
    assert not CANARY.in_mail(mail.outbox)

    assert caplog.records
    assert not CANARY.in_logs(caplog.records)


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
