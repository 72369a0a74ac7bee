"""Reading a meeting's agenda: each item the reader may see (none behind the charter gate), and for the
situations the reader may open now, what was said of them — each such read recorded on the situation, as
the situation's own pages record theirs."""

from maillage.meetings import policies, selectors
from maillage.meetings.models import Meeting
from maillage.network.actor import Actor
from maillage.situations.models import Situation
from maillage.situations.services import situation_view_record


def agenda_read(*, actor: Actor, meeting: Meeting) -> dict:
    """`items` (each with `can_open` and its reason labels) and `sees_agenda`: what the meeting's page and
    the API detail show."""
    items = selectors.agenda(actor, meeting)
    openable = set(
        Situation.objects.visible_to(actor)
        .filter(pk__in=[item.situation_id for item in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.can_open = item.situation_id in openable
        if item.can_open and (item.summary or item.decisions.all()):
            situation_view_record(actor=actor, situation=item.situation, part="meeting")
    return {"items": items, "sees_agenda": policies.sees_agenda(actor, meeting)}
