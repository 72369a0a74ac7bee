"""What the API answers. Only what each endpoint needs: never nominative data of situations."""

import datetime
import re
from typing import Annotated
from uuid import UUID

from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema

from maillage.network.enums import OrganisationKind, ReferentKind, Role

DAY_PATTERN = r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _iso_day(value):
    # pydantic would read 0 as 1970-01-01 and accept years past any date sum (a stay's nights): a day is
    # written AAAA-MM-JJ, from 1900 to 2099.
    if isinstance(value, datetime.date) or (isinstance(value, str) and re.match(DAY_PATTERN, value)):
        return value
    raise ValueError("une date s'écrit AAAA-MM-JJ, de 1900 à 2099")


# Every date the API reads (parameters and bodies); the answers keep `datetime.date`.
Day = Annotated[
    datetime.date,
    BeforeValidator(_iso_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]


# A record's version, as read and sent back (`PositiveIntegerField`: what PostgreSQL's integer holds).
Version = Annotated[int, Field(ge=0, le=2_147_483_647)]


class ValidationIssue(Schema):
    type: str = Field(description="Nature de l'erreur (code de pydantic, par exemple `less_than_equal`).")
    loc: list[str | int] = Field(description="Où : `query`, `path` ou `body`, puis le nom du paramètre.")
    msg: str = Field(description="Pourquoi, en anglais (message de pydantic).")


class ErrorOut(Schema):
    """The one shape of every error the API answers (4xx), validation included (ADR 0047)."""

    detail: str = Field(description="Explication de l'erreur, en français.")
    errors: list[ValidationIssue] | None = Field(
        None,
        description="Seulement quand des paramètres ou le corps sont invalides (422) : un élément par valeur "
        "refusée.",
    )


class OrganisationRef(Schema):
    public_id: UUID
    name: str
    kind: OrganisationKind = Field(description="Type d'organisation.")
    kind_label: str = Field(description="Type d'organisation, en clair.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class TerritoryRef(Schema):
    public_id: UUID
    name: str


class CommuneRef(Schema):
    public_id: UUID
    name: str


class MembershipOut(Schema):
    public_id: UUID
    organisation: OrganisationRef
    territory: TerritoryRef
    roles: list[Role] = Field(description="Rôles tenus dans cette adhésion.")
    communes: list[CommuneRef] = Field(
        description="Communes dont la personne est référente au titre de cette adhésion (vide sinon)."
    )


class UserOut(Schema):
    public_id: UUID
    email: str
    first_name: str
    last_name: str
    is_platform_admin: bool = Field(
        description="Administration technique : aucune adhésion, aucun accès nominatif."
    )


class MeOut(Schema):
    user: UserOut
    active_membership: MembershipOut | None = Field(
        description=(
            "Adhésion au nom de laquelle l'appel agit : celle du jeton, ou celle choisie dans la session."
        )
    )
    memberships: list[MembershipOut] = Field(description="Toutes les adhésions actives de la personne.")


class CommuneOut(Schema):
    public_id: UUID
    name: str
    postal_code: str
    population: int
    insee_code: str = Field(description="Code INSEE, vide s'il n'est pas renseigné.")


class OrganisationOut(OrganisationRef):
    phone: str = Field(description="Téléphone d'accueil public (vide s'il n'est pas renseigné).")
    email: str = Field(description="Courriel de contact public.")
    address: str
    website: str
    opening_hours: str = Field(description="Horaires et modalités d'accueil.")


class ReferentOut(Schema):
    name: str = Field(description="Prénom et nom.")
    kind: ReferentKind = Field(description="Membre du conseil municipal ou agent de la commune.")
    kind_label: str
    organisation: OrganisationRef
    job_title: str
    work_phone: str = Field(description="Téléphone professionnel (vide s'il n'est pas renseigné).")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.membership.user.get_full_name() or obj.membership.user.email

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_organisation(obj):
        return obj.membership.organisation

    @staticmethod
    def resolve_job_title(obj) -> str:
        return obj.membership.job_title

    @staticmethod
    def resolve_work_phone(obj) -> str:
        return obj.membership.work_phone


class DirectoryCommuneOut(CommuneOut):
    referents: list[ReferentOut] = Field(description="Personnes référentes nommées pour la commune.")

    @staticmethod
    def resolve_referents(obj):
        return obj.active_referents


class EmergencyNumberOut(Schema):
    number: str = Field(description="Numéro tel qu'il s'écrit, par exemple « 116 006 ».")
    dial: str = Field(description="Chiffres à composer.")
    label: str
    description: str
    sms: bool = Field(description="Joignable par SMS plutôt que par appel.")


class DirectoryOut(Schema):
    emergency_numbers: list[EmergencyNumberOut]
    organisations: list[OrganisationOut] = Field(description="Partenaires actifs du territoire.")
    communes: list[DirectoryCommuneOut]
