"""API: the danger grids, and the assessments of a situation under the situation's policy (the same as
the pages): a situation missing or hidden answers 404, alike; each read of assessments is recorded as a
read of the situation; writes go through the service, which checks permissions again."""

import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from maillage.api.auth import member_auth
from maillage.api.schemas import Day, ErrorOut
from maillage.assessments import selectors, services
from maillage.assessments.enums import Level
from maillage.assessments.models import Grid
from maillage.errors import DomainError
from maillage.situations import policies as situation_policies
from maillage.situations import services as situation_services
from maillage.situations.policies import SEEING_ROLES

router = Router(tags=["Évaluations du danger"])

DENIED = {401: ErrorOut, 403: ErrorOut}
NOT_FOUND = {404: ErrorOut}


class QuestionOut(Schema):
    number: int = Field(description="Numéro de la question : les réponses s'y rapportent.")
    block: str = Field(description="Partie de la grille.")
    text: str
    red: bool = Field(description="Question rouge.")


class GridOut(Schema):
    public_id: UUID = Field(description="Identifiant de cette version de la grille.")
    code: str
    version: int
    title: str
    provisional: bool = Field(description="Formulation à valider par les partenaires du territoire.")
    high_at_yes: int = Field(description="Danger grave à partir de ce nombre de « oui ».")
    high_at_red: int | None = Field(
        description="Danger grave à partir de ce nombre de questions rouges à « oui »."
    )
    medium_at_yes: int | None = Field(description="Niveau moyen à partir de ce nombre de « oui ».")
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(grid) -> list:
        return list(grid.questions.all())


class AssessmentOut(Schema):
    public_id: UUID
    situation: UUID
    grid: str = Field(description="Code de la grille.")
    grid_version: int
    assessed_on: datetime.date
    assessor: str = Field(description="Organisation de la personne qui a évalué.")
    answers: dict[int, bool] = Field(description="Réponse à chaque question, par numéro (true : oui).")
    yes_count: int
    red_count: int
    computed_level: Level
    override_level: Level | None
    override_reason: str
    final_level: Level

    @staticmethod
    def resolve_situation(assessment) -> UUID:
        return assessment.situation.public_id

    @staticmethod
    def resolve_grid(assessment) -> str:
        return assessment.grid.code

    @staticmethod
    def resolve_grid_version(assessment) -> int:
        return assessment.grid.version

    @staticmethod
    def resolve_assessor(assessment) -> str:
        return assessment.assessor.organisation.name

    @staticmethod
    def resolve_answers(assessment) -> dict[int, bool]:
        return {int(number): answer for number, answer in assessment.answers.items()}

    @staticmethod
    def resolve_override_level(assessment) -> str | None:
        return assessment.override_level or None


class AssessmentIn(Schema):
    situation: UUID = Field(description="Identifiant de la situation évaluée.")
    grid: str = Field(
        max_length=40, description="Code d'une grille du territoire (sa version en vigueur est utilisée)."
    )
    answers: dict[int, bool] = Field(
        description="Une réponse par question, par numéro (true : oui).",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]{1,4}$"}},
    )
    assessed_on: Day | None = Field(None, description="Date de l'évaluation (aujourd'hui par défaut).")
    override_level: Level | None = Field(None, description="Niveau retenu par jugement professionnel.")
    override_reason: str = Field(
        "", max_length=2000, description="Son motif (obligatoire avec un niveau retenu)."
    )


class AssessmentFilters(Schema):
    situation: UUID = Field(description="Identifiant de la situation.")


@router.get(
    "/grids",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[GridOut], **DENIED},
    url_name="grids",
    summary="Grilles d'évaluation du danger",
)
def grid_list(request: HttpRequest):
    """Les grilles que le territoire utilise, dans leur version en vigueur, avec leurs questions."""
    return list(selectors.grids_with_questions(request.actor.territory))


@router.get(
    "/assessments",
    auth=member_auth(*SEEING_ROLES),
    response={200: list[AssessmentOut], **DENIED, **NOT_FOUND},
    url_name="assessments",
    summary="Évaluations du danger d'une situation",
)
def assessment_list(request: HttpRequest, filters: Query[AssessmentFilters]):
    """Les évaluations d'une situation visible, la plus récente d'abord. Chaque lecture est enregistrée au
    journal, comme celle de la page. Une situation inexistante ou non visible répond 404, sans distinction."""
    actor = request.actor
    situation = situation_policies.access_situation(actor, filters.situation)
    situation_services.situation_view_record(actor=actor, situation=situation, part="assessments")
    return list(selectors.assessments_of(situation).select_related("situation"))


@router.post(
    "/assessments",
    auth=member_auth(*SEEING_ROLES),
    response={201: AssessmentOut, 400: ErrorOut, **DENIED, **NOT_FOUND},
    url_name="assessment_record",
    summary="Évaluer le danger",
)
def assessment_record(request: HttpRequest, payload: AssessmentIn):
    """Enregistre une évaluation : une réponse à chaque question de la grille. Un résultat « danger grave »
    marque la situation, la propose pour la prochaine réunion et prévient sa coordination. Réservé à la
    coordination et aux organisations qui suivent la situation. Exige le droit d'écriture."""
    actor = request.actor
    situation = situation_policies.access_situation(actor, payload.situation)
    grid = Grid.objects.for_territory(situation.territory).filter(code=payload.grid).first()
    if grid is None:
        raise DomainError("Cette grille n'est pas utilisée sur votre territoire.")
    assessment = services.assessment_record(
        actor=actor,
        situation=situation,
        grid=grid,
        answers=payload.answers,
        assessed_on=payload.assessed_on,
        override_level=payload.override_level or "",
        override_reason=payload.override_reason,
    )
    return Status(201, selectors.assessments_of(situation).select_related("situation").get(pk=assessment.pk))
