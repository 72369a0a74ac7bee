"""What the measures API reads and answers (the models' own fields and choices)."""

import datetime
from uuid import UUID

from ninja import Field, Schema

from maillage.api.schemas import Day, Version
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus

DATES = {
    "requested_on": "Date de la demande (pas dans le futur).",
    "decided_on": "Date de la décision (pas avant la demande).",
    "starts_on": "Début de la mesure ; obligatoire en vigueur ou terminée.",
    "ends_on": "Fin de la mesure. Vide pour une mesure en vigueur : 6 mois pour un TGD, 12 mois pour une "
    "ordonnance de protection.",
}


class MeasureOut(Schema):
    public_id: UUID
    kind: MeasureKind
    kind_label: str
    authority: Authority
    authority_label: str
    status: MeasureStatus
    status_label: str
    requested_on: datetime.date | None
    decided_on: datetime.date | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    recorded_by_organisation: str = Field(description="Organisation qui a enregistré la mesure.")
    version: int = Field(description="À renvoyer pour modifier la mesure (modifications concurrentes).")

    @staticmethod
    def resolve_kind_label(measure) -> str:
        return measure.get_kind_display()

    @staticmethod
    def resolve_authority_label(measure) -> str:
        return measure.get_authority_display()

    @staticmethod
    def resolve_status_label(measure) -> str:
        return measure.get_status_display()

    @staticmethod
    def resolve_recorded_by_organisation(measure) -> str:
        return measure.recorded_by.organisation.name


class MeasureIn(Schema):
    kind: MeasureKind
    authority: Authority
    status: MeasureStatus
    requested_on: Day | None = Field(None, description=DATES["requested_on"])
    decided_on: Day | None = Field(None, description=DATES["decided_on"])
    starts_on: Day | None = Field(None, description=DATES["starts_on"])
    ends_on: Day | None = Field(None, description=DATES["ends_on"])


class MeasureUpdateIn(MeasureIn):
    version: Version = Field(
        description="La version lue ; une version dépassée répond 409 sans rien changer."
    )
