"""What the prevention API reads and answers (the models' own fields and choices)."""

import datetime
import re
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema

from maillage.api.schemas import CommuneRef, Day, OrganisationRef
from maillage.prevention.enums import Audience, EventKind, TrainingTopic


class EventOut(Schema):
    public_id: UUID
    title: str
    kind: EventKind
    kind_label: str
    held_on: datetime.date
    ends_on: datetime.date | None = Field(description="Dernier jour d'une campagne ; vide sinon.")
    commune: CommuneRef | None = Field(description="Vide : tout le territoire.")
    audience: Audience
    audience_label: str
    people_reached: int | None = Field(description="Vide pour une action à venir.")
    organisations: list[OrganisationRef]
    materials: str
    description: str
    version: int = Field(description="La version de l'action (modifications concurrentes).")

    @staticmethod
    def resolve_kind_label(event) -> str:
        return event.get_kind_display()

    @staticmethod
    def resolve_audience_label(event) -> str:
        return event.get_audience_display()

    @staticmethod
    def resolve_organisations(event) -> list:
        return list(event.organisations.all())


class EventIn(Schema):
    title: str = Field(max_length=200)
    kind: EventKind
    held_on: Day = Field(description="La date de l'action ; pour une campagne, son premier jour.")
    ends_on: Day | None = Field(None, description="Pour une campagne seulement : son dernier jour.")
    commune: UUID | None = Field(None, description="Une commune du territoire ; vide : tout le territoire.")
    audience: Audience
    people_reached: int | None = Field(
        None,
        ge=0,
        le=1_000_000,
        description="Obligatoire pour une action passée ; vide pour une action à venir.",
    )
    organisations: list[UUID] = Field(
        [],
        description=(
            "Organisations du territoire impliquées. Celle de l'adhésion y est toujours ajoutée, sauf pour "
            "la coordination."
        ),
    )
    materials: str = Field("", max_length=300)
    description: str = Field("", max_length=3000)


class AttendanceOut(Schema):
    organisation: OrganisationRef
    attendees: int


class TrainingOut(Schema):
    public_id: UUID
    title: str
    topic: TrainingTopic
    topic_label: str
    held_on: datetime.date
    hours: Decimal = Field(description="Durée en heures, au dixième.")
    commune: CommuneRef | None
    trainer_organisations: list[OrganisationRef]
    trainers: str
    attendances: list[AttendanceOut] = Field(description="Participants par organisation.")
    attendees: int = Field(description="Nombre total de participants.")
    version: int

    @staticmethod
    def resolve_topic_label(training) -> str:
        return training.get_topic_display()

    @staticmethod
    def resolve_trainer_organisations(training) -> list:
        return list(training.trainer_organisations.all())

    @staticmethod
    def resolve_attendances(training) -> list:
        return list(training.attendances.all())

    @staticmethod
    def resolve_attendees(training) -> int:
        return sum(attendance.attendees for attendance in training.attendances.all())


HOURS_PATTERN = r"^(100(\.0)?|[1-9][0-9]?(\.[0-9])?|0\.[1-9])$"


def _tenths(value):
    # A decimal number travels as a string ("3.5"), or as a whole number: a float (0.30000000000000004)
    # has no exact tenths.
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if whole and not isinstance(value, bool) and 1 <= value <= 100:
        return Decimal(int(value))
    if isinstance(value, str) and re.match(HOURS_PATTERN, value):
        return Decimal(value)
    raise ValueError("une durée s'écrit en heures au dixième, de 0.1 à 100 (par exemple « 3.5 »)")


Hours = Annotated[
    Decimal,
    BeforeValidator(_tenths),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": HOURS_PATTERN},
                {"type": "integer", "minimum": 1, "maximum": 100},
            ]
        }
    ),
]


class AttendanceIn(Schema):
    organisation: UUID = Field(description="Une organisation du territoire, une seule fois par formation.")
    attendees: int = Field(ge=1, le=1000)


class TrainingIn(Schema):
    title: str = Field(max_length=200)
    topic: TrainingTopic
    held_on: Day = Field(description="La date de la session, déjà tenue.")
    hours: Hours = Field(description="Durée en heures, au dixième, de 0.1 à 100.")
    commune: UUID | None = None
    trainer_organisations: list[UUID] = Field(
        [],
        description=(
            "Organisations du territoire qui ont donné la formation. Celle de l'adhésion y est toujours "
            "ajoutée, sauf pour la coordination."
        ),
    )
    trainers: str = Field("", max_length=300)
    attendances: list[AttendanceIn] = Field(min_length=1, description="Au moins une organisation.")
