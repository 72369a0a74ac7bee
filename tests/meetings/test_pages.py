"""The « Cellule de suivi » pages, as each role sees them: the charter gate (a member who has not accepted
the current version sees the date and place, nothing nominative), who reaches a meeting at all (the same
404 for missing and hidden), and the coordinator's path through the forms."""

import datetime
import uuid
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.meetings import services
from maillage.meetings.models import GroupMember, Meeting
from maillage.situations import services as situation_services
from maillage.situations.models import Task
from tests.network.factories import MembershipFactory
from tests.situations.factories import actor_of

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def situation(cell):
    return cell.situation()


@pytest.fixture
def meeting(cell, situation):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    meeting = cell.meeting(
        at=datetime.datetime.combine(tomorrow, datetime.time(14), tzinfo=timezone.get_current_timezone())
    )
    assert meeting.items.filter(situation=situation).exists()
    return meeting


def detail(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.public_id])


class TestCharterGate:
    """Issue 13, item 1: a member who has not accepted the current charter sees nothing nominative."""

    def test_a_member_who_has_not_accepted_sees_the_date_and_place_only(self, cell, situation, meeting):
        page = text(cell.client("doctor").get(detail(meeting)))
        assert "Salle du conseil" in page
        assert situation.pseudonym not in page
        assert str(situation.public_id) not in page
        assert "Acceptez la charte" in page

    def test_once_accepted_the_agenda_shows(self, cell, situation, meeting):
        client = cell.client("doctor")
        form = text(client.get(reverse("meetings:charter")))
        assert "Accepter la charte" in form
        response = client.post(
            reverse("meetings:charter"), {"charter": str(cell.charter.public_id), "accepted": "on"}
        )
        assert response.status_code == 302
        assert situation.pseudonym in text(client.get(detail(meeting)))

    def test_a_new_charter_version_closes_the_gate_again(self, cell, situation, meeting):
        client = cell.client("cidff")
        assert situation.pseudonym in text(client.get(detail(meeting)))
        services.charter_publish(actor=cell.actor("coordinator"), text="Nouvelle charte, version révisée.")
        page = text(client.get(detail(meeting)))
        assert situation.pseudonym not in page and "Salle du conseil" in page

    def test_during_the_meeting_too(self, cell, situation):
        meeting = cell.open_meeting(situation)
        page = text(cell.client("doctor").get(detail(meeting)))
        assert situation.pseudonym not in page
        situation_page = reverse("situations:detail", args=[situation.public_id])
        assert cell.client("doctor").get(situation_page).status_code == 404

    def test_accepting_a_version_replaced_meanwhile_is_refused(self, cell):
        client = cell.client("doctor")
        services.charter_publish(actor=cell.actor("coordinator"), text="Nouvelle charte, version révisée.")
        response = client.post(
            reverse("meetings:charter"),
            {"charter": str(cell.charter.public_id), "accepted": "on"},
            follow=True,
        )
        assert "nouvelle version de la charte a été publiée" in text(response)
        assert not AuditEntry.objects.filter(
            action=AuditAction.CHARTER_ACCEPTED, actor_user_id=cell["doctor"].user.pk
        ).exists()


class TestWhoReachesAMeeting:
    @pytest.mark.parametrize("name", ["ccas"])
    def test_a_member_of_the_network_outside_the_group_gets_the_same_404(self, cell, meeting, name):
        client = cell.client(name)
        assert "ne faites pas partie" in text(client.get(reverse("meetings:list")))
        assert client.get(detail(meeting)).status_code == 404
        assert client.get(reverse("meetings:calendar", args=[meeting.public_id])).status_code == 404
        assert client.get(reverse("meetings:detail", args=[uuid.uuid4()])).status_code == 404
        assert client.get(reverse("meetings:charter")).status_code == 404

    @pytest.mark.parametrize("name", ["dpo", "observer", "housing_manager", "org_admin", "platform_admin"])
    def test_roles_that_see_no_situation_are_refused_every_page(self, cell, meeting, name):
        client = cell.client(name)
        for path in (
            reverse("meetings:list"),
            reverse("meetings:group"),
            reverse("meetings:charter"),
            detail(meeting),
            reverse("meetings:agenda", args=[meeting.public_id]),
        ):
            assert client.get(path).status_code == 403, path

    def test_the_coordinator_of_another_territory_gets_the_same_404(self, cell, meeting):
        from django.test import Client

        from tests.helpers import sign_in

        other = MembershipFactory(roles=["coordinator"])
        client = sign_in(Client(), other.user, other)
        assert client.get(detail(meeting)).status_code == 404
        assert client.get(reverse("meetings:agenda", args=[meeting.public_id])).status_code == 404

    @pytest.mark.parametrize("name", ["referent", "gendarme", "cidff"])
    def test_members_do_not_run_the_meeting(self, cell, meeting, name):
        client = cell.client(name)
        for route in ("agenda", "attendance", "edit"):
            assert client.get(reverse(f"meetings:{route}", args=[meeting.public_id])).status_code == 403
        assert (
            client.post(reverse("meetings:open", args=[meeting.public_id]), {"version": 1}).status_code == 403
        )
        assert client.get(reverse("meetings:create")).status_code == 403
        assert Meeting.objects.get(pk=meeting.pk).status == "scheduled"

    def test_an_excluded_member_never_sees_that_situation_on_the_agenda(self, cell, situation, meeting):
        situation_services.exclusion_add(
            actor=cell.actor("coordinator"), situation=situation, user=cell["cidff"].user, reason="Voisine"
        )
        assert situation.pseudonym not in text(cell.client("cidff").get(detail(meeting)))
        assert situation.pseudonym in text(cell.client("gendarme").get(detail(meeting)))


class TestGroupPages:
    def test_the_coordinator_adds_and_removes_a_member_after_confirming(self, cell):
        client = cell.client("coordinator")
        response = client.post(reverse("meetings:group"), {"membership": str(cell["ccas"].public_id)})
        assert response.status_code == 302
        assert GroupMember.objects.filter(membership=cell["ccas"]).exists()
        remove = reverse("meetings:group_remove", args=[cell["ccas"].public_id])
        confirm = client.post(remove)
        assert "ne verra plus les réunions" in text(confirm)
        assert GroupMember.objects.filter(membership=cell["ccas"]).exists()
        client.post(remove, {"confirmed": "1"})
        assert not GroupMember.objects.filter(membership=cell["ccas"]).exists()

    def test_only_roles_that_see_situations_are_offered(self, cell):
        page = text(cell.client("coordinator").get(reverse("meetings:group")))
        assert str(cell["ccas"].user) in page
        assert str(cell["dpo"].user) not in page and str(cell["observer"].user) not in page

    def test_members_see_who_accepted_the_charter(self, cell):
        page = text(cell.client("gendarme").get(reverse("meetings:group")))
        assert str(cell["doctor"].user) in page and "Pas encore acceptée" in page
        assert "Ajouter à la cellule" not in page

    def test_publishing_a_charter_keeps_the_text_on_error(self, cell):
        client = cell.client("coordinator")
        response = client.post(reverse("meetings:charter_publish"), {"text": cell.charter.text})
        assert response.status_code == 200
        assert "version en vigueur" in text(response)
        response = client.post(reverse("meetings:charter_publish"), {"text": "Charte révisée en 2027."})
        assert response.status_code == 302


class TestRunningThroughThePages:
    def test_the_coordinator_schedules_prepares_runs_and_closes_a_meeting(self, cell, situation):
        # Tomorrow at ten, so that the meeting fits the day whatever the hour the test runs.
        day = timezone.localdate() + datetime.timedelta(days=1)
        with time_machine.travel(
            datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone()),
            tick=True,
        ):
            self.run_a_meeting(cell, situation, day)

    def run_a_meeting(self, cell, situation, day):
        client = cell.client("coordinator")
        response = client.post(
            reverse("meetings:create"),
            {"day": day.isoformat(), "starts": "10:05", "ends": "12:00", "place": "Salle du conseil"},
        )
        assert response.status_code == 302, text(response)
        meeting = Meeting.objects.get()
        item = meeting.items.get(situation=situation)
        assert (
            client.post(reverse("meetings:open", args=[meeting.public_id]), {"version": 1}).status_code == 302
        )
        assert (
            cell.client("cidff").get(reverse("situations:detail", args=[situation.public_id])).status_code
            == 200
        )
        item_page = reverse("meetings:item", args=[meeting.public_id, item.public_id])
        page = text(client.get(item_page))
        assert "Proposer une orientation" in page and "Enregistrer une mesure de protection" in page
        # Bad input keeps what was typed.
        response = client.post(
            item_page,
            {"record": "1", "summary": "Situation stable.", "next_review_on": "pas une date", "version": 1},
        )
        assert response.status_code == 200 and "Situation stable." in text(response)
        client.post(item_page, {"record": "1", "summary": "Situation stable.", "version": 1})
        response = client.post(
            item_page,
            {
                "decide": "1",
                "text": "Rencontrer la victime au CCAS.",
                "action": "Fixer un rendez-vous",
                "owner": str(cell["gendarme"].public_id),
                "due_on": (day + datetime.timedelta(days=7)).isoformat(),
            },
        )
        assert response.status_code == 302
        assert Task.objects.filter(
            situation=situation, title="Fixer un rendez-vous", owner=cell["gendarme"]
        ).exists()
        close = reverse("meetings:close", args=[meeting.public_id])
        meeting.refresh_from_db()
        assert "ne voient plus les situations" in text(client.post(close, {"version": meeting.version}))
        client.post(close, {"version": meeting.version, "confirmed": "1"})
        assert Meeting.objects.get(pk=meeting.pk).status == "closed"
        assert (
            cell.client("cidff").get(reverse("situations:detail", args=[situation.public_id])).status_code
            == 404
        )

    def test_a_stale_edit_keeps_the_input_and_says_so(self, cell, meeting):
        client = cell.client("coordinator")
        starts = timezone.localtime(meeting.starts_at)
        values = {
            "day": starts.date().isoformat(),
            "starts": starts.strftime("%H:%M"),
            "ends": timezone.localtime(meeting.ends_at).strftime("%H:%M"),
            "place": "Salle B",
            "version": meeting.version,
        }
        services.meeting_update(
            actor=cell.actor("coordinator"),
            meeting=meeting,
            version=meeting.version,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place="Salle A",
        )
        response = client.post(reverse("meetings:edit", args=[meeting.public_id]), values)
        assert response.status_code == 200
        page = text(response)
        assert "pendant que vous la lisiez" in page and 'value="Salle B"' in page
        assert Meeting.objects.get(pk=meeting.pk).place == "Salle A"

    def test_reading_what_was_said_is_recorded_on_the_situation(self, cell, situation):
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        services.item_record(
            actor=cell.actor("coordinator"),
            item=item,
            summary="Point d'étape.",
            next_review_on=timezone.localdate() + datetime.timedelta(days=14),
            version=None,
        )
        page = text(cell.client("cidff").get(detail(meeting)))
        assert "Point d'étape." in page
        read = AuditEntry.objects.filter(
            object_public_id=situation.public_id,
            action=AuditAction.SITUATION_VIEWED,
            actor_user_id=cell["cidff"].user.pk,
        ).get()
        assert read.changes["part"] == "meeting" and read.changes["meeting"] == str(meeting.public_id)
        services.meeting_close(actor=cell.actor("coordinator"), meeting=meeting, version=None)
        # Afterwards the CIDFF's access is what it was: the summary is no longer shown to it.
        page = text(cell.client("cidff").get(detail(meeting)))
        assert situation.pseudonym in page and "Point d'étape." not in page
        assert "Point d'étape." in text(cell.client("gendarme").get(detail(meeting)))

    def test_an_excluded_coordinator_is_spared_the_situation(self, cell, situation, meeting):
        other = MembershipFactory(territory=cell.territory, organisation=cell.epci, roles=["coordinator"])
        situation_services.exclusion_add(
            actor=actor_of(other), situation=situation, user=cell["coordinator"].user, reason="Voisin"
        )
        page = text(cell.client("coordinator").get(reverse("meetings:agenda", args=[meeting.public_id])))
        assert situation.pseudonym not in page


@pytest.mark.parametrize(("name", "queries"), [("coordinator", 15), ("cidff", 17), ("doctor", 14)])
def test_the_meeting_page_reads_a_fixed_number_of_queries(cell, name, queries, django_assert_num_queries):
    for _ in range(6):
        cell.situation()
    meeting = cell.meeting()
    assert meeting.items.count() == 6
    client = cell.client(name)
    client.get(detail(meeting))  # the session's first request refreshes it
    with django_assert_num_queries(queries):
        assert client.get(detail(meeting)).status_code == 200
