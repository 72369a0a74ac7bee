"""Running a meeting through the services: opening gives the agenda's situations to the members present who
accepted the charter, and to nobody else; attendance and closing take them back at once; summaries and
decisions are encrypted, versioned, audited without their text, and a decision's action is a task."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError
from maillage.meetings import services
from maillage.meetings.models import AgendaItem
from maillage.situations.models import MeetingAccess, Task

pytestmark = pytest.mark.django_db


def page(situation) -> str:
    return reverse("situations:detail", args=[situation.public_id])


def status(cell, name, situation) -> int:
    return cell.client(name).get(page(situation)).status_code


@pytest.fixture
def situation(cell):
    """Reported by the gendarmerie in Mouchamps: the CIDFF, the CCAS, the doctor and the Vendrennes referent
    do not see it on their own ground."""
    return cell.situation()


class TestOpening:
    def test_gives_the_agenda_to_the_members_who_accepted_the_charter(self, cell, situation):
        assert status(cell, "cidff", situation) == 404
        cell.open_meeting(situation)
        assert status(cell, "cidff", situation) == 200
        assert status(cell, "referent_elsewhere", situation) == 200
        # Not accepted the charter, not in the group: nothing.
        assert status(cell, "doctor", situation) == 404
        assert status(cell, "ccas", situation) == 404

    @pytest.mark.parametrize("name", ["dpo", "observer", "housing_manager", "org_admin"])
    def test_roles_that_see_no_situation_see_none(self, cell, situation, name):
        cell.open_meeting(situation)
        assert status(cell, name, situation) in (403, 404)

    def test_not_before_its_start_nor_with_an_empty_agenda(self, cell, situation):
        coordinator = cell.actor("coordinator")
        later = cell.meeting(minutes=24 * 60)
        with pytest.raises(DomainError, match="vous pourrez l'ouvrir"):
            services.meeting_open(actor=coordinator, meeting=later, version=None)
        empty = cell.meeting()
        empty.items.all().delete()
        with pytest.raises(DomainError, match="ordre du jour est vide"):
            services.meeting_open(actor=coordinator, meeting=empty, version=None)

    def test_the_access_ends_at_the_latest_after_the_scheduled_end(self, cell, situation, settings):
        settings.MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES = 30
        meeting = cell.open_meeting(situation, length=60)
        access = MeetingAccess.objects.get(reference=meeting.public_id, membership=cell["cidff"])
        assert abs(
            access.closes_at - (meeting.ends_at + datetime.timedelta(minutes=30))
        ) < datetime.timedelta(seconds=1)
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=95)):
            assert status(cell, "cidff", situation) == 404

    def test_closing_ends_it_at_once(self, cell, situation):
        meeting = cell.open_meeting(situation)
        services.meeting_close(actor=cell.actor("coordinator"), meeting=meeting, version=meeting.version)
        assert status(cell, "cidff", situation) == 404
        # Their access is what it was: the gendarme still follows it.
        assert status(cell, "gendarme", situation) == 200
        trail = AuditEntry.objects.filter(object_public_id=meeting.public_id).values_list("action", flat=True)
        assert {AuditAction.MEETING_OPENED, AuditAction.MEETING_CLOSED} <= set(trail)

    def test_a_member_marked_away_loses_it_and_gains_it_back(self, cell, situation):
        meeting = cell.open_meeting(situation)
        coordinator = cell.actor("coordinator")
        cidff = cell["cidff"].pk
        meeting = services.attendance_record(
            actor=coordinator, meeting=meeting, attendance={cidff: "excused"}, version=meeting.version
        )
        assert status(cell, "cidff", situation) == 404
        services.attendance_record(
            actor=coordinator, meeting=meeting, attendance={cidff: "present"}, version=None
        )
        assert status(cell, "cidff", situation) == 200
        with pytest.raises(ConflictError):
            services.attendance_record(
                actor=coordinator, meeting=meeting, attendance={cidff: "absent"}, version=1
            )

    def test_a_situation_added_or_removed_during_the_meeting(self, cell, situation):
        meeting = cell.open_meeting(situation)
        other = cell.situation()  # reported after the agenda was proposed
        assert not AgendaItem.objects.filter(meeting=meeting, situation=other).exists()
        coordinator = cell.actor("coordinator")
        assert status(cell, "cidff", other) == 404
        item = services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=other.pseudonym)
        assert status(cell, "cidff", other) == 200
        services.agenda_item_remove(actor=coordinator, item=item)
        assert status(cell, "cidff", other) == 404

    def test_an_excluded_member_or_a_restricted_situation_stays_closed(self, cell, situation):
        from maillage.situations import services as situation_services

        coordinator = cell.actor("coordinator")
        situation_services.exclusion_add(
            actor=coordinator, situation=situation, user=cell["cidff"].user, reason="Voisine"
        )
        meeting = cell.open_meeting(situation)
        assert status(cell, "cidff", situation) == 404
        situation_services.situation_restrict(
            actor=coordinator, situation=situation, named_users=[], reason="x"
        )
        assert status(cell, "referent_elsewhere", situation) == 404
        assert meeting.status == "open"


class TestRecords:
    def test_a_summary_is_encrypted_versioned_and_audited_without_its_text(self, cell, situation):
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        coordinator = cell.actor("coordinator")
        review = timezone.localdate() + datetime.timedelta(days=21)
        saved = services.item_record(
            actor=coordinator,
            item=item,
            summary="Mme a quitté le domicile.",
            next_review_on=review,
            version=1,
        )
        assert saved.version == 2 and saved.reviewed_at is not None
        with connection.cursor() as cursor:
            cursor.execute("SELECT summary FROM meetings_agendaitem WHERE id = %s", [item.pk])
            assert cursor.fetchone()[0].startswith("v1:")
        with pytest.raises(ConflictError, match="reprenez votre texte"):
            services.item_record(
                actor=coordinator, item=item, summary="Autre", next_review_on=None, version=1
            )
        entry = AuditEntry.objects.get(
            object_public_id=situation.public_id, action=AuditAction.MEETING_ITEM_RECORDED
        )
        assert entry.changes["next_review_on"] == review.isoformat()
        assert "quitté" not in str(entry.changes)

    def test_a_review_date_follows_the_meeting(self, cell, situation):
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        with pytest.raises(DomainError, match="doit suivre"):
            services.item_record(
                actor=cell.actor("coordinator"),
                item=item,
                summary="",
                next_review_on=timezone.localdate(),
                version=None,
            )

    def test_a_decision_becomes_a_task_of_the_situation(self, cell, situation):
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        due = timezone.localdate() + datetime.timedelta(days=7)
        decision = services.decision_add(
            actor=cell.actor("coordinator"),
            item=item,
            text="Proposer un hébergement à Mme et ses enfants.",
            action="Appeler le 115",
            owner=cell["gendarme"],
            due_on=due,
        )
        task = Task.objects.get(pk=decision.task_id)
        assert (task.situation_id, task.title, task.owner_id, task.due_on) == (
            situation.pk,
            "Appeler le 115",
            cell["gendarme"].pk,
            due,
        )
        entries = AuditEntry.objects.filter(object_public_id=situation.public_id)
        assert entries.filter(action=AuditAction.TASK_ADDED).exists()
        assert "hébergement" not in str(list(entries.values_list("changes", flat=True)))

    def test_an_action_goes_to_someone_who_follows_the_situation_after_the_meeting(self, cell, situation):
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        with pytest.raises(DomainError, match="ne suit pas la situation"):
            services.decision_add(
                actor=cell.actor("coordinator"),
                item=item,
                text="Rencontrer Mme.",
                action="Prendre rendez-vous",
                owner=cell["cidff"],  # reads it through the meeting only
                due_on=timezone.localdate() + datetime.timedelta(days=7),
            )
        assert not Task.objects.filter(situation=situation, title="Prendre rendez-vous").exists()
