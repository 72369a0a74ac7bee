"""Scheduling a meeting and its agenda, through the services: checks on dates and place, the agenda proposed
from what needs examining (with its reasons), its edits, versions and states."""

import datetime

import pytest
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing.enums import StayStatus
from maillage.housing.models import Stay
from maillage.meetings import selectors, services
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import AgendaItem
from maillage.protection.services import measure_record
from maillage.situations import services as situation_services
from tests.housing.factories_calendar import make_unit
from tests.meetings.worlds import GROUP
from tests.network.factories import MembershipFactory
from tests.situations.factories import actor_of

pytestmark = pytest.mark.django_db


def reasons(meeting) -> dict[str, list[str]]:
    return {item.situation.pseudonym: item.reasons for item in meeting.items.select_related("situation")}


def schedule(cell, **kwargs):
    starts_at = kwargs.pop("starts_at", timezone.now() + datetime.timedelta(days=7))
    values = {"starts_at": starts_at, "ends_at": starts_at + datetime.timedelta(hours=2), "place": "Mairie"}
    values.update(kwargs)
    return services.meeting_schedule(actor=cell.actor("coordinator"), **values)


class TestSchedule:
    def test_invites_the_group_and_is_audited(self, cell):
        meeting = schedule(cell)
        assert set(meeting.participants.values_list("membership_id", flat=True)) == {
            cell[n].pk for n in GROUP
        }
        entry = AuditEntry.objects.get(
            action=AuditAction.MEETING_SCHEDULED, object_public_id=meeting.public_id
        )
        assert entry.changes["proposed"] == 0

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"ends_at": timezone.now() + datetime.timedelta(days=6)}, "doit suivre"),
            ({"starts_at": timezone.now() - datetime.timedelta(days=2)}, "passée"),
            ({"place": "", "video_link": ""}, "lieu ou un lien"),
            ({"ends_at": timezone.now() + datetime.timedelta(days=8)}, "12 heures"),
        ],
    )
    def test_refuses_what_cannot_be_held(self, cell, change, message):
        with pytest.raises(DomainError, match=message):
            schedule(cell, **change)

    @pytest.mark.parametrize("name", ["referent", "gendarme", "dpo"])
    def test_only_the_coordinator_schedules(self, cell, name):
        with pytest.raises(PermissionDeniedError):
            services.meeting_schedule(
                actor=cell.actor(name),
                starts_at=timezone.now() + datetime.timedelta(days=1),
                ends_at=timezone.now() + datetime.timedelta(days=1, hours=1),
                place="Mairie",
            )

    def test_a_change_needs_the_version_read_and_a_scheduled_meeting(self, cell):
        meeting = schedule(cell)
        values = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "place": "Salle 2"}
        updated = services.meeting_update(
            actor=cell.actor("coordinator"), meeting=meeting, version=meeting.version, **values
        )
        assert (updated.place, updated.version, updated.sequence) == ("Salle 2", 2, 1)
        with pytest.raises(ConflictError, match="pendant que vous la lisiez"):
            services.meeting_update(actor=cell.actor("coordinator"), meeting=meeting, version=1, **values)
        services.meeting_cancel(actor=cell.actor("coordinator"), meeting=meeting, version=2)
        with pytest.raises(DomainError, match="annulée"):
            services.meeting_update(actor=cell.actor("coordinator"), meeting=meeting, version=None, **values)


class TestAgendaProposal:
    def test_proposes_what_needs_examining_with_its_reasons(self, cell):
        coordinator = cell.actor("coordinator")
        previous = cell.open_meeting(cell.situation())
        services.meeting_close(actor=coordinator, meeting=previous, version=None)
        new = cell.situation()
        danger = cell.situation()
        situation_services.situation_danger_set(actor=coordinator, situation=danger, high_danger=True)
        measure = cell.situation()
        day = timezone.localdate()
        measure_record(
            actor=coordinator,
            situation=measure,
            kind="tgd",
            authority="parquet",
            status="in_force",
            starts_on=day - datetime.timedelta(days=150),
            ends_on=day + datetime.timedelta(days=20),
        )
        housed = cell.situation()
        Stay.objects.create(
            unit=make_unit(cell.territory, cell.ccas, "Studio"),
            situation=housed,
            starts_on=day - datetime.timedelta(days=10),
            ends_on=day + datetime.timedelta(days=12),
            status=StayStatus.IN_PROGRESS,
            allocated_by=cell["coordinator"],
            created_at=timezone.now(),
        )
        restricted = cell.situation()
        situation_services.situation_restrict(
            actor=coordinator, situation=restricted, named_users=[], reason="x"
        )
        closed = cell.situation()
        situation_services.situation_close(actor=coordinator, situation=closed, reason="moved_away")
        meeting = schedule(cell)
        proposed = reasons(meeting)
        assert proposed[new.pseudonym] == ["new"]
        assert "danger" in proposed[danger.pseudonym]
        assert "measure_ending" in proposed[measure.pseudonym]
        assert "stay_ending" in proposed[housed.pseudonym]
        assert restricted.pseudonym not in proposed and closed.pseudonym not in proposed
        labels = {
            item.situation.pseudonym: item.reason_labels for item in selectors.agenda(coordinator, meeting)
        }
        assert "Danger grave évalué" in labels[danger.pseudonym]
        assert "Nouvelle situation" in labels[new.pseudonym]
        assert "Mesure de protection bientôt échue" in labels[measure.pseudonym]
        assert "Fin d'hébergement prévue" in labels[housed.pseudonym]

    def test_proposes_what_was_not_examined_for_weeks(self, cell, settings):
        settings.MAILLAGE_MEETING_REVIEW_WEEKS = 4
        situation = cell.situation()
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        services.item_record(
            actor=cell.actor("coordinator"),
            item=item,
            summary="Point fait.",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
            version=None,
        )
        services.meeting_close(actor=cell.actor("coordinator"), meeting=meeting, version=None)
        soon = schedule(cell, starts_at=timezone.now() + datetime.timedelta(days=14))
        assert situation.pseudonym not in reasons(soon)
        later = schedule(cell, starts_at=timezone.now() + datetime.timedelta(weeks=5))
        assert reasons(later)[situation.pseudonym] == ["not_reviewed"]

    def test_an_examined_situation_is_no_longer_proposed_after_its_danger_result(self, cell):
        coordinator = cell.actor("coordinator")
        situation = cell.situation()
        situation_services.situation_danger_set(actor=coordinator, situation=situation, high_danger=True)
        meeting = cell.open_meeting(situation)
        item = meeting.items.get(situation=situation)
        services.item_record(
            actor=coordinator, item=item, summary="Vu.", next_review_on=None, version=item.version
        )
        situation.refresh_from_db()
        assert situation.proposed_for_meeting is None


class TestAgendaEdits:
    def test_add_by_pseudonym_remove_and_move(self, cell):
        coordinator = cell.actor("coordinator")
        meeting = schedule(cell)
        first, second = cell.situation(), cell.situation()
        for situation in (first, second):
            AgendaItem.objects.filter(meeting=meeting, situation=situation).delete()
        a = services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=first.pseudonym.lower())
        b = services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=f" {second.pseudonym} ")
        assert a.reasons == ["added"]
        order = lambda: list(meeting.items.order_by("position", "pk").values_list("situation_id", flat=True))  # noqa: E731
        assert order()[-2:] == [first.pk, second.pk]
        services.agenda_item_move(actor=coordinator, item=b, up=True)
        assert order()[-2:] == [second.pk, first.pk]
        services.agenda_item_remove(actor=coordinator, item=a)
        assert first.pk not in order()
        changes = [
            e.changes["change"] for e in AuditEntry.objects.filter(action=AuditAction.MEETING_AGENDA_CHANGED)
        ]
        assert changes == ["added", "added", "removed"]

    def test_refuses_what_the_meeting_cannot_examine(self, cell):
        coordinator = cell.actor("coordinator")
        restricted, closed, listed = cell.situation(), cell.situation(), cell.situation()
        situation_services.situation_restrict(
            actor=coordinator, situation=restricted, named_users=[], reason="x"
        )
        situation_services.situation_close(actor=coordinator, situation=closed, reason="moved_away")
        meeting = schedule(cell)
        assert meeting.items.filter(situation=listed).exists()  # proposed: new
        for pseudonym, message in (
            (restricted.pseudonym, "accès restreint"),
            (closed.pseudonym, "clôturée"),
            (listed.pseudonym, "déjà à l'ordre du jour"),
            ("S-1999-9999", "Aucune situation"),
        ):
            with pytest.raises(DomainError, match=message):
                services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=pseudonym)

    def test_an_excluded_coordinator_neither_adds_nor_sees_the_situation(self, cell):
        situation = cell.situation()
        other = MembershipFactory(territory=cell.territory, organisation=cell.epci, roles=["coordinator"])
        situation_services.exclusion_add(
            actor=actor_of(other), situation=situation, user=cell["coordinator"].user, reason="Voisin"
        )
        coordinator = cell.actor("coordinator")
        meeting = schedule(cell)
        assert not meeting.items.filter(situation=situation).exists()
        with pytest.raises(DomainError, match="Aucune situation"):
            services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=situation.pseudonym)
        services.agenda_item_add(actor=actor_of(other), meeting=meeting, pseudonym=situation.pseudonym)
        assert situation.pseudonym not in {
            i.situation.pseudonym for i in selectors.agenda(coordinator, meeting)
        }

    def test_a_cancelled_meeting_is_not_edited(self, cell):
        meeting = schedule(cell)
        services.meeting_cancel(actor=cell.actor("coordinator"), meeting=meeting, version=meeting.version)
        assert meeting.__class__.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
        with pytest.raises(DomainError, match="annulée"):
            services.agenda_propose(actor=cell.actor("coordinator"), meeting=meeting)
