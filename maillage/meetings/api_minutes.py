"""API: a meeting's final minutes (ADR 0034), as the page shows them — to the coordinators and the group's
members who accepted the current charter, each item only for those who may see it on the agenda. Before
they are final, and for anyone else, the same 404 as a missing meeting."""

from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from maillage.api.auth import member_auth
from maillage.api.schemas import ErrorOut
from maillage.meetings import policies
from maillage.meetings.enums import MinutesStatus
from maillage.meetings.minutes import final_for
from maillage.situations.policies import SEEING_ROLES

router = Router(tags=["Cellule de suivi"])


class MinutesDecisionOut(Schema):
    text: str
    action: str
    due_on: str = Field(description="Échéance de l'action (JJ/MM/AAAA), vide s'il n'y en a pas.")


class MinutesItemOut(Schema):
    item: UUID
    pseudonym: str
    reasons: list[str]
    examined: bool
    summary: str
    decisions: list[MinutesDecisionOut]
    next_review_on: str


class MinutesOut(Schema):
    title: str
    date: str
    hours: str
    place: str
    present: list[tuple[str, int]] = Field(description="Organisations présentes et nombre de personnes.")
    excused: int
    absent: int
    items: list[MinutesItemOut] = Field(
        description="Les situations examinées, chacune désignée par son pseudonyme ; aucune identité."
    )


@router.get(
    "/meetings/{uuid:public_id}/minutes",
    auth=member_auth(*SEEING_ROLES),
    response={200: MinutesOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    url_name="meeting_minutes",
    summary="Le compte rendu validé d'une réunion",
)
def meeting_minutes(request: HttpRequest, public_id: UUID):
    """Le compte rendu pseudonymisé, une fois validé par la coordination."""
    actor = request.actor
    meeting = policies.access_meeting(actor, public_id)
    minutes = policies.minutes_of(meeting)
    if minutes is None or minutes.status != MinutesStatus.FINAL or not policies.sees_agenda(actor, meeting):
        raise Http404
    return final_for(actor, meeting, minutes)
