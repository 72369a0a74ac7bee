"""What the action plan's API reads and answers (the models' own fields and choices). Nothing nominative:
organisations, figures, and progress updates signed by the professional who wrote them."""

import datetime
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from maillage.actionplan.enums import ActionStatus, ContributionKind
from maillage.api.schemas import Day, OrganisationRef


class AxisOut(Schema):
    public_id: UUID
    number: int
    title: str
    description: str


class AxisRef(Schema):
    public_id: UUID
    number: int
    title: str


class ActionOut(Schema):
    public_id: UUID
    axis: AxisRef
    title: str
    description: str
    lead_organisation: OrganisationRef = Field(description="Organisation pilote.")
    starts_on: datetime.date | None
    ends_on: datetime.date | None = Field(description="Fin prévue.")
    status: ActionStatus
    status_label: str
    last_update_on: datetime.date | None = Field(description="Date du dernier point d'avancement.")
    targets: int = Field(description="Indicateurs qui ont une cible.")
    targets_reached: int = Field(description="Parmi eux, ceux dont le réalisé atteint la cible.")
    version: int = Field(description="Change à chaque modification de l'action (modifications concurrentes).")

    @staticmethod
    def resolve_status_label(action) -> str:
        return action.get_status_display()


class IndicatorOut(Schema):
    public_id: UUID
    label: str
    unit: str
    target: Decimal | None
    actual: Decimal | None


class BudgetLineOut(Schema):
    public_id: UUID
    year: int
    label: str
    planned: Decimal = Field(description="Montant prévu, en euros.")
    spent: Decimal | None = Field(description="Montant dépensé, en euros.")


class ContributionOut(Schema):
    public_id: UUID
    organisation: OrganisationRef
    year: int
    kind: ContributionKind
    kind_label: str
    amount: Decimal | None = Field(
        description="Montant (financement) ou valeur (locaux, en nature), en euros."
    )
    hours: Decimal | None = Field(description="Heures de personnel.")
    description: str

    @staticmethod
    def resolve_kind_label(contribution) -> str:
        return contribution.get_kind_display()


class ProgressOut(Schema):
    public_id: UUID
    written_on: datetime.date
    text: str
    status: ActionStatus = Field(description="État de l'action une fois ce point écrit.")
    author: str = Field(description="Nom de la personne qui l'a écrit.")
    author_organisation: str

    @staticmethod
    def resolve_author(update) -> str:
        user = update.author.user
        return user.get_full_name() or user.email

    @staticmethod
    def resolve_author_organisation(update) -> str:
        return update.author.organisation.name


class ActionDetailOut(ActionOut):
    """Read from an action carrying `detail` (selectors.action_detailed), `can_update` and
    `statuses_allowed`."""

    partners: list[OrganisationRef]
    indicators: list[IndicatorOut]
    budget_lines: list[BudgetLineOut]
    contributions: list[ContributionOut]
    progress_updates: list[ProgressOut] = Field(description="Du plus récent au plus ancien.")
    can_update: bool = Field(
        description="Vrai si l'adhésion peut noter l'avancement (coordination, organisation pilote)."
    )
    statuses_allowed: list[ActionStatus] = Field(
        description="États que l'adhésion peut donner à l'action avec un point d'avancement (vide sinon)."
    )

    @staticmethod
    def resolve_partners(action):
        return action.detail["partners"]

    @staticmethod
    def resolve_indicators(action):
        return action.detail["indicators"]

    @staticmethod
    def resolve_budget_lines(action):
        return action.detail["budget_lines"]

    @staticmethod
    def resolve_contributions(action):
        return action.detail["contributions"]

    @staticmethod
    def resolve_progress_updates(action):
        return action.detail["progress_updates"]


class ActionFilters(Schema):
    axis: UUID | None = Field(None, description="Identifiant d'un axe.")
    status: ActionStatus | None = None
    lead_organisation: UUID | None = Field(None, description="Identifiant de l'organisation pilote.")


class ProgressIn(Schema):
    written_on: Day = Field(description="Date du point (pas dans le futur).")
    text: str = Field(
        min_length=1, max_length=5000, description="Ce qui a été fait. Aucune information sur une victime."
    )
    status: ActionStatus | None = Field(
        None, description="Nouvel état de l'action, parmi `statuses_allowed` ; vide : inchangé."
    )
