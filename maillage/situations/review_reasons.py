"""Why a situation should be examined together soon: reasons registered by the apps that hold the facts (a
danger result here, a protective measure ending in `protection`, a stay ending in `housing`), read by the
coordination meetings to propose their agenda. Situations imports no feature app and the feature apps are
independent of each other (ADR 0015): each registers its reason in its AppConfig.ready(), as it registers
its alert kinds with the notifications app.

A finder answers, for a territory and a day, the ids of the situations this reason proposes up to that
day, as a query (a sub-query of the agenda's one query per reason)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

Finder = Callable[[int, datetime.date], QuerySet]


@dataclass(frozen=True)
class ReviewReason:
    code: str
    label: str
    find: Finder


_reasons: dict[str, ReviewReason] = {}


def register(code: str, label: str, find: Finder) -> None:
    _reasons[code] = ReviewReason(code, label, find)


def reasons() -> list[ReviewReason]:
    return list(_reasons.values())


def label(code: str) -> str | None:
    return _reasons[code].label if code in _reasons else None


def proposed_after_danger(territory_id: int, until: datetime.date) -> QuerySet:
    """Situations a danger assessment proposed for the next meeting (`Situation.proposed_for_meeting`)."""
    from maillage.situations.models import Situation

    return Situation.objects.filter(
        territory_id=territory_id, proposed_for_meeting__isnull=False, proposed_for_meeting__lte=until
    ).values("pk")
