"""Invitations: one e-mail per member of the group, through the task queue, with an .ics attachment that a
calendar library reads back (METHOD:REQUEST, the event's start, end, UID, summary and location); an update
keeps the UID with a higher SEQUENCE, a cancellation says CANCEL. Neither the e-mail nor the calendar names
anyone or any situation."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from maillage.meetings import services
from tests.meetings.worlds import GROUP
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(cell):
    run_queued_tasks()  # the alerts of the world's own setup…
    mail.outbox.clear()  # …are not counted here
    return mail.outbox


def calendar_of(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "cellule-de-suivi.ics"
    assert mimetype.startswith("text/calendar; method=")
    return Calendar.from_ical(content)


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def schedule(cell):
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    return services.meeting_schedule(
        actor=cell.actor("coordinator"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        place="Salle du conseil",
        video_link="https://visio.example.test/cellule",
        note="Apporter les dossiers.",
    )


def reported(cell, outbox):
    """A situation whose report alerts are sent and left out of the count."""
    situation = cell.situation()
    run_queued_tasks()
    outbox.clear()
    return situation


def test_each_member_gets_one_invitation_that_parses_back(cell, outbox):
    situation = reported(cell, outbox)
    meeting = schedule(cell)
    assert meeting.items.filter(situation=situation).exists()
    assert not outbox, "nothing leaves before the worker runs the queue"
    run_queued_tasks()
    assert sorted(m.to[0] for m in outbox) == sorted(cell[name].user.email for name in GROUP)
    message = outbox[0]
    assert (
        message.subject == f"[Maillage] Cellule de suivi du {timezone.localtime(meeting.starts_at):%d/%m/%Y}"
    )
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = event_of(calendar)
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["UID"]).startswith(str(meeting.public_id))
    assert str(event["SUMMARY"]) == "Cellule de suivi"
    assert str(event["LOCATION"]) == "Salle du conseil"
    assert int(event["SEQUENCE"]) == 0
    assert str(meeting.public_id) in str(event["URL"])


def test_the_invitation_names_no_one_and_no_situation(cell, outbox):
    situation = reported(cell, outbox)
    schedule(cell)
    run_queued_tasks()
    forbidden = [situation.pseudonym, "Mouchamps", "Camille", "Exemple", "Apporter les dossiers"]
    forbidden += [str(cell[name].user) for name in GROUP]
    for message in outbox:
        attachment = message.attachments[0][1]
        ics = attachment.decode() if isinstance(attachment, bytes) else attachment
        text = " ".join([message.subject, message.body, ics])
        assert not [word for word in forbidden if word in text], message.to


def test_a_task_run_twice_sends_once(cell, outbox):
    meeting = schedule(cell)
    run_queued_tasks()
    sent = len(outbox)
    services.meeting_invite_members(actor=cell.actor("coordinator"), meeting=meeting)
    run_queued_tasks()
    assert len(outbox) == sent == len(GROUP)


def test_a_change_of_place_updates_the_same_event_and_a_cancellation_removes_it(cell, outbox):
    meeting = schedule(cell)
    run_queued_tasks()
    uid = str(event_of(calendar_of(outbox[0]))["UID"])
    outbox.clear()
    meeting = services.meeting_update(
        actor=cell.actor("coordinator"),
        meeting=meeting,
        version=meeting.version,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place="Mairie, salle 2",
        video_link="",
    )
    run_queued_tasks()
    assert len(outbox) == len(GROUP)
    assert outbox[0].subject.startswith("[Maillage] Modifiée : cellule de suivi")
    event = event_of(calendar_of(outbox[0]))
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["LOCATION"])) == (uid, 1, "Mairie, salle 2")
    outbox.clear()
    services.meeting_cancel(actor=cell.actor("coordinator"), meeting=meeting, version=meeting.version)
    run_queued_tasks()
    assert len(outbox) == len(GROUP)
    calendar = calendar_of(outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event_of(calendar)["STATUS"]) == "CANCELLED"
    assert str(event_of(calendar)["UID"]) == uid


def test_a_member_added_later_is_invited_to_the_meetings_to_come(cell, outbox):
    schedule(cell)
    run_queued_tasks()
    outbox.clear()
    services.group_member_add(actor=cell.actor("coordinator"), membership=cell["ccas"])
    run_queued_tasks()
    assert [m.to[0] for m in outbox] == [cell["ccas"].user.email]
