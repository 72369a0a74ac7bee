"""The demonstration territory: `maillage load_demo` and the accounts file people sign in with."""

import copy
import datetime
import io
import itertools
import json
import stat
from collections import Counter

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, validate_totp_code
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.accounts.models import User
from maillage.audit.models import AuditEntry
from maillage.audit.verify import verify_chain
from maillage.demo.housing import REFUGE_DEMO_ADDRESS
from maillage.housing.models import HousingUnit, Stay
from maillage.housing.tasks import stays_ending
from maillage.meetings import policies
from maillage.meetings.enums import MeetingStatus, MinutesStatus
from maillage.meetings.models import (
    AgendaItem,
    CharterAcceptance,
    Decision,
    GroupMember,
    Meeting,
    MeetingParticipant,
    Minutes,
)
from maillage.meetings.tasks import send_invitations
from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind, ReferentKind, Role
from maillage.network.models import CommuneReferent, Membership, Organisation, RoleChange
from maillage.privacy.fields import blind_match
from maillage.protection.enums import MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.protection.tasks import measures_ending
from maillage.situations.enums import NoteVisibility, PersonRole, Sex, SituationStatus
from maillage.situations.models import EmergencyAccess, MeetingAccess, Person, Situation, Task, TimelineEntry
from maillage.situations.policies import can_view_identity, memberships_seeing
from maillage.territories.models import Commune, Territory
from tests.helpers import sign_in

ACCOUNT_KEYS = {"email", "password", "totp_secret", "roles", "organisation", "communes", "memberships"}
HERBIERS_COMMUNES = {
    "Les Herbiers",
    "Mouchamps",
    "Les Épesses",
    "Beaurepaire",
    "Vendrennes",
    "Mesnard-la-Barotière",
    "Saint-Paul-en-Pareds",
    "Saint-Mars-la-Réorthe",
}


def load_demo(**options) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    return settings.VAR_DIR


class TestNetwork:
    """The network alone (`load_demo --situations 0`), loaded once for these tests, which read it
    (tests/db.py: what one of them writes, a sign-in or a second run, is undone after it). Replaying three
    years of situations is tested once, below."""

    @pytest.fixture(scope="class")
    @classmethod
    def loaded(cls, built_once, tmp_path_factory):
        var_dir = tmp_path_factory.mktemp("demo") / "var"

        def load():
            with override_settings(VAR_DIR=var_dir, DEMO_MODE=True):
                output = load_demo(situations=0)
            return json.loads((var_dir / "demo-accounts.json").read_text(encoding="utf-8")), output, var_dir

        with built_once(load) as loaded:
            yield loaded

    @pytest.fixture
    def var_dir(self, loaded, settings):
        settings.VAR_DIR = loaded[2]
        settings.DEMO_MODE = True
        return settings.VAR_DIR

    @pytest.fixture
    def demo(self, loaded, var_dir, db):
        accounts, output, _var_dir = loaded
        return copy.deepcopy(accounts), output

    def test_accounts_file_lists_every_user_with_the_agreed_keys(self, demo, var_dir):
        accounts, output = demo
        path = var_dir / "demo-accounts.json"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(var_dir.stat().st_mode) == 0o700
        assert {account["email"] for account in accounts} == set(User.objects.values_list("email", flat=True))
        assert len(accounts) >= 40
        for account in accounts:
            assert set(account) == ACCOUNT_KEYS
            assert account["email"] in output
            if account["memberships"]:
                first = account["memberships"][0]
                assert (account["roles"], account["organisation"], account["communes"]) == (
                    first["roles"],
                    first["organisation"],
                    first["communes"],
                )
        assert "pyotp.TOTP" in output

    def test_every_role_and_every_organisation_kind_is_shown(self, demo):
        accounts, _ = demo
        roles = {role for account in accounts for role in account["roles"]}
        roles |= {role for account in accounts for m in account["memberships"] for role in m["roles"]}
        assert roles == set(Role.values)
        assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
        assert Organisation.objects.count() >= 20

    def test_platform_admin_has_no_membership(self, demo):
        accounts, _ = demo
        (admin_account,) = [a for a in accounts if a["roles"] == ["platform_admin"]]
        assert admin_account["organisation"] is None
        assert admin_account["communes"] == []
        admin = User.objects.get(email=admin_account["email"])
        assert admin.is_platform_admin and admin.is_staff
        assert not admin.memberships.exists()

    def test_each_commune_has_an_elected_and_an_agent_referent(self, demo):
        accounts, _ = demo
        communes = Commune.objects.filter(territory__name="Pays des Herbiers")
        assert set(communes.values_list("name", flat=True)) == HERBIERS_COMMUNES
        for commune in communes:
            kinds = set(CommuneReferent.objects.filter(commune=commune).values_list("kind", flat=True))
            assert kinds == set(ReferentKind.values), commune.name
        named = {name for account in accounts for m in account["memberships"] for name in m["communes"]}
        assert named == HERBIERS_COMMUNES
        for referent in CommuneReferent.objects.select_related("membership"):
            assert Role.REFERENT in referent.membership.roles

    def test_some_people_hold_several_memberships_across_organisations_and_territories(self, demo):
        accounts, _ = demo
        several = [a for a in accounts if len(a["memberships"]) >= 2]
        assert several
        assert any(len({m["organisation"] for m in a["memberships"]}) >= 2 for a in several)
        assert any(len({m["territory"] for m in a["memberships"]}) >= 2 for a in several)
        parquet = Organisation.objects.get(name="Parquet de La Roche-sur-Yon")
        assert parquet.territories.count() == 2
        assert Membership.objects.filter(organisation=parquet).values("territory").distinct().count() == 2

    def test_passwords_and_totp_secrets_of_the_file_are_the_enrolled_ones(self, demo):
        accounts, _ = demo
        # The clock stands still: a 30-second window that ended between the code and its check would make the
        # right code wrong (it did, once in a few dozen runs on PostgreSQL).
        with time_machine.travel(timezone.now(), tick=False):
            for account in accounts:
                user = User.objects.get(email=account["email"])
                assert user.check_password(account["password"])
                code = pyotp.TOTP(account["totp_secret"]).now()
                assert validate_totp_code(account["totp_secret"], code)
                authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
                assert TOTP(authenticator).validate_code(code)

    def test_a_demo_referent_signs_in_with_password_and_totp(self, demo, client):
        accounts, _ = demo
        account = next(a for a in accounts if a["communes"])
        response = client.post(
            "/accounts/login/", {"login": account["email"], "password": account["password"]}
        )
        assert response.status_code == 302
        response = client.post(response["Location"], {"code": pyotp.TOTP(account["totp_secret"]).now()})
        assert response.status_code == 302
        home = client.get("/")
        assert home.status_code == 200
        assert account["organisation"] in home.content.decode()

    def test_roles_that_open_situations_were_approved_by_the_coordinator_and_one_waits(self, demo):
        accounts, _ = demo
        changes = RoleChange.objects.filter(territory__name="Pays des Herbiers")
        approved = changes.filter(status="approved").select_related("decided_by")
        assert approved.count() >= 20
        assert {c.decided_by.email for c in approved} == {"claire.mercier@exemple.fr"}
        (pending,) = changes.filter(status="pending")
        assert (pending.membership.user.email, pending.role) == ("ines.robin@exemple.fr", "professional")
        assert pending.membership.roles == []
        assert "ines.robin@exemple.fr" in {a["email"] for a in accounts}

    def test_running_twice_changes_nothing(self, demo, var_dir):
        accounts_file = (var_dir / "demo-accounts.json").read_text(encoding="utf-8")
        counts = [model.objects.count() for model in (Territory, Commune, Organisation, User, Membership)]

        output = load_demo(situations=0)

        assert "Démonstration déjà chargée" in output
        assert [
            model.objects.count() for model in (Territory, Commune, Organisation, User, Membership)
        ] == counts
        assert (var_dir / "demo-accounts.json").read_text(encoding="utf-8") == accounts_file


def test_refused_outside_demo_mode(db, var_dir, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="MAILLAGE_DEMO"):
        load_demo(situations=0)
    assert not Territory.objects.exists()
    assert not (var_dir / "demo-accounts.json").exists()


# ------------------------------------------------------------------------------------ situations

CANARY_NAME = ("Zéphyrine", "Canarelli-Vasseur")
CANARY_PHONE = "06 99 12 34 56"


def actor(email: str) -> Actor:
    membership = Membership.objects.select_related("organisation", "territory").get(
        user__email=email, territory__name="Pays des Herbiers"
    )
    return Actor.from_membership(membership.user, membership, [membership])


def sees(email: str, situation: Situation) -> bool:
    return Situation.objects.visible_to(actor(email)).filter(pk=situation.pk).exists()


@pytest.mark.whole_app
def test_three_years_of_situations_follow_the_domain_figures(db, var_dir, client, mailoutbox):
    output = load_demo()
    assert not mailoutbox
    today = timezone.localdate()
    situations = Situation.objects.filter(territory__name="Pays des Herbiers")
    assert situations.count() == 150
    assert "Situations fictives : 150 sur trois ans" in output

    # 40 to 60 situations a year, for each of the last three years; pseudonyms carry their year.
    for years_ago in range(3):
        end = today - datetime.timedelta(days=365 * years_ago)
        detected = situations.filter(detected_on__lt=end, detected_on__gte=end - datetime.timedelta(days=365))
        assert 40 <= detected.count() <= 60, years_ago
    for situation in situations.select_related("commune"):
        assert situation.pseudonym.startswith(f"S-{timezone.localtime(situation.created_at).year}-")

    # 84 % women victims, 1.4 to 1.7 children per situation, every situation has its victim.
    victims = Person.objects.filter(situation__in=situations, role=PersonRole.VICTIM)
    assert victims.count() == 150
    assert 0.80 <= victims.filter(sex=Sex.FEMALE).count() / 150 <= 0.88
    children = Person.objects.filter(situation__in=situations, role=PersonRole.CHILD).count()
    assert 1.4 <= children / 150 <= 1.7

    # Communes in proportion to their population: Les Herbiers (16,135 of ~30,000) has about half.
    by_commune = Counter(situations.values_list("commune__name", flat=True))
    assert set(by_commune) == HERBIERS_COMMUNES
    assert 0.45 <= by_commune["Les Herbiers"] / 150 <= 0.62
    assert by_commune["Mouchamps"] > by_commune["Saint-Mars-la-Réorthe"]

    sources = Counter(source for s in situations for source in s.sources)
    assert sources.most_common(1)[0][0] == "law_enforcement" and len(sources) >= 8
    assert 0.05 <= situations.filter(urgent=True).count() / 150 <= 0.2

    # Follow-up: most older situations are closed with a reason, recent ones are followed.
    closed = situations.filter(status=SituationStatus.CLOSED)
    assert 80 <= closed.count() <= 125
    assert not closed.filter(closure_reason="").exists() and not closed.filter(closed_at=None).exists()
    assert len(set(closed.values_list("closure_reason", flat=True))) >= 5
    assert situations.filter(status=SituationStatus.FOLLOWED).count() >= 20

    # Notes at every visibility level, medical ones from the hospital, some contacts; overdue tasks.
    entries = TimelineEntry.objects.filter(situation__in=situations)
    assert entries.count() >= 300
    assert set(entries.values_list("visibility", flat=True)) == set(NoteVisibility.values)
    medical = entries.filter(medical=True, organisation__name="Centre hospitalier Loire Vendée Océan")
    assert medical.filter(visibility=NoteVisibility.ORGANISATION).exists()
    assert medical.exclude(visibility=NoteVisibility.ORGANISATION).exists()
    assert entries.filter(kind="contact").exclude(channel="").count() >= 20
    open_tasks = Task.objects.filter(situation__in=situations, done_at=None)
    assert open_tasks.filter(due_on__lt=today).exists()
    assert not open_tasks.filter(situation__status=SituationStatus.CLOSED).exists()
    assert Task.objects.filter(situation__in=situations).exclude(done_at=None).count() >= 50

    # One break-the-glass access reviewed, one waiting for review; alerts older than three weeks read.
    assert sorted(EmergencyAccess.objects.values_list("review", flat=True)) == ["justified", "pending"]
    assert not EmergencyAccess.objects.filter(expires_at__gt=timezone.now()).exists()
    coordinator = Membership.objects.get(user__email="claire.mercier@exemple.fr")
    unread = coordinator.notifications.filter(read_at=None)
    assert unread.exists()
    assert not unread.filter(created_at__lt=timezone.now() - datetime.timedelta(days=22)).exists()

    # Protective measures of every kind, on open situations; some end within the reminder period, and the
    # worker's daily job reminds those who see them.
    measures = ProtectiveMeasure.objects.filter(situation__in=situations)
    assert set(measures.values_list("kind", flat=True)) == set(MeasureKind.values)
    assert set(measures.values_list("status", flat=True)) == set(MeasureStatus.values) - {"lapsed"}
    assert not measures.filter(situation__status=SituationStatus.CLOSED).exists()
    assert measures_ending(today).count() >= 3
    assert f"Mesures de protection : {measures.count()}" in output

    # Emergency housing: the town's two flats and the secret refuge, two years of stays (2 to 5 a year,
    # DOMAIN.md §6) on demo situations, with exit solutions; one in progress reminded by the first worker.
    units = HousingUnit.objects.filter(territory__name="Pays des Herbiers")
    assert sorted(units.values_list("organisation__name", "secret")) == [
        ("CCAS des Herbiers", False),
        ("CCAS des Herbiers", False),
        ("SOS Femmes Vendée", True),
    ]
    refuge = units.get(secret=True)
    assert refuge.commune is None and refuge.address == REFUGE_DEMO_ADDRESS
    stays = Stay.objects.filter(unit__in=units)
    for years_ago in range(2):
        end = today - datetime.timedelta(days=365 * years_ago)
        started = stays.filter(starts_on__lt=end, starts_on__gte=end - datetime.timedelta(days=365))
        assert 2 <= started.count() <= 5, years_ago
    assert set(stays.values_list("status", flat=True)) == {"ended", "in_progress", "planned"}
    assert len(set(stays.filter(status="ended").values_list("exit_solution", flat=True))) >= 4
    assert stays_ending(today).count() == 1
    assert "Hébergement d'urgence : 3 logements" in output
    assert REFUGE_DEMO_ADDRESS not in output
    # Through the housing services as well: each unit, request, allocation, arrival and departure audited.
    housing = AuditEntry.objects.filter(action__startswith="housing.")
    assert housing.filter(action="housing.unit_created").count() == 3
    assert housing.filter(action="housing.stay_requested").count() == stays.count()
    assert housing.filter(action="housing.stay_allocated").count() == stays.count()
    assert housing.filter(action="housing.stay_checked_out").count() == stays.filter(status="ended").count()

    # Written through the services: each change is in the audit trail, in time order, and the chain holds.
    assert AuditEntry.objects.filter(action="situation.reported").count() == 150
    times = list(AuditEntry.objects.order_by("sequence").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert verify_chain().ok

    assert_a_year_of_coordination_meetings(output, situations, client)


def assert_a_year_of_coordination_meetings(output: str, situations, client) -> None:
    """Issue 13, item 5: a year of monthly meetings of the *cellule de suivi*, each held through the services
    (opened, every agenda situation examined, decisions turned into tasks, closed), one cancelled and held a
    week later, the next one scheduled with its proposed agenda; the charter gate shown by one member."""
    now, today = timezone.now(), timezone.localdate()
    meetings = Meeting.objects.filter(territory__name="Pays des Herbiers")
    held = meetings.filter(status=MeetingStatus.CLOSED).order_by("starts_at")
    assert held.count() == 12
    assert "Cellule de suivi : 12 réunions sur un an" in output
    days = [timezone.localtime(m.starts_at).date() for m in held]
    assert today - datetime.timedelta(days=366) <= days[0] and days[-1] < today
    assert all(day.weekday() == 1 for day in days)
    assert all(20 <= (later - earlier).days <= 42 for earlier, later in itertools.pairwise(days))
    assert held.filter(place="").exclude(video_link="").count() == 1  # one by video link
    for meeting in held:
        items = meeting.items.select_related("situation")
        assert 1 <= items.count() <= 15, meeting
        # Every situation on the agenda examined, the next review after the meeting; its summary named the
        # victim, which final minutes replaced (the raw text kept nowhere); the last meeting's minutes are
        # still a draft for the coordinator to review.
        minutes = Minutes.objects.get(meeting=meeting)
        final = minutes.status == MinutesStatus.FINAL
        assert final == (meeting != held.last())
        for item in items:
            assert item.reviewed_at is not None and meeting.opened_at <= item.reviewed_at <= meeting.closed_at
            assert item.next_review_on > timezone.localtime(meeting.starts_at).date()
            victim = item.situation.persons.get(role=PersonRole.VICTIM)
            if final:
                assert "[victime]" in item.summary and victim.last_name not in item.summary
                assert victim.last_name not in minutes.final and minutes.draft == ""
            else:
                assert victim.first_name in item.summary and victim.first_name in minutes.draft
        attendance = Counter(meeting.participants.values_list("attendance", flat=True))
        assert set(attendance) == {"present", "excused"} and attendance["present"] >= 7
        # Access through the meeting ended when it closed.
        accesses = MeetingAccess.objects.filter(reference=meeting.public_id)
        assert accesses.exists() and not accesses.filter(closes_at__gt=meeting.closed_at).exists()
    assert not MeetingAccess.objects.filter(opens_at__lte=now, closes_at__gt=now).exists()

    # About half the examinations led to a decision, each with its task for someone who follows the situation.
    decisions = Decision.objects.filter(item__meeting__in=held).select_related("item__meeting", "task")
    examined = AgendaItem.objects.filter(meeting__in=held).count()
    assert 0.3 <= decisions.count() / examined <= 0.7
    for decision in decisions:
        task, day = decision.task, timezone.localtime(decision.item.meeting.starts_at).date()
        assert task.situation_id == decision.item.situation_id
        assert 14 <= (task.due_on - day).days <= 21
        # Given to someone who follows it on their own ground (not through the meeting), mostly not the
        # coordinator.
        assert memberships_seeing(task.situation, borrowed=False).filter(pk=task.owner_id).exists()
    owners = Counter(decisions.values_list("task__owner__user__email", flat=True))
    assert owners["claire.mercier@exemple.fr"] < decisions.count() / 4 and len(owners) >= 5
    tasks = Task.objects.filter(pk__in=decisions.values("task"))
    assert tasks.exclude(done_at=None).count() >= decisions.count() / 2

    # One cancelled, held a week later; the next one in about ten days with its proposed agenda.
    (cancelled,) = meetings.filter(status=MeetingStatus.CANCELLED)
    assert timezone.localtime(cancelled.starts_at).date() + datetime.timedelta(days=7) in days
    (upcoming,) = meetings.filter(status=MeetingStatus.SCHEDULED)
    assert 7 <= (timezone.localtime(upcoming.starts_at).date() - today).days <= 14
    assert upcoming.items.exists() and not upcoming.items.exclude(reviewed_at=None).exists()
    assert upcoming.participants.count() == GroupMember.objects.count() == 10

    # Never the canary nor the restricted situation on an agenda.
    (canary_victim,) = Person.objects.filter(blind_match("last_name_index", CANARY_NAME[1]))
    special = [canary_victim.situation, situations.get(restricted=True)]
    assert not AgendaItem.objects.filter(situation__in=special).exists()

    # Charter version 2 in force, accepted by every member but one, who sees no agenda item.
    charter = policies.current_charter(upcoming.territory_id)
    assert charter.version == 2 and "5 bis." in charter.text
    for version in (1, 2):
        assert CharterAcceptance.objects.filter(charter__version=version).count() == 9
    (refusing,) = Membership.objects.filter(meeting_group__isnull=False).exclude(
        pk__in=CharterAcceptance.objects.filter(charter=charter).values("membership")
    )
    assert not CharterAcceptance.objects.filter(membership=refusing).exists()
    member = Actor.from_membership(refusing.user, refusing, [refusing])
    for meeting in (upcoming, held.last()):
        assert not policies.sees_agenda(member, meeting)
        assert not policies.agenda_items_visible_to(member, meeting).exists()
    page = sign_in(client, refusing.user, refusing).get(f"/cellule/reunions/{upcoming.public_id}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Acceptez la charte" in text
    for item in upcoming.items.select_related("situation"):
        assert item.situation.pseudonym not in text and str(item.situation.public_id) not in text
    # The positive control: a member who accepted it reads the agenda on the same page.
    accepting = CharterAcceptance.objects.filter(charter=charter).exclude(
        membership__role_set__role="coordinator"
    )
    other = accepting.select_related("membership__user").first().membership
    text = sign_in(client, other.user, other).get(f"/cellule/reunions/{upcoming.public_id}/").content.decode()
    assert upcoming.items.first().situation.pseudonym in text

    # Nothing e-mailed, nothing left to e-mail: every invitation marked as sent, none queued.
    assert not MeetingParticipant.objects.filter(emailed_sequence__lt=F("meeting__sequence")).exists()
    assert not DBTaskResult.objects.filter(task_path=send_invitations.module_path).exists()


def test_restricted_and_canary_situations(db, var_dir):
    output = load_demo(situations=12)

    (restricted,) = Situation.objects.filter(restricted=True)
    assert restricted.pseudonym in output and restricted.commune.name == "Beaurepaire"
    for email in ("claire.mercier@exemple.fr", "nadia.benali@exemple.fr", "christine.morin@exemple.fr"):
        assert sees(email, restricted), email
    for email in ("nathalie.roy@exemple.fr", "damien.rousseau@exemple.fr", "audrey.favreau@exemple.fr"):
        assert not sees(email, restricted), email

    (victim,) = Person.objects.filter(blind_match("last_name_index", CANARY_NAME[1]))
    canary = victim.situation
    assert (victim.first_name, victim.last_name, victim.phone) == (*CANARY_NAME, CANARY_PHONE)
    assert canary.pseudonym in output and " ".join(CANARY_NAME) in output
    assert canary.status == SituationStatus.FOLLOWED and not canary.restricted
    # Those with the right see the canary's identity; others do not even see the situation.
    for email in (
        "claire.mercier@exemple.fr",
        "isabelle.fort@exemple.fr",
        "emma.dupuis@exemple.fr",
        "nadia.benali@exemple.fr",
    ):
        assert sees(email, canary) and can_view_identity(actor(email), canary), email
    for email in (
        "camille.riviere@exemple.fr",
        "sebastien.martin@exemple.fr",
        "lucas.fabre@exemple.fr",
        "martine.brochard@exemple.fr",
        "gerard.pineau@exemple.fr",
        "sophie.garnier@exemple.fr",
        "marc.lebrun@exemple.fr",
    ):
        assert not sees(email, canary), email
    assert not EmergencyAccess.objects.filter(situation__in=[canary, restricted]).exists()
    trail = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)), ensure_ascii=False)
    for secret in (*CANARY_NAME, CANARY_PHONE):
        assert secret not in trail


def test_situations_option_is_checked(db, var_dir):
    for count in (-1, 1, 2):
        with pytest.raises(CommandError, match="--situations"):
            load_demo(situations=count)
    assert not Territory.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_historys_alerts_send_no_e_mail_when_the_worker_first_runs(var_dir, mailoutbox):
    """The load commits its alerts and the meetings' invitations (their e-mails queued on commit); none is
    left for the worker."""
    from maillage.notifications.models import Notification

    load_demo(situations=12)
    assert not mailoutbox
    assert Notification.objects.exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert not DBTaskResult.objects.filter(
        task_path="maillage.notifications.tasks.send_alert_emails"
    ).exists()
    # A year of meetings, and the next one, invited no one by e-mail; nor will a later update of it.
    assert Meeting.objects.filter(status=MeetingStatus.CLOSED).count() >= 10
    assert MeetingParticipant.objects.filter(meeting__status=MeetingStatus.SCHEDULED).exists()
    assert not DBTaskResult.objects.filter(task_path=send_invitations.module_path).exists()
    assert not MeetingParticipant.objects.filter(emailed_sequence__lt=F("meeting__sequence")).exists()
    loaded = timezone.now()
    call_command("worker", "--once", verbosity=0)
    # Only today's reminders (raised by the worker's daily jobs) are e-mailed, one e-mail each.
    assert len(mailoutbox) == Notification.objects.filter(created_at__gte=loaded).count()
    assert not [m for m in mailoutbox if "cellule de suivi" in m.subject.lower()]
