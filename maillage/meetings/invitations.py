"""A meeting's invitation: a short e-mail and its calendar attachment (.ics, RFC 5545 with the iTIP method
REQUEST, or CANCEL once cancelled). Neither names anyone nor any situation: "Cellule de suivi", the date,
the place or video link, and a link to the meeting's page (which asks to sign in). Sent once per participant
and calendar sequence (a change of date or place bumps it), under a row lock, so a task run twice sends
once."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from maillage.meetings import policies
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import Meeting, MeetingParticipant

TITLE = "Cellule de suivi"


def meeting_url(meeting: Meeting) -> str:
    return settings.MAILLAGE_BASE_URL + reverse("meetings:detail", args=[meeting.public_id])


def calendar(meeting: Meeting) -> bytes:
    """The meeting as an iCalendar object: one event, the same UID for every update of it."""
    cancelled = meeting.status == MeetingStatus.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//Maillage//Cellule de suivi//FR")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.public_id}@{urlsplit(settings.MAILLAGE_BASE_URL).hostname or 'maillage'}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("sequence", meeting.sequence)
    event.add("summary", TITLE)
    event.add("location", meeting.place or meeting.video_link)
    event.add("url", meeting_url(meeting))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", vCalAddress(f"mailto:{_sender_address()}"))
    cal.add_component(event)
    return cal.to_ical()


def _sender_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _message(meeting: Meeting, to: str) -> EmailMultiAlternatives:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    context = {
        "meeting": meeting,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "url": meeting_url(meeting),
        "cancelled": cancelled,
        "updated": meeting.sequence > 0 and not cancelled,
    }
    subject = (
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        + render_to_string("meetings/email/invitation_subject.txt", context).strip()
    )
    message = EmailMultiAlternatives(
        subject, render_to_string("meetings/email/invitation_message.txt", context), None, [to]
    )
    method = "CANCEL" if cancelled else "REQUEST"
    message.attach(
        "cellule-de-suivi.ics", calendar(meeting), f"text/calendar; method={method}; charset=UTF-8"
    )
    return message


def invitations_send(meeting_id: str) -> int:
    """Sends the invitation (or update, or cancellation) to each participant still in the group who has not
    had this sequence yet; returns how many were sent."""
    meeting = Meeting.objects.filter(public_id=meeting_id).first()
    if meeting is None:
        return 0
    in_group = policies.memberships_invited(meeting).values("pk")
    pending = meeting.participants.filter(
        emailed_sequence__lt=meeting.sequence, membership__in=in_group
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(pending):
        with transaction.atomic():
            participant = (
                MeetingParticipant.objects.select_for_update()
                .select_related("membership__user")
                .filter(pk=pk, emailed_sequence__lt=meeting.sequence)
                .first()
            )
            if participant is None:
                continue
            _message(meeting, participant.membership.user.email).send()
            participant.emailed_sequence = meeting.sequence
            participant.save(update_fields=["emailed_sequence"])
            sent += 1
    return sent
