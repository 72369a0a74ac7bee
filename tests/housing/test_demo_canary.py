"""The demo refuge's canary (issue 12, item 1): on the demonstration (12 situations, its daily jobs run, their
e-mails sent, a break-the-glass access opened on the situation staying in the refuge, the refuge's address
revealed once by each of its readers), every demo member — the situation's participants, the
break-the-glass reader, the DPO, the observers — and the platform admin crawl every GET route of the
URLconf with the refuge, a town flat, the refuge's current and one ended stay, their requests and their
situations (and their own ids elsewhere), plus the detail API with `?address=true` and the reveal on both
units. The refuge's address (`REFUGE_DEMO_ADDRESS`) may show in no answer, e-mail, log record or audit
entry, except to its two kinds of readers (its housing managers, the territory's coordinators) on the two
reveal answers: the positive control, so the detector can fail.

Nothing here depends on how the demo writes its rows: the refuge is the secret unit, its stays and
readers are found by query, the readers checked against the policy."""

import io
import json
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Max, Q
from django.test import Client, TestCase, override_settings

from maillage.accounts.models import User
from maillage.audit.models import AuditEntry
from maillage.demo.housing import REFUGE_DEMO_ADDRESS
from maillage.demo.network import NETWORK_FILE
from maillage.housing import policies as unit_policies
from maillage.housing import stay_policies
from maillage.housing.enums import StayStatus
from maillage.housing.models import HousingUnit, Stay
from maillage.jobs import periodic
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.situations import policies as situation_policies
from maillage.situations.services import emergency_access_request
from tests.helpers import sign_in
from tests.housing import canary
from tests.housing.canary import Canary, Pools
from tests.queue import run_queued_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.whole_app]

CANARY = Canary(REFUGE_DEMO_ADDRESS)
REVEALED = "housing.address_revealed"
NETWORK = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
PLATFORM_ADMIN = NETWORK["platform_admin"]["email"]
# The least entitled (observers, a newcomer whose role awaits the coordinator) open 25 pages: below this, a
# crawl reached too little (every other answer is a refusal or a missing id).
MIN_OK = 20


def demo_members() -> list[tuple[str, str, str]]:
    """(e-mail, organisation, territory) of every membership the demo network file makes, invitations
    included; `test_every_demo_membership_is_crawled` checks the list against the database."""
    default = NETWORK["default_territory"]
    members = [
        (person["email"], membership["organisation"], membership.get("territory", default))
        for person in NETWORK["people"]
        for membership in person["memberships"]
    ]
    members += [
        (spec["email"], spec["organisation"], default) for spec in NETWORK.get("pending_requests", [])
    ]
    return members


MEMBERS = demo_members()
CRAWLERS = [*MEMBERS, (PLATFORM_ADMIN, None, None)]


def actor(membership: Membership) -> Actor:
    membership = Membership.objects.with_details().prefetch_related("referent_of").get(pk=membership.pk)
    return Actor.from_membership(membership.user, membership)


class DemoRefuge:
    """What the crawl needs, found by query: the refuge (the one secret unit), a town flat, the refuge's
    current stay and its latest ended one, their requests and situations, and who may read its address."""

    def __init__(self):
        self.refuge = HousingUnit.objects.get(secret=True)
        self.flat = HousingUnit.objects.filter(territory=self.refuge.territory, secret=False).earliest("pk")
        stays = Stay.objects.filter(unit=self.refuge).select_related("request", "situation")
        self.current = stays.get(status=StayStatus.IN_PROGRESS)
        self.ended = stays.filter(status=StayStatus.ENDED).latest("ends_on")
        self.stays = [self.current, self.ended]
        # From the data: the active housing managers of its organisation in its territory, and the
        # territory's coordinators (checked against the policy by a test).
        self.readers = set(
            Membership.objects.active()
            .filter(territory=self.refuge.territory)
            .filter(
                Q(organisation=self.refuge.organisation, role_set__role=Role.HOUSING_MANAGER)
                | Q(role_set__role=Role.COORDINATOR)
            )
            .values_list("pk", flat=True)
        )
        self.platform_admin = User.objects.get(email=PLATFORM_ADMIN)

    def break_glass(self) -> None:
        """An emergency access to the current stay's situation, by the first professional of the territory
        who has no access to it."""
        situation = self.current.situation
        candidates = (
            Membership.objects.active()
            .with_role(Role.PROFESSIONAL)
            .filter(territory=self.refuge.territory)
            .exclude(pk__in=self.readers)
            .order_by("pk")
        )
        self.breaker = next(
            m
            for m in candidates
            if situation_policies.can_break_glass(actor(m))
            and not situation_policies.can_open(actor(m), situation)
        )
        self.access = emergency_access_request(
            actor=actor(self.breaker),
            pseudonym=situation.pseudonym,
            reason="Appel de détresse cette nuit : il faut savoir où elle est hébergée",
        )

    def pools(self, membership: Membership | None) -> Pools:
        own = [membership] if membership else Membership.objects.filter(pk__in=self.readers).order_by("pk")
        return Pools(
            units=[self.refuge, self.flat],
            stays=self.stays,
            requests=[stay.request for stay in self.stays],
            situations=[stay.situation for stay in self.stays],
            accesses=[self.access],
            own=[i for m in own for i in (m, m.user, m.organisation, m.territory)],
        )


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def reveal(client: Client, unit) -> None:
    for response in (
        client.post(f"/hebergement/logements/{unit.public_id}/adresse/"),
        client.get(f"/api/v1/housing/units/{unit.public_id}?address=true"),
    ):
        assert response.status_code == 200 and CANARY.leaks(canary.response_text(response))


@pytest.fixture(scope="module")
def shared_demo(built_once, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("var")

    def build():
        mail.outbox.clear()
        recorder, root = Recorder(), logging.getLogger()
        level = root.level
        root.addHandler(recorder)
        root.setLevel(logging.DEBUG)
        try:
            with override_settings(VAR_DIR=var_dir, DEMO_MODE=True):
                call_command("load_demo", situations=12, stdout=io.StringIO())
                # The daily jobs (stays ending, measures…), then their e-mails.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    periodic.enqueue_due(whatever_the_hour=True)
                    run_queued_tasks()
                run_queued_tasks()
                demo = DemoRefuge()
                with TestCase.captureOnCommitCallbacks(execute=True):
                    demo.break_glass()
                with TestCase.captureOnCommitCallbacks(execute=True):
                    run_queued_tasks()  # the coordination's and the DPO's alerts
                # Its readers have read it: the audit pages, histories and alerts the others crawl say so.
                for membership in Membership.objects.filter(pk__in=demo.readers).select_related("user"):
                    reveal(sign_in(Client(), membership.user, membership), demo.refuge)
        finally:
            root.removeHandler(recorder)
            root.setLevel(level)
        demo.mail = list(mail.outbox)
        demo.records = recorder.records
        demo.last_sequence = AuditEntry.objects.aggregate(last=Max("sequence"))["last"]
        return demo

    with built_once(build) as demo:
        demo.var_dir = var_dir
        yield demo


@pytest.fixture
def demo(shared_demo, settings, caplog):
    settings.VAR_DIR = shared_demo.var_dir
    settings.DEMO_MODE = True
    caplog.set_level(logging.DEBUG)
    return shared_demo


def audit_rows(entries) -> str:
    return json.dumps(
        list(entries.values_list("action", "changes", "actor_label", "user_agent")), ensure_ascii=False
    )


@pytest.mark.parametrize(
    "email, organisation, territory",
    CRAWLERS,
    ids=[canary.plain("/".join(filter(None, c))) for c in CRAWLERS],
)
def test_nobody_but_its_readers_ever_reads_it(demo, caplog, email, organisation, territory):
    client = Client(raise_request_exception=False)
    if organisation is None:
        membership = None
        sign_in(client, demo.platform_admin)
    else:
        membership = Membership.objects.select_related("user", "organisation", "territory").get(
            user__email=email, organisation__name=organisation, territory__name=territory
        )
        sign_in(client, membership.user, membership)
    reader = membership is not None and membership.pk in demo.readers

    result = canary.crawl(
        CANARY,
        client,
        demo.pools(membership),
        units=[demo.refuge, demo.flat],
        platform_admin=membership is None,
        who=email,
    )

    refuge = demo.refuge.public_id
    expected = [
        f"GET /api/v1/housing/units/{refuge}?address=true → 200",
        f"POST /hebergement/logements/{refuge}/adresse/ → 200",
    ]
    assert result.found == (expected if reader else []), "\n".join(result.found)
    assert result.ok >= MIN_OK, result.ok
    # The crawl reached what the policy opens to this member: the refuge, its current stay, its situation.
    if membership is None:
        assert result.statuses["get", "/plateforme/"] == 200
    elif membership.is_active:
        who, situation = actor(membership), demo.current.situation
        opens = {
            f"/hebergement/logements/{refuge}/": unit_policies.units_visible_to(who).contains(demo.refuge),
            f"/hebergement/sejours/{demo.current.public_id}/": stay_policies.stays_visible_to(who).contains(
                demo.current
            ),
            f"/situations/{situation.public_id}/": situation_policies.can_open(who, situation),
        }
        assert {path: result.statuses["get", path] == 200 for path in opens} == opens

    # What the crawl wrote: no e-mail, log record or audit entry holds it; only its readers' reveals.
    assert not CANARY.in_mail(mail.outbox)
    assert caplog.records
    assert not CANARY.in_logs(caplog.records)
    written = AuditEntry.objects.filter(sequence__gt=demo.last_sequence)
    assert not CANARY.leaks(audit_rows(written))
    revealed = written.filter(action=REVEALED, object_public_id=refuge).values_list(
        "actor_membership_id", flat=True
    )
    assert list(revealed) == ([membership.pk] * 2 if reader else [])


def test_its_readers_are_its_housing_managers_and_the_coordinators(demo):
    refuge = demo.refuge
    assert refuge.address == REFUGE_DEMO_ADDRESS and refuge.commune is None
    by_policy = {m.pk for m in Membership.objects.active() if unit_policies.can_see_address(actor(m), refuge)}
    assert (
        demo.readers
        == by_policy
        == set(unit_policies.memberships_seeing_address(refuge).values_list("pk", flat=True))
    )
    readers = Membership.objects.filter(pk__in=demo.readers)
    assert readers.with_role(Role.HOUSING_MANAGER).exists() and readers.with_role(Role.COORDINATOR).exists()
    # Among the crawlers: the situation's participants, and a break-the-glass reader of it.
    situation = demo.current.situation
    others = Membership.objects.active().exclude(pk__in=demo.readers)
    assert any(situation_policies.participates(actor(m), situation) for m in others)
    assert demo.breaker.pk not in demo.readers and demo.access.situation == situation
    assert situation_policies.reads_through_emergency(actor(demo.breaker), situation)


def test_every_demo_membership_is_crawled(demo):
    crawled = set(Membership.objects.values_list("user__email", "organisation__name", "territory__name"))
    assert crawled == set(MEMBERS)
    assert len(MEMBERS) == len(set(MEMBERS))
    assert demo.platform_admin.is_platform_admin


def test_no_email_log_record_or_audit_entry_of_the_demo_holds_it(demo):
    """The demo's load, its daily jobs and their e-mails, the break-the-glass alerts and the readers'
    reveals."""
    assert demo.mail, "the reminders and the emergency access sent e-mails: they are checked"
    assert not CANARY.in_mail(demo.mail)
    assert demo.records
    assert not CANARY.in_logs(demo.records)
    assert not CANARY.leaks(audit_rows(AuditEntry.objects.all()))
    revealed = AuditEntry.objects.filter(action=REVEALED, object_public_id=demo.refuge.public_id)
    assert sorted(revealed.values_list("actor_membership_id", flat=True)) == sorted([*demo.readers] * 2)
