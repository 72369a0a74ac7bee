"""What the situations API reads and answers. Answers read the model objects themselves (the read model of
`services.situation_read`, shared with the situation page); resolvers give labels and references.

Lists carry the pseudonym only. A person's identity (names, birth date, phone, e-mail, address, code words)
appears in a detail answer only when the read showed identities (`Situation.identities_visible`, set by
`services.situation_read` from `policies.can_view_identity`); otherwise `identity` is null.
"""

import datetime
from uuid import UUID

from ninja import Field, Schema

from maillage.api.schemas import CommuneRef, Day, OrganisationRef
from maillage.situations import selectors
from maillage.situations.enums import (
    ClosureReason,
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    LegalGround,
    NoteVisibility,
    ParticipationReason,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
    ViolenceType,
)


class MemberRef(Schema):
    public_id: UUID = Field(description="Identifiant de l'adhésion (personne au sein d'une organisation).")
    name: str = Field(description="Prénom et nom du ou de la intervention professionnelle.")
    organisation: str = Field(description="Nom de son organisation.")

    @staticmethod
    def resolve_name(membership) -> str:
        return membership.user.get_full_name() or membership.user.email

    @staticmethod
    def resolve_organisation(membership) -> str:
        return membership.organisation.name


class SituationListOut(Schema):
    public_id: UUID
    pseudonym: str = Field(description="Pseudonyme de la situation, par exemple « S-2026-0042 ».")
    commune: CommuneRef
    detected_on: datetime.date = Field(description="Date du repérage.")
    status: SituationStatus
    status_label: str
    urgent: bool = Field(description="Danger immédiat signalé.")
    high_danger: bool = Field(description="Danger grave établi par la dernière évaluation du danger.")
    restricted: bool = Field(description="Accès restreint à la coordination et aux personnes nommées.")
    sources: list[DetectionSource] = Field(description="Sources du repérage.")
    violence_types: list[ViolenceType]
    updated_at: datetime.datetime

    @staticmethod
    def resolve_status_label(situation) -> str:
        return situation.get_status_display()


class ParticipationOut(Schema):
    organisation: OrganisationRef
    reason: ParticipationReason
    reason_label: str
    legal_ground: LegalGround = Field(description="Fondement du partage avec cette organisation.")
    legal_ground_label: str
    added_at: datetime.datetime

    @staticmethod
    def resolve_reason_label(participation) -> str:
        return participation.get_reason_display()

    @staticmethod
    def resolve_legal_ground_label(participation) -> str:
        return participation.get_legal_ground_display()


class ConsentOut(Schema):
    answer: ConsentAnswer
    answer_label: str
    organisations: list[OrganisationRef] = Field(
        description="Organisations avec lesquelles la victime accepte le partage (vide : tout le réseau)."
    )
    recorded_on: datetime.date
    recorded_by: MemberRef

    @staticmethod
    def resolve_answer_label(consent) -> str:
        return consent.get_answer_display()

    @staticmethod
    def resolve_organisations(consent) -> list:
        return sorted(consent.organisations.all(), key=lambda o: o.name)


class SafeContactOut(Schema):
    channel: ContactChannel
    channel_label: str
    allowed: bool = Field(description="Ce moyen de contact est sans danger pour la victime.")
    safe_hours: str = Field(description="Horaires où le contact est sans danger (vide : non précisé).")
    code_word: str | None = Field(
        description="Mot de passe convenu ; null pour qui ne peut pas voir les identités."
    )

    @staticmethod
    def resolve_channel_label(contact) -> str:
        return contact.get_channel_display()

    @staticmethod
    def resolve_code_word(contact) -> str | None:
        return contact.code_word if _identities_shown(contact.person) else None


def _identities_shown(person) -> bool:
    """Whether the read that loaded this person showed identities. `person.situation` is the situation
    `services.situation_read` marked (cached by the prefetch): an unmarked one fails, it never shows."""
    return person.situation.identities_visible


class IdentityOut(Schema):
    first_name: str
    last_name: str
    birth_name: str = Field(description="Nom de naissance (vide s'il n'est pas renseigné).")
    birth_date: datetime.date | None
    phone: str
    email: str
    address: str


class PersonOut(Schema):
    public_id: UUID
    role: PersonRole
    role_label: str
    sex: Sex
    age: int | None
    identity: IdentityOut | None = Field(
        description="Identité, seulement pour qui a le droit de la voir (null sinon)."
    )
    safe_contacts: list[SafeContactOut] = Field(description="Préférences de contact sûr (victimes).")

    @staticmethod
    def resolve_role_label(person) -> str:
        return person.get_role_display()

    @staticmethod
    def resolve_identity(person):
        return person if _identities_shown(person) else None

    @staticmethod
    def resolve_safe_contacts(person) -> list:
        return sorted(person.safe_contacts.all(), key=lambda c: c.channel)


class TimelineEntryOut(Schema):
    public_id: UUID
    kind: TimelineKind
    kind_label: str
    visibility: NoteVisibility
    visibility_label: str
    medical: bool = Field(description="Information médicale (reste dans l'organisation sans consentement).")
    channel: ContactChannel | None = Field(description="Moyen utilisé pour un contact avec la victime.")
    body: str
    occurred_on: datetime.date
    author: MemberRef
    created_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(entry) -> str:
        return entry.get_kind_display()

    @staticmethod
    def resolve_visibility_label(entry) -> str:
        return entry.get_visibility_display()

    @staticmethod
    def resolve_channel(entry) -> str | None:
        return entry.channel or None


class TaskOut(Schema):
    public_id: UUID
    title: str
    owner: MemberRef
    due_on: datetime.date
    done: bool
    overdue: bool = Field(description="Échéance dépassée et tâche non faite.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_done(task) -> bool:
        return task.done_at is not None


class SituationDetailOut(SituationListOut):
    closure_reason: ClosureReason | None
    closure_reason_label: str
    closed_at: datetime.datetime | None
    version: int = Field(description="Version de la situation, augmentée à chaque modification.")
    referent: MemberRef | None = Field(description="Personne référente désignée pour la situation.")
    participations: list[ParticipationOut] = Field(description="Organisations qui suivent la situation.")
    identities_visible: bool = Field(description="La personne qui appelle peut voir les identités.")
    persons: list[PersonOut]
    consent: ConsentOut | None = Field(
        description="Dernier recueil du consentement (null : jamais recueilli)."
    )
    timeline: list[TimelineEntryOut] = Field(
        description="Notes, contacts, rendez-vous et décisions visibles par la personne qui appelle."
    )
    tasks: list[TaskOut]

    @staticmethod
    def resolve_closure_reason(situation) -> str | None:
        return situation.closure_reason or None

    @staticmethod
    def resolve_closure_reason_label(situation) -> str:
        return situation.get_closure_reason_display()

    @staticmethod
    def resolve_consent(situation):
        return selectors.current_consent(situation)

    @staticmethod
    def resolve_timeline(situation) -> list:
        return situation.visible_timeline


class SituationReportedOut(Schema):
    public_id: UUID
    pseudonym: str = Field(description="Pseudonyme attribué, à noter pour retrouver la situation.")
    urgent: bool
    visible: bool = Field(
        description=(
            "La personne qui a signalé peut ensuite consulter la situation (GET /situations/{public_id}). "
            "Faux, par exemple, pour une personne référente qui signale hors de ses communes : "
            "la coordination et les personnes référentes de la commune ont été prévenues."
        )
    )


class PersonIn(Schema):
    role: PersonRole
    sex: Sex = Sex.UNKNOWN
    age: int | None = Field(None, ge=0, le=120, description="Âge (surtout pour les enfants).")
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    birth_name: str = Field("", max_length=150)
    birth_date: Day | None = None
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class ConsentIn(Schema):
    answer: ConsentAnswer
    organisations: list[UUID] = Field(
        default_factory=list,
        description="Organisations du territoire avec lesquelles la victime accepte le partage.",
    )


class SafeContactIn(Schema):
    channel: ContactChannel
    allowed: bool
    safe_hours: str = Field("", max_length=100)
    code_word: str = Field("", max_length=100)


class SituationIn(Schema):
    commune: UUID = Field(description="Identifiant de la commune où se trouve la situation.")
    detected_on: Day
    sources: list[DetectionSource] = Field(min_length=1, description="Au moins une source du repérage.")
    violence_types: list[ViolenceType] = Field(min_length=1, description="Au moins un type de violences.")
    urgent: bool = Field(False, description="Danger immédiat : appelez le 17 ou le 112 (SMS : 114).")
    persons: list[PersonIn] = Field(min_length=1, description="Au moins la victime.")
    consent: ConsentIn
    safe_contacts: list[SafeContactIn] = Field(
        default_factory=list, description="Préférences de contact sûr de la victime, par moyen."
    )


class NoteIn(Schema):
    kind: TimelineKind = TimelineKind.NOTE
    visibility: NoteVisibility
    medical: bool = Field(False, description="Information médicale (organisation de santé).")
    channel: ContactChannel | None = Field(
        None, description="Moyen utilisé, pour un contact avec la victime."
    )
    body: str = Field(min_length=1, max_length=5000, description="Le strict nécessaire, sans jugement.")
    occurred_on: Day


class TaskIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner: UUID = Field(description="Adhésion de la personne chargée de la tâche.")
    due_on: Day
