"""Reads of the coordination meetings, always from their policy (policies.py) and, for situations, from the
one situation policy (`Situation.objects.visible_to`)."""

import datetime

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from maillage.meetings import policies
from maillage.meetings.enums import AgendaReason, MeetingStatus
from maillage.meetings.models import AgendaItem, Meeting
from maillage.network.actor import Actor
from maillage.situations import review_reasons
from maillage.situations.enums import SituationStatus
from maillage.situations.models import Situation


def meetings_listed(actor: Actor):
    """The meetings the actor may see, next ones first then past ones (most recent first)."""
    return policies.meetings_visible_to(actor).order_by("-starts_at", "-pk")


def upcoming(meetings):
    now = timezone.now()
    return (
        meetings.filter(ends_at__gte=now)
        .exclude(status__in=[MeetingStatus.CLOSED])
        .order_by("starts_at", "pk")
    )


def past(meetings):
    now = timezone.now()
    return meetings.filter(Q(ends_at__lt=now) | Q(status=MeetingStatus.CLOSED)).order_by("-starts_at", "-pk")


def reason_label(code: str) -> str:
    if code in AgendaReason.values:
        return AgendaReason(code).label
    return review_reasons.label(code) or code


def last_reviews():
    """The last time each situation was examined at a meeting (a sub-query on the situation)."""
    return Subquery(
        AgendaItem.objects.filter(situation=OuterRef("pk"), reviewed_at__isnull=False)
        .values("situation")
        .annotate(last=Max("reviewed_at"))
        .values("last")[:1]
    )


def agenda_proposals(actor: Actor, meeting: Meeting) -> dict[int, list[str]]:
    """Situation id → why it should be examined at this meeting: what the apps registered (a danger result,
    a measure or a stay ending before the meeting's day plus `MAILLAGE_MEETING_HORIZON_DAYS`), the
    situations new since the last meeting held, and those not examined for `MAILLAGE_MEETING_REVIEW_WEEKS`.
    Only open, unrestricted situations the actor (the coordinator) sees. One query per reason."""
    day = timezone.localtime(meeting.starts_at).date()
    until = day + datetime.timedelta(days=settings.MAILLAGE_MEETING_HORIZON_DAYS)
    candidates = (
        Situation.objects.visible_to(actor)
        .filter(restricted=False)
        .exclude(status=SituationStatus.CLOSED)
        .exclude(pk__in=AgendaItem.objects.filter(meeting=meeting).values("situation_id"))
    )
    found: dict[int, list[str]] = {}

    def add(code, ids):
        for pk in ids:
            found.setdefault(pk, []).append(code)

    for reason in review_reasons.reasons():
        add(
            reason.code,
            candidates.filter(pk__in=reason.find(meeting.territory_id, until)).values_list("pk", flat=True),
        )
    previous = (
        Meeting.objects.filter(
            territory_id=meeting.territory_id, status=MeetingStatus.CLOSED, starts_at__lt=meeting.starts_at
        )
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    reviewed = candidates.annotate(last_review=last_reviews())
    new = reviewed.filter(last_review__isnull=True)
    new = new.filter(created_at__gte=previous) if previous else new.filter(status=SituationStatus.NEW)
    add(AgendaReason.NEW, new.values_list("pk", flat=True))
    limit = meeting.starts_at - datetime.timedelta(weeks=settings.MAILLAGE_MEETING_REVIEW_WEEKS)
    stale = reviewed.filter(
        Q(last_review__lt=limit) | Q(last_review__isnull=True, created_at__lt=limit)
    ).values_list("pk", flat=True)
    add(AgendaReason.NOT_REVIEWED, stale)
    return found


def agenda(actor: Actor, meeting: Meeting) -> list[AgendaItem]:
    """The items this reader may see, in order, each with its reason labels and decisions."""
    items = list(
        policies.agenda_items_visible_to(actor, meeting)
        .select_related("situation__commune")
        .prefetch_related("decisions__task__owner__user")
        .order_by("position", "pk")
    )
    for item in items:
        item.reason_labels = [reason_label(code) for code in item.reasons]
    return items
