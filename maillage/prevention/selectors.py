"""What the pages and the API read: the events and trainings an actor sees, narrowed by the list's filters,
and their totals counted once over the same filtered set (policies.py decides what is seen)."""

from dataclasses import dataclass

from django.db.models import Count, Sum

from maillage.network.actor import Actor
from maillage.prevention import policies
from maillage.prevention.models import TrainingAttendance

# The commune filter's value for the events held across the whole territory (no commune).
WHOLE_TERRITORY = "territoire"


@dataclass(frozen=True)
class EventFilters:
    year: int | None = None
    kind: str = ""
    commune: str = ""  # a commune's public id, WHOLE_TERRITORY, or "" for every one


@dataclass(frozen=True)
class TrainingFilters:
    year: int | None = None
    topic: str = ""


def _events_filtered(actor: Actor | None, filters: EventFilters):
    events = policies.events_visible_to(actor)
    if filters.year:
        events = events.filter(held_on__year=filters.year)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.commune == WHOLE_TERRITORY:
        events = events.filter(commune__isnull=True)
    elif filters.commune:
        events = events.filter(commune__public_id=filters.commune)
    return events


def events_listed(actor: Actor | None, filters: EventFilters = EventFilters()):
    """The events the actor sees that pass the filters, most recent first, with their commune and
    organisations (two queries once evaluated)."""
    return (
        _events_filtered(actor, filters)
        .select_related("commune")
        .prefetch_related("organisations")
        .order_by("-held_on", "-pk")
    )


def event_totals(actor: Actor | None, filters: EventFilters = EventFilters()) -> dict:
    """{"events": how many, "people": people reached} over the same filtered set, in one query."""
    totals = _events_filtered(actor, filters).aggregate(events=Count("pk"), people=Sum("people_reached"))
    return {"events": totals["events"], "people": totals["people"] or 0}


def _trainings_filtered(actor: Actor | None, filters: TrainingFilters):
    trainings = policies.trainings_visible_to(actor)
    if filters.year:
        trainings = trainings.filter(held_on__year=filters.year)
    if filters.topic:
        trainings = trainings.filter(topic=filters.topic)
    return trainings


def trainings_listed(actor: Actor | None, filters: TrainingFilters = TrainingFilters()):
    """The trainings the actor sees that pass the filters, most recent first, each with its number of
    attendees (`attendees_total`) and the organisations that gave it (two queries once evaluated)."""
    return (
        _trainings_filtered(actor, filters)
        .select_related("commune")
        .prefetch_related("trainer_organisations")
        .annotate(attendees_total=Sum("attendances__attendees"))
        .order_by("-held_on", "-pk")
    )


def training_totals(actor: Actor | None, filters: TrainingFilters = TrainingFilters()) -> dict:
    """{"sessions", "hours", "attendees", "organisations"} over the same filtered set: the organisations are
    those that sent someone, each counted once. Two queries (sessions and hours; then the attendance)."""
    trainings = _trainings_filtered(actor, filters)
    sessions = trainings.aggregate(sessions=Count("pk"), hours=Sum("hours"))
    attendance = TrainingAttendance.objects.filter(training__in=trainings.values("pk")).aggregate(
        attendees=Sum("attendees"), organisations=Count("organisation", distinct=True)
    )
    return {
        "sessions": sessions["sessions"],
        "hours": sessions["hours"] or 0,
        "attendees": attendance["attendees"] or 0,
        "organisations": attendance["organisations"],
    }


def event_years(actor: Actor | None) -> list[int]:
    """The years the actor's events were held in, most recent first (the year filter's choices)."""
    return [day.year for day in policies.events_visible_to(actor).dates("held_on", "year", order="DESC")]


def training_years(actor: Actor | None) -> list[int]:
    return [day.year for day in policies.trainings_visible_to(actor).dates("held_on", "year", order="DESC")]
