"""The canary: a victim whose name and phone number exist nowhere else. For every role of DOMAIN.md §2
that has no right to her identity, every page and API endpoint of the URLconf is fetched, with every
object id of her situation; neither her name (any case, with or without accents) nor her phone (with or
without spaces) may appear in a response, an e-mail, a log record, the audit trail or a file written in
the keys directory.

The positive control — the coordinator does read her name on the situation page and through the API —
proves the detector finds what it looks for, so the test can fail."""

import copy
import html
import itertools
import json
import logging
import re
import unicodedata
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.apps import apps
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from maillage.audit.models import AuditEntry
from maillage.meetings import services as meeting_services
from maillage.meetings.models import GroupMember
from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from maillage.notifications.models import Notification
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    ContactChannel,
    NoteVisibility,
    PersonRole,
    Sex,
    TimelineKind,
)
from maillage.web.access import THIRD_PARTY_ROUTES
from tests.accounts.factories import UserFactory, enrol_totp
from tests.documents import readable_text
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import actor_of
from tests.territories.factories import CommuneFactory, TerritoryFactory
from tests.urls import walk

pytestmark = [pytest.mark.django_db, pytest.mark.whole_app]

FIRST_NAME, LAST_NAME, PHONE = "Zéphyrine", "Canarelli-Vasseur", "06 99 12 34 56"
NAME_MARKERS = ("zephyrine", "canarelli")
PHONE_DIGITS = ("0699123456", "33699123456")
# GET on these would end the session: the rest of the crawl would then see only the sign-in page.
SESSION_ENDING = ("accounts/logout/", "admin/logout/")
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
FILLABLE = {"uuid", "uuidstr"}
REVEAL = "?identites=1&identities=true"
REVEALING = {"situations/<uuid:public_id>/", "api/v1/situations/<uuidstr:public_id>"}
# Routes allowed to crash during the crawl: none. (The crawl found two, both fixed: allauth's security-key
# list needed django.contrib.humanize; the admin's URLField needed `assume_scheme`.)
KNOWN_CRASHES: set[str] = set()
# Roles without the right to the canary's identity (DOMAIN.md §2 and §4).
WITHOUT_RIGHT = [
    "professional_other_organisation",
    "referent_other_commune",
    "observer",
    "dpo",
    "housing_manager",
    "org_admin",
    "platform_admin",
    "coordinator_other_territory",
    "gendarme_other_territory",
    "excluded",
    "emergency_access_expired",
]


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", html.unescape(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def leaks(text: str) -> list[str]:
    """What of the canary's identity the text shows: her names (any case, accents or not), her phone."""
    plain = normalise(text)
    found = [marker for marker in NAME_MARKERS if marker in plain]
    digits = re.sub(r"[\s.\-()]", "", plain)
    if any(d in digits for d in PHONE_DIGITS):
        found.append("phone")
    return found


def response_text(response) -> str:
    """JSON as its clients read it, a PDF's extracted text (tests/documents.py)."""
    return readable_text(response)


def enrolled(user):
    """Everyone signs in with a second factor and holds recovery codes (the account pages show them)."""
    enrol_totp(user)
    RecoveryCodes.activate(user)
    return user


class World:
    """Two territories; the canary situation in Les Herbiers, reported by the gendarmerie, followed by the
    CIDFF, with notes at every level, tasks, alerts, an exclusion and an emergency access that expires."""

    def __init__(self):
        self.territory = TerritoryFactory(name="Pays des Herbiers")
        self.elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        herbiers = CommuneFactory(territory=self.territory, name="Les Herbiers", postal_code="85500")
        mouchamps = CommuneFactory(territory=self.territory, name="Mouchamps", postal_code="85640")
        pouzauges = CommuneFactory(territory=self.elsewhere, name="Pouzauges", postal_code="85700")
        t = [self.territory]
        gendarmerie = OrganisationFactory(
            name="Gendarmerie", kind=OrganisationKind.LAW_ENFORCEMENT, territories=[*t, self.elsewhere]
        )
        cidff = OrganisationFactory(name="CIDFF", kind=OrganisationKind.ASSOCIATION, territories=t)
        hospital = OrganisationFactory(name="Hôpital", kind=OrganisationKind.HEALTH, territories=t)
        ccas = OrganisationFactory(name="CCAS", kind=OrganisationKind.SOCIAL, territories=t)
        epci = OrganisationFactory(
            name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=t
        )

        def member(organisation, roles, territory=self.territory, **kwargs):
            membership = MembershipFactory(
                territory=territory, organisation=organisation, roles=roles, **kwargs
            )
            enrolled(membership.user)
            return membership

        self.members = {
            "coordinator": member(epci, ["coordinator"]),
            "referent": member(epci, ["referent"], communes=[herbiers]),
            "gendarme": member(gendarmerie, ["professional"]),
            "cidff": member(cidff, ["professional"]),
            "professional_other_organisation": member(hospital, ["professional"]),
            "referent_other_commune": member(epci, ["referent"], communes=[mouchamps]),
            "observer": member(epci, ["observer"]),
            "dpo": member(epci, ["dpo"]),
            "housing_manager": member(ccas, ["housing_manager"]),
            "org_admin": member(gendarmerie, ["org_admin"]),
            "coordinator_other_territory": member(
                OrganisationFactory(territories=[self.elsewhere]), ["coordinator"], territory=self.elsewhere
            ),
            "gendarme_other_territory": member(gendarmerie, ["professional"], territory=self.elsewhere),
            "excluded": member(gendarmerie, ["professional"]),
            "emergency_access_expired": member(ccas, ["professional"]),
        }
        MembershipFactory(territory=self.elsewhere, communes=[pouzauges], roles=["referent"])
        self.platform_admin = enrolled(UserFactory(platform_admin=True))
        self.build(herbiers, cidff)

    def actor(self, name):
        return actor_of(self.members[name])

    def build(self, herbiers, cidff) -> None:
        coordinator, gendarme = self.actor("coordinator"), self.actor("gendarme")
        situation = services.situation_report(
            actor=gendarme,
            commune=herbiers,
            detected_on=timezone.localdate() - timedelta(days=2),
            sources=["law_enforcement", "iscg"],
            violence_types=["physical", "children_exposed"],
            urgent=True,
            persons=[
                {
                    "role": PersonRole.VICTIM,
                    "sex": Sex.FEMALE,
                    "first_name": FIRST_NAME,
                    "last_name": LAST_NAME,
                    "birth_name": LAST_NAME,
                    "phone": PHONE,
                    "email": "zephyrine.canarelli@courriel.invalid",
                    "address": "12 rue des Tisserands, 85500 Les Herbiers",
                },
                {"role": PersonRole.CHILD, "first_name": "Alix", "last_name": LAST_NAME, "age": 9},
                {
                    "role": PersonRole.PERPETRATOR,
                    "sex": Sex.MALE,
                    "first_name": "Erwan",
                    "last_name": "Brethomé",
                },
            ],
            consent={"answer": ConsentAnswer.GIVEN, "organisations": [cidff]},
            safe_contacts=[
                {
                    "channel": ContactChannel.SMS,
                    "allowed": True,
                    "safe_hours": "9 h – 12 h",
                    "code_word": "Hortensia",
                },
                {"channel": ContactChannel.PHONE, "allowed": False, "safe_hours": "", "code_word": ""},
            ],
        )
        services.referent_assign(actor=coordinator, situation=situation, membership=self.members["referent"])
        services.participant_add(actor=coordinator, situation=situation, organisation=cidff)
        for author, visibility in [
            (gendarme, NoteVisibility.PARTICIPANTS),
            (gendarme, NoteVisibility.ORGANISATION),
            (self.actor("referent"), NoteVisibility.COORDINATION),
            (self.actor("cidff"), NoteVisibility.PARTICIPANTS),
        ]:
            services.timeline_add(
                actor=author,
                situation=situation,
                kind=TimelineKind.NOTE,
                visibility=visibility,
                body="Suivi en cours.",
            )
        services.timeline_add(
            actor=self.actor("cidff"),
            situation=situation,
            kind=TimelineKind.CONTACT,
            channel=ContactChannel.SMS,
            visibility=NoteVisibility.PARTICIPANTS,
            body="Message convenu envoyé.",
        )
        task = services.task_add(
            actor=coordinator,
            situation=situation,
            title="Faire le point",
            owner=self.members["cidff"],
            due_on=timezone.localdate() - timedelta(days=1),
        )
        services.task_add(
            actor=coordinator,
            situation=situation,
            title="Proposer un rendez-vous",
            owner=self.members["gendarme"],
            due_on=timezone.localdate() + timedelta(days=7),
        )
        services.task_done(actor=self.actor("cidff"), task=task)
        services.exclusion_add(
            actor=coordinator,
            situation=situation,
            user=self.members["excluded"].user,
            reason="Voisin de la famille",
        )
        self.access = services.emergency_access_request(
            actor=self.actor("emergency_access_expired"),
            pseudonym=situation.pseudonym,
            reason="La victime appelle le CCAS en détresse, personne d'autre n'est joignable.",
        )
        services.situation_view_record(actor=coordinator, situation=situation, identities=True)
        self.situation = situation
        self.hold_a_meeting(situation)

    def hold_a_meeting(self, situation) -> None:
        """Two coordination meetings examined her situation, their summary and decision naming her; members of
        the group who have no right to her identity accepted the charter and attended. Both are closed: they
        must read nothing of them now. The second has final minutes, which everyone in the group reads (and
        downloads as PDF): they must not name her either, for anyone."""
        coordinator = self.actor("coordinator")
        group = ["referent", "cidff", "referent_other_commune", "professional_other_organisation", "excluded"]
        for name in group:
            meeting_services.group_member_add(actor=coordinator, membership=self.members[name])
        charter = meeting_services.charter_publish(actor=coordinator, text="Charte de confidentialité.")
        for name in group:
            meeting_services.charter_accept(actor=self.actor(name), charter=charter)
        self.meeting = self.meeting_about(situation)
        self.minuted = self.meeting_about(situation)
        meeting_services.minutes_finalise(
            actor=coordinator,
            minutes=meeting_services.minutes_draft(actor=coordinator, meeting=self.minuted),
            version=None,
        )

    def meeting_about(self, situation):
        coordinator = self.actor("coordinator")
        now = timezone.now()
        meeting = meeting_services.meeting_schedule(
            actor=coordinator, starts_at=now, ends_at=now + timedelta(hours=2), place="Salle du conseil"
        )
        if not meeting.items.filter(situation=situation).exists():
            meeting_services.agenda_item_add(
                actor=coordinator, meeting=meeting, pseudonym=situation.pseudonym
            )
        meeting = meeting_services.meeting_open(actor=coordinator, meeting=meeting, version=None)
        item = meeting.items.get(situation=situation)
        meeting_services.item_record(
            actor=coordinator,
            item=item,
            summary=f"{FIRST_NAME} {LAST_NAME} a quitté le domicile ; joignable au {PHONE}.",
            next_review_on=timezone.localdate() + timedelta(days=21),
            version=None,
        )
        meeting_services.decision_add(
            actor=coordinator,
            item=item,
            text=f"Accompagner {FIRST_NAME} au tribunal.",
            action="Prendre contact avec l'avocate",
            owner=self.members["cidff"],
            due_on=timezone.localdate() + timedelta(days=7),
        )
        return meeting_services.meeting_close(actor=coordinator, meeting=meeting, version=None)

    def pool(self, name: str, route: str, member) -> list[str]:
        """Ids to put in a route: every id of the canary's situation, and the caller's own objects."""
        s = self.situation
        by_name = {
            "task_id": s.tasks.values_list("public_id", flat=True),
            "person_id": s.persons.values_list("public_id", flat=True),
            "organisation_id": s.participations.values_list("organisation__public_id", flat=True),
            "user_id": [self.members["excluded"].user.public_id, self.members["cidff"].user.public_id],
            "access_id": [self.access.public_id],
        }
        if name in by_name:
            return [str(v) for v in by_name[name]]
        if route.startswith(("cellule/", "api/v1/meetings")):
            meetings = (self.meeting, self.minuted)
            meeting = {
                "public_id": [m.public_id for m in meetings],
                "item_id": [i for m in meetings for i in m.items.values_list("public_id", flat=True)],
                "membership_id": GroupMember.objects.values_list("membership__public_id", flat=True),
            }
            return [str(v) for v in meeting[name]]
        if route.startswith(("situations/notifications/", "notifications/")):
            return [str(v) for v in Notification.objects.values_list("public_id", flat=True)]
        if route.startswith(("situations/", "api/v1/situations", "evaluations/situations/")):
            return [str(s.public_id)]
        # Other pages (network, account, platform) with the caller's own objects, or, for the platform
        # administrator, those of the people who follow the canary.
        own = [member] if member is not None else [self.members["referent"], self.members["gendarme"]]
        ids = set()
        for m in own:
            ids |= {m.public_id, m.user.public_id, m.organisation.public_id, m.territory.public_id}
        ids |= {r.public_id for m in own for r in m.referent_of.all()}
        return sorted(str(i) for i in ids)


def world_and_its_mail() -> World:
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        world = World()
    run_queued_tasks()  # the alert e-mails leave through the task queue
    world.mail = list(mail.outbox)
    return world


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(world_and_its_mail) as world:
        yield world


@pytest.fixture
def world(shared_world, caplog):
    """Built once for the module (tests/db.py); what a test writes (the attempts, the sessions, the reads) is
    undone after it. The alerts the report sent are in each test's outbox, as if the world were its own."""
    caplog.set_level(logging.DEBUG)
    mail.outbox.extend(shared_world.mail)
    return copy.deepcopy(shared_world)


def admin_pool(route: str) -> list[str]:
    """Primary keys for an admin route: every row of the situation models, a few of the others."""
    parts = route.split("/")
    try:
        model = apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError, IndexError):
        return []
    rows = 50 if model._meta.app_label == "situations" else 3
    return [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:rows]]


def fill(route: str, values: tuple[str, ...]) -> str:
    filled = iter(values)
    return PARAM.sub(lambda _match: next(filled), route)


def paths(world, member):
    """(route, path) for every GET route of the URLconf with its parameters filled; fails on a project route
    it cannot fill."""
    unfillable = []
    for route, _callback in walk():
        if route.startswith(SESSION_ENDING):
            continue
        params = PARAM.findall(route)
        if route.startswith("admin/") and member is not None and route != "admin/":
            continue  # the admin's own guard sends members to its sign-in page before anything else
        if route.startswith("admin/") and [name for _kind, name in params] == ["object_id"]:
            for pk in admin_pool(route):
                yield route, "/" + fill(route, (pk,))
            continue
        if "^" in route or any(kind not in FILLABLE for kind, _name in params):
            if not route.startswith(tuple(THIRD_PARTY_ROUTES)):
                unfillable.append(route)
            continue
        pools = [world.pool(name, route, member) for _kind, name in params]
        for values in itertools.product(*pools):
            yield route, "/" + fill(route, values)
    assert not unfillable, f"Routes the canary crawl cannot fill: {unfillable}"


def crawl(world, name: str) -> tuple[list[str], int, set[str]]:
    """Fetches every path as `name`: the leaks found, how many pages answered 200, the routes that crashed."""
    # A page that crashes is reported, not allowed to stop the crawl of the others.
    client = Client(raise_request_exception=False)
    if name == "platform_admin":
        member = None
        sign_in(client, world.platform_admin)
    else:
        member = world.members[name]
        sign_in(client, member.user, member)
    found, ok, crashed = [], 0, set()
    for route, path in paths(world, member):
        # The situation page and its API answer show identities on request: ask for them too.
        queries = ("", REVEAL) if route in REVEALING else ("",)
        for query in queries:
            response = client.get(path + query)
            ok += response.status_code == 200
            if response.status_code >= 500:
                crashed.add(route)
            leaked = leaks(response_text(response))
            if leaked:
                found.append(f"{name} GET {path}{query} → {response.status_code}: {leaked}")
    return found, ok, crashed


def test_positive_control_the_coordinator_reads_her_name(world):
    client = sign_in(Client(), world.members["coordinator"].user, world.members["coordinator"])
    page = client.get(f"/situations/{world.situation.public_id}/?identites=1")
    assert page.status_code == 200
    assert set(leaks(response_text(page))) == {"zephyrine", "canarelli", "phone"}
    api = client.get(f"/api/v1/situations/{world.situation.public_id}?identities=true")
    assert "\\u00e9" in api.content.decode()  # escaped in the raw JSON, found once decoded
    assert set(leaks(response_text(api))) == {"zephyrine", "canarelli", "phone"}
    # The crawl itself reaches where she is shown, so it would report a page that showed her to others.
    found, _ok, _crashed = crawl(world, "coordinator")
    situation_id = world.situation.public_id
    assert any(f"GET /situations/{situation_id}/{REVEAL} → 200" in line for line in found), found
    assert any(f"GET /api/v1/situations/{situation_id}{REVEAL} → 200" in line for line in found), found
    # …and the meeting's pages, where the coordinator reads the summary that names her.
    item = world.meeting.items.get().public_id
    assert any(
        f"GET /cellule/reunions/{world.meeting.public_id}/points/{item}/ → 200" in line for line in found
    )
    assert leaks("ZEPHYRINE canarelli") == ["zephyrine", "canarelli"]
    assert leaks("tél. : 06.99.12.34.56") == ["phone"] and leaks("+33 6 99 12 34 56") == ["phone"]


def test_nobody_without_the_right_ever_sees_her(world, caplog, keys_dir, tmp_path):
    # The emergency access has ended: half an hour later, its holder is one more person without the right.
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=True):
        everything, reached, failed = [], {}, set()
        for name in WITHOUT_RIGHT:
            found, reached[name], crashed = crawl(world, name)
            everything += found
            failed |= crashed
    assert not everything, "\n".join(everything)
    # Each caller did reach its own pages: the crawl was not refused wholesale.
    assert all(count >= 4 for count in reached.values()), reached
    assert failed == KNOWN_CRASHES, f"Routes that crash: {sorted(failed)}"

    assert mail.outbox, "the report alerted people: their e-mails are checked"
    for message in mail.outbox:
        attached = [a[1] if isinstance(a[1], str) else a[1].decode() for a in message.attachments]
        content = " ".join(
            [message.subject, message.body, *message.to, *(a[0] for a in message.alternatives), *attached]
        )
        assert not leaks(content), message.subject

    assert caplog.records
    formatter = logging.Formatter()
    for record in caplog.records:
        assert not leaks(formatter.format(record)), record.name

    entries = list(AuditEntry.objects.values_list("changes", "actor_label", "user_agent"))
    assert len(entries) > 10
    assert not leaks(json.dumps(entries, ensure_ascii=False))

    files = [p for root in (keys_dir, tmp_path) for p in root.rglob("*") if p.is_file()]
    assert files, "the keys directory holds the encryption keys"
    for path in files:
        assert not leaks(path.read_bytes().decode("utf-8", errors="replace")), path


ATTACKER_ADDRESS = "technique.perso@exemple.test"


def test_the_people_who_administer_accounts_cannot_grant_themselves_a_way_in(world, caplog):
    """The paths of the November 2026 security test, crawled before and after each attempt: the gendarmerie's
    admin (whose organisation reported her) ticks the professional role for themselves and for an accomplice;
    the platform administrator attaches an address of their own to an account that follows her and asks for a
    password reset, then tries to join the gendarmerie and to make another accomplice a professional."""
    org_admin = world.members["org_admin"]
    gendarmerie, territory = org_admin.organisation, org_admin.territory
    before, _ok, _crashed = crawl(world, "org_admin")
    assert not before

    # The organisation admin's attempts, through the pages.
    admin_client = sign_in(Client(), org_admin.user, org_admin)
    admin_client.post(
        f"/reseau/membres/{org_admin.public_id}/",
        {"version": org_admin.version, "roles": ["org_admin", "professional"], "job_title": "Cheffe"},
    )
    accomplice = MembershipFactory(territory=territory, organisation=gendarmerie, roles=["observer"])
    enrolled(accomplice.user)
    admin_client.post(
        f"/reseau/membres/{accomplice.public_id}/",
        {"version": accomplice.version, "roles": ["observer", "professional"]},
    )
    world.members["org_admin_accomplice"] = accomplice

    # The platform administrator's attempts, through the Django admin and the platform pages.
    platform = sign_in(Client(), world.platform_admin)
    target = world.members["gendarme"].user
    platform.post(
        "/admin/account/emailaddress/add/",
        {"user": target.pk, "email": ATTACKER_ADDRESS, "verified": "on", "primary": ""},
    )
    platform.post(f"/admin/accounts/user/{target.pk}/change/", {"email": ATTACKER_ADDRESS})
    Client().post("/accounts/password/reset/", {"email": ATTACKER_ADDRESS})
    platform.post(
        f"/plateforme/comptes/{world.platform_admin.public_id}/adhesions/ajouter/",
        {
            "organisation": str(gendarmerie.public_id),
            "territory": str(territory.public_id),
            "roles": ["professional"],
        },
    )
    second = UserFactory()
    enrolled(second)
    platform.post(
        f"/plateforme/comptes/{second.public_id}/adhesions/ajouter/",
        {
            "organisation": str(gendarmerie.public_id),
            "territory": str(territory.public_id),
            "roles": ["professional"],
        },
    )
    world.members["platform_admin_accomplice"] = second.memberships.get()

    # Nothing was granted; each grant waits for the coordinator.
    assert Membership.objects.with_details().get(pk=org_admin.pk).roles == ["org_admin"]
    assert not world.platform_admin.memberships.exists()
    for name in ("org_admin_accomplice", "platform_admin_accomplice"):
        membership = Membership.objects.with_details().get(pk=world.members[name].pk)
        assert "professional" not in membership.roles
        assert membership.role_changes.get().status == "pending"
    assert not EmailAddress.objects.filter(email=ATTACKER_ADDRESS).exists()
    assert not [m for m in mail.outbox if ATTACKER_ADDRESS in m.to]

    found = []
    for name in ("org_admin", "org_admin_accomplice", "platform_admin", "platform_admin_accomplice"):
        leaked, reached, crashed = crawl(world, name)
        found += leaked
        assert reached >= 4 and not crashed, (name, reached, crashed)
    assert not found, "\n".join(found)


def test_the_crawl_reads_the_final_minutes_and_their_pdf(world):
    """So that « nowhere » includes them: a member of the group reads the final minutes and downloads their
    PDF (200, her situation's pseudonym in them), which name her nowhere."""
    client = sign_in(Client(), world.members["cidff"].user, world.members["cidff"])
    for path in (
        f"/cellule/reunions/{world.minuted.public_id}/compte-rendu/",
        f"/cellule/reunions/{world.minuted.public_id}/compte-rendu.pdf",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response_text(response)
        assert world.situation.pseudonym in text and "[victime]" in text and not leaks(text), path
