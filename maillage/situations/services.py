"""Writes on situations: reporting, follow-up, coordination, break-the-glass (DOMAIN.md §3–4).

Every function is keyword-only with the actor first, runs in one transaction, checks the permission itself
(with policies.py, whatever the caller already checked) and writes its own audit entry. Audit entries of a
situation are all recorded on the situation itself, so its history is one query; they never carry an
identity, a free text (notes, reasons, task titles may name people) nor the commune.

Status is a state machine (`TRANSITIONS`); every change of the situation's own fields bumps its `version`
and records `{"version": [old, new], "fields": [...]}` so a stale edit can be told what changed meanwhile.
"""

import datetime
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind, Role
from maillage.network.models import Membership, Organisation
from maillage.situations import alerts, policies
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
from maillage.situations.models import (
    Consent,
    EmergencyAccess,
    Exclusion,
    NamedAccess,
    Participation,
    Person,
    SafeContact,
    Situation,
    SituationCounter,
    Task,
    TimelineEntry,
)
from maillage.territories.models import Commune

# The lifecycle of a situation: every allowed move (name → from which states, to which state), in one place.
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "follow": ({SituationStatus.NEW}, SituationStatus.FOLLOWED),
    "close": ({SituationStatus.NEW, SituationStatus.FOLLOWED}, SituationStatus.CLOSED),
    "reopen": ({SituationStatus.CLOSED}, SituationStatus.FOLLOWED),
}
TRANSITION_LABELS = {"follow": "passer en suivi", "close": "être clôturée", "reopen": "être rouverte"}
EDITABLE_FIELDS = ("commune", "detected_on", "sources", "violence_types", "urgent")
# Situation fields whose old and new values may appear in the audit trail and in a conflict message.
# The commune (where the victim lives) and free texts (restriction reason) are recorded as changed only.
PLAIN_VALUE_FIELDS = {
    "detected_on",
    "sources",
    "violence_types",
    "urgent",
    "status",
    "closure_reason",
    "restricted",
}
PERSON_FIELDS = (
    "role",
    "sex",
    "age",
    "first_name",
    "last_name",
    "birth_name",
    "birth_date",
    "phone",
    "email",
    "address",
)
IDENTITY_FIELDS = ("first_name", "last_name", "birth_name", "birth_date", "phone", "email", "address")
BODY_MAX_LENGTH = 5000
REASON_MIN_LENGTH = 15
MOVE_REFUSED = (
    "Changer la commune d'une situation change les référent·es qui la voient : seules la coordination et "
    "le ou la référent·e de la situation peuvent le faire. Demandez-le-leur."
)


# ----------------------------------------------------------------------------------------------- checks


def _sees(actor: Actor, situation: Situation) -> bool:
    return Situation.objects.visible_to(actor).filter(pk=situation.pk).exists()


def _require_visible(actor: Actor, situation: Situation) -> None:
    if not _sees(actor, situation):
        raise PermissionDeniedError


def _require_contributor(actor: Actor, situation: Situation) -> None:
    """Coordination (coordinator, the situation's referents) and the organisations following it."""
    _require_visible(actor, situation)
    if not policies.can_contribute(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation peuvent la modifier."
        )


def _require_manager(actor: Actor, situation: Situation) -> None:
    if not policies.can_manage(actor, situation):
        raise PermissionDeniedError("Cette action est réservée à la coordination.")
    _require_visible(actor, situation)


def _require_open(situation: Situation) -> None:
    if situation.status == SituationStatus.CLOSED:
        raise DomainError("Cette situation est clôturée : rouvrez-la avant de la modifier.")


def _locked(situation: Situation) -> Situation:
    return Situation.objects.select_for_update().get(pk=situation.pk)


def _territory_organisation(actor: Actor, organisation: Organisation) -> None:
    if not (
        organisation.is_active
        and Organisation.objects.filter(pk=organisation.pk, territories=actor.territory).exists()
    ):
        raise DomainError(f"{organisation.name} ne fait pas partie du réseau de votre territoire.")


def _territory_member(actor: Actor, user: User) -> None:
    if not Membership.objects.active().filter(user=user, territory_id=actor.territory.pk).exists():
        raise DomainError(f"{user} n'est pas membre du réseau de votre territoire.")


def current_consent(situation: Situation) -> Consent | None:
    return situation.consents.order_by("-recorded_at", "-pk").first()


# ------------------------------------------------------------------------------------- versioned fields


def _transition(situation: Situation, name: str) -> None:
    sources, target = TRANSITIONS[name]
    if situation.status not in sources:
        raise DomainError(
            f"Une situation « {SituationStatus(situation.status).label} » ne peut pas "
            f"{TRANSITION_LABELS[name]}."
        )
    situation.status = target


def _plain(name: str, value):
    if name == "referent":
        return str(value.public_id) if value is not None else None
    return value


def _save_versioned(
    *, actor: Actor, situation: Situation, before: dict, action: str, extra: dict | None = None
) -> Situation:
    """Saves the situation if any field of `before` changed: bumps the version, records one audit entry."""
    changed = [name for name, old in before.items() if getattr(situation, name) != old]
    if not changed and extra is None:
        return situation
    changes: dict = {}
    if changed:
        old_version = situation.version
        situation.version = old_version + 1
        situation.save()
        changes = {"version": [old_version, situation.version], "fields": changed}
        for name in changed:
            if name in PLAIN_VALUE_FIELDS or name == "referent":
                changes[name] = [_plain(name, before[name]), _plain(name, getattr(situation, name))]
    changes.update(extra or {})
    audit.record(actor=actor, action=action, obj=situation, changes=changes)
    return situation


def _snapshot(situation: Situation, *names: str) -> dict:
    return {name: getattr(situation, name) for name in names}


def _follow_if_new(situation: Situation) -> None:
    if situation.status == SituationStatus.NEW:
        _transition(situation, "follow")


FIELD_LABELS = {
    "commune": "Commune",
    "detected_on": "Date de repérage",
    "sources": "Source du repérage",
    "violence_types": "Types de violences",
    "urgent": "Danger immédiat",
    "status": "État",
    "closure_reason": "Motif de clôture",
    "referent": "Référent·e",
    "restricted": "Accès restreint",
    "restriction_reason": "Motif de la restriction",
}


def describe_value(situation: Situation, name: str) -> str:
    """A field's current value as a person reads it, or "" for a field shown as changed only."""
    value = getattr(situation, name)
    if name == "detected_on":
        return value.strftime("%d/%m/%Y")
    if name == "sources":
        return ", ".join(DetectionSource(v).label for v in value) or "aucune"
    if name == "violence_types":
        return ", ".join(ViolenceType(v).label for v in value) or "aucun"
    if name in ("urgent", "restricted"):
        return "oui" if value else "non"
    if name == "status":
        return SituationStatus(value).label
    if name == "closure_reason":
        return ClosureReason(value).label if value else "aucun"
    if name == "referent":
        return str(value.user) if value is not None else "aucun·e"
    return ""


def changes_since(situation: Situation, version: int) -> list[str]:
    """Names of the situation's fields changed after `version`, read from its audit entries."""
    names: list[str] = []
    entries = AuditEntry.objects.filter(object_public_id=situation.public_id).newest_first()
    for changes in entries.values_list("changes", flat=True)[:200]:
        versions = changes.get("version")
        if not versions or versions[1] <= version:
            continue
        names.extend(n for n in changes.get("fields", []) if n not in names)
    return names


def conflict_message(situation: Situation, version: int) -> str:
    parts = []
    for name in changes_since(situation, version):
        value = describe_value(situation, name)
        label = FIELD_LABELS.get(name, name)
        parts.append(f"{label} : {value}" if value else f"{label} (modifié)")
    meanwhile = " ; ".join(parts) if parts else "plusieurs éléments"
    return (
        "Quelqu'un a modifié cette situation pendant que vous la modifiiez. Changements intervenus "
        f"entre-temps : {meanwhile}. Vos modifications n'ont pas été enregistrées : vérifiez-les "
        "ci-dessous puis enregistrez à nouveau."
    )


# ---------------------------------------------------------------------------------------------- report


def _next_pseudonym(territory_id: int, year: int) -> str:
    counter, _ = SituationCounter.objects.select_for_update().get_or_create(
        territory_id=territory_id, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"S-{year}-{counter.last_number:04d}"


def _check_choices(values: Iterable[str], allowed: type, what: str) -> list[str]:
    values = list(dict.fromkeys(values))
    unknown = [v for v in values if v not in allowed.values]
    if unknown:
        raise DomainError(f"Valeur inconnue pour {what} : {', '.join(map(str, unknown))}.")
    return values


def _check_detection(detected_on: datetime.date, sources, violence_types) -> tuple[list, list]:
    if detected_on > timezone.localdate():
        raise DomainError("La date de repérage ne peut pas être dans le futur.")
    sources = _check_choices(sources, DetectionSource, "la source du repérage")
    if not sources:
        raise DomainError("Cochez au moins une source du repérage.")
    violence_types = _check_choices(violence_types, ViolenceType, "les types de violences")
    if not violence_types:
        raise DomainError("Cochez au moins un type de violences.")
    return sources, violence_types


def _clean_person_fields(fields: dict) -> dict:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown person fields: {', '.join(sorted(unknown))}")
    clean = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        clean[name] = value
    if "role" in clean and clean["role"] not in PersonRole.values:
        raise DomainError("Rôle de la personne inconnu.")
    if "sex" in clean and clean["sex"] not in Sex.values:
        raise DomainError("Sexe inconnu.")
    age = clean.get("age")
    if age is not None and not 0 <= age <= 120:
        raise DomainError("L'âge doit être compris entre 0 et 120 ans.")
    birth_date = clean.get("birth_date")
    if birth_date is not None and birth_date > timezone.localdate():
        raise DomainError("La date de naissance ne peut pas être dans le futur.")
    return clean


def _person_create(situation: Situation, data: dict) -> Person:
    data = _clean_person_fields(data)
    if not data.get("role"):
        raise DomainError("Indiquez le rôle de chaque personne.")
    if data["role"] == PersonRole.CHILD and not data.get("first_name") and data.get("age") is None:
        raise DomainError("Pour un enfant, indiquez au moins son prénom ou son âge.")
    person = Person(situation=situation, **{k: v for k, v in data.items() if v is not None})
    person.save()
    return person


def _safe_contact_save(person: Person, data: dict) -> SafeContact:
    channel = data["channel"]
    if channel not in ContactChannel.values:
        raise DomainError("Moyen de contact inconnu.")
    contact, _ = SafeContact.objects.get_or_create(person=person, channel=channel)
    contact.allowed = bool(data.get("allowed"))
    contact.safe_hours = (data.get("safe_hours") or "").strip()
    contact.code_word = (data.get("code_word") or "").strip()
    contact.save()
    return contact


def _consent_create(
    actor: Actor, situation: Situation, answer: str, organisations: Iterable[Organisation], recorded_on
) -> Consent:
    if answer not in ConsentAnswer.values:
        raise DomainError("Réponse au consentement inconnue.")
    organisations = list(organisations) if answer == ConsentAnswer.GIVEN else []
    for organisation in organisations:
        _territory_organisation(actor, organisation)
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise DomainError("La date du recueil du consentement ne peut pas être dans le futur.")
    consent = Consent.objects.create(
        situation=situation, answer=answer, recorded_on=recorded_on, recorded_by=actor.membership
    )
    consent.organisations.set(organisations)
    return consent


def reporter_legal_ground(*, consent_answer: str, urgent: bool) -> str:
    """Ground on which the reporter's information may circulate in the network.

    Consent given → consent. Otherwise, immediate danger when the situation is urgent or the victim could
    not be asked (that answer means immediate danger). A refusal without danger: the reporter keeps only its
    own information (`own_mission`); nobody else may be added without consent or danger."""
    if consent_answer == ConsentAnswer.GIVEN:
        return LegalGround.CONSENT
    if urgent or consent_answer == ConsentAnswer.NOT_ASKED:
        return LegalGround.IMMEDIATE_DANGER
    return LegalGround.OWN_MISSION


@transaction.atomic
def situation_report(
    *,
    actor: Actor,
    commune: Commune,
    detected_on: datetime.date,
    sources: Iterable[str],
    violence_types: Iterable[str],
    urgent: bool,
    persons: list[dict],
    consent: dict,
    safe_contacts: list[dict],
) -> Situation:
    """Records a new situation (repérage).

    `persons`: dicts of PERSON_FIELDS (role required; at least one victim). `consent`: {"answer",
    "organisations": [Organisation…], "recorded_on": date (default today)}. `safe_contacts`: dicts
    {"channel", "allowed", "safe_hours", "code_word"} for the first victim.
    The reporter's organisation follows the situation; the coordinator(s) and the commune's referent(s)
    are alerted (in the application, and by an e-mail that names nothing)."""
    if not policies.can_report(actor):
        raise PermissionDeniedError
    if commune.territory_id != actor.territory.pk:
        raise DomainError("Cette commune ne fait pas partie de votre territoire.")
    sources, violence_types = _check_detection(detected_on, sources, violence_types)
    if not any(p.get("role") == PersonRole.VICTIM for p in persons):
        raise DomainError("Indiquez au moins une victime (son identité peut rester inconnue).")
    today = timezone.localdate()
    situation = Situation.objects.create(
        territory_id=commune.territory_id,
        pseudonym=_next_pseudonym(commune.territory_id, today.year),
        commune=commune,
        detected_on=detected_on,
        sources=sources,
        violence_types=violence_types,
        urgent=bool(urgent),
        created_by=actor.membership,
    )
    created = [_person_create(situation, dict(data)) for data in persons]
    victim = next(p for p in created if p.role == PersonRole.VICTIM)
    for data in safe_contacts:
        _safe_contact_save(victim, data)
    answer = consent.get("answer") or ConsentAnswer.NOT_ASKED
    recorded = _consent_create(
        actor, situation, answer, consent.get("organisations") or [], consent.get("recorded_on")
    )
    ground = reporter_legal_ground(consent_answer=answer, urgent=situation.urgent)
    Participation.objects.create(
        situation=situation,
        organisation_id=actor.membership.organisation_id,
        reason=ParticipationReason.REPORTER,
        legal_ground=ground,
        added_by=actor.membership,
    )
    audit.record(
        actor=actor,
        action=AuditAction.SITUATION_REPORTED,
        obj=situation,
        changes={
            "pseudonym": situation.pseudonym,
            "urgent": situation.urgent,
            "sources": sources,
            "violence_types": violence_types,
            "persons": {role: sum(p.role == role for p in created) for role in PersonRole.values},
            "consent": recorded.answer,
            "consent_organisations": sorted(o.name for o in recorded.organisations.all()),
            "legal_ground": ground,
            "safe_channels": sorted(d["channel"] for d in safe_contacts if d.get("allowed")),
        },
    )
    alerts.situation_reported(actor=actor, situation=situation)
    return situation


@transaction.atomic
def situation_update(*, actor: Actor, situation: Situation, version: int, **fields) -> Situation:
    """Changes detection details (EDITABLE_FIELDS). A form read at an older `version` is refused with what
    changed meanwhile; nothing is overwritten. Moving it to another commune is for coordination only, and
    alerts the commune referents who gain or lose it (alerts.situation_moved)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {', '.join(sorted(unknown))}")
    _require_contributor(actor, situation)
    current = _locked(situation)
    if current.version != version:
        raise ConflictError(conflict_message(current, version))
    _require_open(current)
    if "commune" in fields and fields["commune"].territory_id != current.territory_id:
        raise DomainError("Cette commune ne fait pas partie de votre territoire.")
    moving = "commune" in fields and fields["commune"].pk != current.commune_id
    if moving:
        if not policies.can_change_commune(actor, current):
            raise PermissionDeniedError(MOVE_REFUSED)
        communes = [current.commune_id, fields["commune"].pk]
        seeing_before = alerts.commune_referents_seeing(current, communes)
    merged = {name: fields.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
    merged["sources"], merged["violence_types"] = _check_detection(
        merged["detected_on"], merged["sources"], merged["violence_types"]
    )
    before = _snapshot(current, *EDITABLE_FIELDS)
    for name in fields:
        setattr(current, name, merged[name])
    _save_versioned(actor=actor, situation=current, before=before, action=AuditAction.SITUATION_UPDATED)
    if moving:
        alerts.situation_moved(actor=actor, situation=current, seeing_before=seeing_before, communes=communes)
    return current


# ---------------------------------------------------------------------------------------- coordination


@transaction.atomic
def participant_add(
    *,
    actor: Actor,
    situation: Situation,
    organisation: Organisation,
    legal_ground: str = LegalGround.CONSENT,
) -> Participation:
    """Adds an organisation to the follow-up: needs the victim's recorded consent naming it, or the
    immediate-danger ground (recorded and audited)."""
    _require_manager(actor, situation)
    current = _locked(situation)
    _require_open(current)
    _territory_organisation(actor, organisation)
    if legal_ground not in (LegalGround.CONSENT, LegalGround.IMMEDIATE_DANGER):
        raise DomainError(
            "Une organisation ne peut être ajoutée qu'avec le consentement ou en cas de danger immédiat."
        )
    if current.participations.filter(organisation=organisation).exists():
        raise DomainError(f"{organisation.name} suit déjà cette situation.")
    if legal_ground == LegalGround.CONSENT:
        consent = current_consent(current)
        if (
            consent is None
            or consent.answer != ConsentAnswer.GIVEN
            or not consent.organisations.filter(pk=organisation.pk).exists()
        ):
            raise DomainError(
                f"Le consentement enregistré ne couvre pas le partage avec {organisation.name}. "
                "Enregistrez d'abord l'accord de la victime pour cette organisation, "
                "ou invoquez le danger immédiat."
            )
    participation = Participation.objects.create(
        situation=current,
        organisation=organisation,
        reason=ParticipationReason.ADDED,
        legal_ground=legal_ground,
        added_by=actor.membership,
    )
    before = _snapshot(current, "status")
    _follow_if_new(current)
    _save_versioned(
        actor=actor,
        situation=current,
        before=before,
        action=AuditAction.PARTICIPANT_ADDED,
        extra={"organisation": organisation.name, "legal_ground": legal_ground},
    )
    return participation


@transaction.atomic
def participant_remove(*, actor: Actor, situation: Situation, organisation: Organisation) -> None:
    _require_manager(actor, situation)
    deleted, _ = Participation.objects.filter(situation=situation, organisation=organisation).delete()
    if not deleted:
        raise DomainError(f"{organisation.name} ne suit pas cette situation.")
    audit.record(
        actor=actor,
        action=AuditAction.PARTICIPANT_REMOVED,
        obj=situation,
        changes={"organisation": organisation.name},
    )


@transaction.atomic
def referent_assign(*, actor: Actor, situation: Situation, membership: Membership | None) -> Situation:
    """Names the referent who follows the situation (None to remove); they are alerted."""
    _require_manager(actor, situation)
    current = _locked(situation)
    _require_open(current)
    if membership is not None:
        is_referent = (
            Membership.objects.active()
            .filter(pk=membership.pk, territory_id=current.territory_id, role_set__role=Role.REFERENT)
            .exists()
        )
        if not is_referent:
            raise DomainError("Choisissez un·e référent·e communal·e actif·ve de votre territoire.")
        if Exclusion.objects.filter(situation=current, user_id=membership.user_id).exists():
            raise DomainError("Cette personne est écartée de la situation (conflit d'intérêts).")
    before = _snapshot(current, "referent", "status")
    current.referent = membership
    if membership is not None:
        _follow_if_new(current)
    _save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_REFERENT_ASSIGNED
    )
    if membership is not None and before["referent"] != membership:
        alerts.referent_assigned(actor=actor, situation=current, membership=membership)
    return current


@transaction.atomic
def situation_restrict(
    *, actor: Actor, situation: Situation, named_users: Iterable[User], reason: str
) -> Situation:
    """Only the coordinator and the named users will see the situation (break-the-glass never opens it)."""
    _require_manager(actor, situation)
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif de la restriction.")
    named_users = list(dict.fromkeys(named_users))
    for user in named_users:
        _territory_member(actor, user)
    current = _locked(situation)
    before = _snapshot(current, "restricted", "restriction_reason")
    current.restricted, current.restriction_reason = True, reason
    NamedAccess.objects.filter(situation=current).exclude(user__in=named_users).delete()
    already = set(NamedAccess.objects.filter(situation=current).values_list("user_id", flat=True))
    NamedAccess.objects.bulk_create(
        [
            NamedAccess(situation=current, user=user, granted_by=actor.membership)
            for user in named_users
            if user.pk not in already
        ]
    )
    return _save_versioned(
        actor=actor,
        situation=current,
        before=before,
        action=AuditAction.SITUATION_RESTRICTED,
        extra={"named_users": sorted(u.email for u in named_users)},
    )


@transaction.atomic
def situation_unrestrict(*, actor: Actor, situation: Situation) -> Situation:
    _require_manager(actor, situation)
    current = _locked(situation)
    if not current.restricted:
        raise DomainError("Cette situation n'est pas restreinte.")
    before = _snapshot(current, "restricted", "restriction_reason")
    current.restricted, current.restriction_reason = False, ""
    NamedAccess.objects.filter(situation=current).delete()
    return _save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_UNRESTRICTED
    )


@transaction.atomic
def exclusion_add(*, actor: Actor, situation: Situation, user: User, reason: str) -> Exclusion:
    """A user who must never see this situation (conflict of interest), whatever else would allow it."""
    _require_manager(actor, situation)
    reason = reason.strip()
    if not reason:
        raise DomainError("Indiquez le motif de la mise à l'écart.")
    _territory_member(actor, user)
    if Exclusion.objects.filter(situation=situation, user=user).exists():
        raise DomainError(f"{user} est déjà écarté·e de cette situation.")
    exclusion = Exclusion.objects.create(
        situation=situation, user=user, reason=reason, excluded_by=actor.membership
    )
    audit.record(actor=actor, action=AuditAction.EXCLUSION_ADDED, obj=situation, changes={"user": user.email})
    return exclusion


@transaction.atomic
def exclusion_remove(*, actor: Actor, situation: Situation, user: User) -> None:
    _require_manager(actor, situation)
    deleted, _ = Exclusion.objects.filter(situation=situation, user=user).delete()
    if not deleted:
        raise DomainError(f"{user} n'est pas écarté·e de cette situation.")
    audit.record(
        actor=actor, action=AuditAction.EXCLUSION_REMOVED, obj=situation, changes={"user": user.email}
    )


@transaction.atomic
def situation_close(*, actor: Actor, situation: Situation, reason: str) -> Situation:
    _require_manager(actor, situation)
    if reason not in ClosureReason.values:
        raise DomainError("Choisissez un motif de clôture dans la liste.")
    current = _locked(situation)
    before = _snapshot(current, "status", "closure_reason")
    _transition(current, "close")
    current.closure_reason, current.closed_at = reason, timezone.now()
    return _save_versioned(actor=actor, situation=current, before=before, action=AuditAction.SITUATION_CLOSED)


@transaction.atomic
def situation_reopen(*, actor: Actor, situation: Situation) -> Situation:
    _require_manager(actor, situation)
    current = _locked(situation)
    before = _snapshot(current, "status", "closure_reason")
    _transition(current, "reopen")
    current.closure_reason, current.closed_at = "", None
    return _save_versioned(
        actor=actor, situation=current, before=before, action=AuditAction.SITUATION_REOPENED
    )


# ------------------------------------------------------------------------------- persons and consent


@transaction.atomic
def person_add(*, actor: Actor, situation: Situation, **fields) -> Person:
    _require_contributor(actor, situation)
    _require_open(situation)
    person = _person_create(situation, fields)
    audit.record(
        actor=actor,
        action=AuditAction.PERSON_ADDED,
        obj=situation,
        changes={
            "person": str(person.public_id),
            "role": person.role,
            "fields": sorted(n for n in IDENTITY_FIELDS if getattr(person, n) not in (None, "")),
        },
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **fields) -> Person:
    """Identity changes go through save() so the blind indexes follow; the trail names fields, not values."""
    situation = person.situation
    _require_contributor(actor, situation)
    _require_open(situation)
    fields = _clean_person_fields(fields)
    current = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    for name, value in fields.items():
        if name in ("first_name", "last_name", "birth_name", "phone", "email", "address") and value is None:
            value = ""
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if not changed:
        return current
    current.save()
    audit.record(
        actor=actor,
        action=AuditAction.PERSON_UPDATED,
        obj=situation,
        changes={"person": str(current.public_id), "role": current.role, "fields": changed},
    )
    return current


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    situation: Situation,
    answer: str,
    organisations: Iterable[Organisation] = (),
    recorded_on: datetime.date | None = None,
) -> Consent:
    """Records the victim's latest answer. A refusal or withdrawal brings every medical entry back to its
    author's organisation (CSP L1110-4); organisations already following stay (the coordinator decides)."""
    _require_contributor(actor, situation)
    consent = _consent_create(actor, situation, answer, organisations, recorded_on)
    restricted = 0
    if consent.answer != ConsentAnswer.GIVEN:
        restricted = (
            TimelineEntry.objects.filter(situation=situation, medical=True)
            .exclude(visibility=NoteVisibility.ORGANISATION)
            .update(visibility=NoteVisibility.ORGANISATION)
        )
    audit.record(
        actor=actor,
        action=AuditAction.CONSENT_RECORDED,
        obj=situation,
        changes={
            "answer": consent.answer,
            "organisations": sorted(o.name for o in consent.organisations.all()),
            "recorded_on": consent.recorded_on,
            "medical_entries_restricted": restricted,
        },
    )
    return consent


@transaction.atomic
def safe_contact_set(
    *,
    actor: Actor,
    person: Person,
    channel: str,
    allowed: bool,
    safe_hours: str = "",
    code_word: str = "",
) -> SafeContact:
    situation = person.situation
    _require_contributor(actor, situation)
    if person.role != PersonRole.VICTIM:
        raise DomainError("Les moyens de contact sûrs se renseignent pour une victime.")
    contact = _safe_contact_save(
        person, {"channel": channel, "allowed": allowed, "safe_hours": safe_hours, "code_word": code_word}
    )
    audit.record(
        actor=actor,
        action=AuditAction.SAFE_CONTACT_SET,
        obj=situation,
        changes={
            "person": str(person.public_id),
            "channel": contact.channel,
            "allowed": contact.allowed,
            "code_word_set": bool(contact.code_word),
        },
    )
    return contact


# ------------------------------------------------------------------------------------ timeline, tasks


def safe_channels(situation: Situation) -> dict[int, dict[str, SafeContact]]:
    """For each victim (pk): its safe-contact rows by channel."""
    victims = situation.persons.filter(role=PersonRole.VICTIM).prefetch_related("safe_contacts")
    return {v.pk: {c.channel: c for c in v.safe_contacts.all()} for v in victims}


def _check_safe_channel(situation: Situation, channel: str) -> None:
    """Refuses a contact through a channel that is not marked safe for every victim of the situation."""
    label = ContactChannel(channel).label
    by_victim = safe_channels(situation)
    if not by_victim:
        raise DomainError(
            f"Contact par « {label} » refusé : aucune victime n'est enregistrée, donc aucun moyen de "
            "contact n'est indiqué comme sûr. Ajoutez la victime et ses moyens de contact sûrs d'abord."
        )
    for contacts in by_victim.values():
        contact = contacts.get(channel)
        if contact is None or not contact.allowed:
            safe = [c for c in contacts.values() if c.allowed]
            hint = (
                "Moyens indiqués comme sûrs : "
                + ", ".join(
                    ContactChannel(c.channel).label + (f" ({c.safe_hours})" if c.safe_hours else "")
                    for c in sorted(safe, key=lambda c: c.channel)
                )
                + "."
                if safe
                else "Aucun moyen n'est indiqué comme sûr : passez par la coordination."
            )
            raise DomainError(
                f"Contact par « {label} » refusé : ce moyen n'est pas indiqué comme sûr pour la victime "
                f"(l'auteur présumé pourrait en avoir connaissance). {hint}"
            )


@transaction.atomic
def timeline_add(
    *,
    actor: Actor,
    situation: Situation,
    kind: str,
    visibility: str,
    body: str,
    medical: bool = False,
    channel: str = "",
    occurred_on: datetime.date | None = None,
) -> TimelineEntry:
    """A note, contact, appointment or decision. Anyone who sees the situation may add one (including an
    emergency access). Contacts need a channel marked safe; a health organisation's medical entry stays
    within it unless the victim's current consent is `given`."""
    _require_visible(actor, situation)
    _require_open(situation)
    if kind not in TimelineKind.values:
        raise DomainError("Type d'entrée inconnu.")
    if visibility not in NoteVisibility.values:
        raise DomainError("Choisissez qui pourra lire cette entrée.")
    body = (body or "").strip()
    if not body:
        raise DomainError("Le texte ne peut pas être vide.")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(f"Le texte est limité à {BODY_MAX_LENGTH} caractères : restez factuel·le.")
    channel = channel or ""
    if channel and channel not in ContactChannel.values:
        raise DomainError("Moyen de contact inconnu.")
    if kind == TimelineKind.CONTACT and not channel:
        raise DomainError("Indiquez le moyen utilisé pour contacter la victime.")
    if channel:
        _check_safe_channel(situation, channel)
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate() and kind != TimelineKind.APPOINTMENT:
        raise DomainError("Seul un rendez-vous peut être daté dans le futur.")
    organisation = actor.membership.organisation
    if medical and organisation.kind == OrganisationKind.HEALTH:
        consent = current_consent(situation)
        if consent is None or consent.answer != ConsentAnswer.GIVEN:
            visibility = NoteVisibility.ORGANISATION
    entry = TimelineEntry.objects.create(
        situation=situation,
        kind=kind,
        visibility=visibility,
        medical=bool(medical),
        channel=channel,
        body=body,
        author=actor.membership,
        organisation=organisation,
        occurred_on=occurred_on,
    )
    audit.record(
        actor=actor,
        action=AuditAction.TIMELINE_ADDED,
        obj=situation,
        changes={
            "entry": str(entry.public_id),
            "kind": kind,
            "visibility": visibility,
            "medical": entry.medical,
            "channel": channel,
        },
    )
    return entry


@transaction.atomic
def task_add(
    *, actor: Actor, situation: Situation, title: str, owner: Membership, due_on: datetime.date
) -> Task:
    """A task for someone who sees the situation (checked with the same policy)."""
    _require_contributor(actor, situation)
    _require_open(situation)
    title = title.strip()
    if not title:
        raise DomainError("Décrivez la tâche en quelques mots.")
    owner = policies.memberships_seeing(situation).select_related("user").filter(pk=owner.pk).first()
    if owner is None:
        raise DomainError("Cette personne n'a pas accès à la situation : choisissez quelqu'un qui la suit.")
    task = Task.objects.create(
        situation=situation, title=title, owner=owner, due_on=due_on, created_by=actor.membership
    )
    audit.record(
        actor=actor,
        action=AuditAction.TASK_ADDED,
        obj=situation,
        changes={"task": str(task.public_id), "owner": owner.user.email, "due_on": due_on},
    )
    return task


@transaction.atomic
def task_done(*, actor: Actor, task: Task) -> Task:
    situation = task.situation
    _require_visible(actor, situation)
    if not policies.can_finish_task(actor, task, situation):
        raise PermissionDeniedError(
            "Seul·e la personne chargée de la tâche ou la coordination peut la clore."
        )
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.done_at is not None:
        raise DomainError("Cette tâche est déjà terminée.")
    current.done_at = timezone.now()
    current.save(update_fields=["done_at"])
    audit.record(
        actor=actor, action=AuditAction.TASK_DONE, obj=situation, changes={"task": str(current.public_id)}
    )
    return current


# ------------------------------------------------------------------------------------ break the glass

EMERGENCY_REFUSED = (
    "Aucun accès d'urgence n'est possible pour ce pseudonyme. Vérifiez-le ; en cas de doute, "
    "appelez la coordination (en cas de danger immédiat : 17 ou 112)."
)


@transaction.atomic
def emergency_access_request(*, actor: Actor, pseudonym: str, reason: str) -> EmergencyAccess:
    """Time-boxed access to one situation of the territory, known by its pseudonym.

    The situation is looked up by pseudonym in the actor's territory — not through `visible_to`, which is
    what the actor lacks. Restricted situations and exclusions refuse it with the same message as an
    unknown pseudonym. Audited; the coordinator(s) and DPO(s) are alerted; reviewed afterwards."""
    if not policies.can_break_glass(actor):
        raise PermissionDeniedError
    reason = reason.strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise DomainError("Expliquez en une phrase pourquoi cet accès est urgent.")
    situation = (
        Situation.objects.filter(territory_id=actor.territory.pk, pseudonym=pseudonym.strip().upper())
        .select_for_update()
        .first()
    )
    if (
        situation is None
        or situation.restricted
        or Exclusion.objects.filter(situation=situation, user_id=actor.user.pk).exists()
    ):
        raise DomainError(EMERGENCY_REFUSED)
    if _sees(actor, situation):
        raise DomainError(f"Vous avez déjà accès à la situation {situation.pseudonym}.")
    minutes = settings.MAILLAGE_EMERGENCY_ACCESS_MINUTES
    access = EmergencyAccess.objects.create(
        situation=situation,
        user=actor.user,
        membership=actor.membership,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    audit.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS_GRANTED,
        obj=situation,
        changes={"access": str(access.public_id), "minutes": minutes, "expires_at": access.expires_at},
    )
    alerts.emergency_access_granted(actor=actor, access=access)
    return access


@transaction.atomic
def emergency_access_review(
    *, actor: Actor, access: EmergencyAccess, justified: bool, comment: str = ""
) -> EmergencyAccess:
    """The coordinator or the DPO marks an emergency access justified or not; unjustified ends it now."""
    reachable = policies.emergency_accesses_reviewable_by(actor).filter(pk=access.pk).exists()
    if not (reachable and policies.can_review_emergency(actor, access)):
        raise PermissionDeniedError
    current = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    if current.review != EmergencyAccess.Review.PENDING:
        raise DomainError("Cet accès d'urgence a déjà été examiné.")
    comment = comment.strip()
    if not justified and not comment:
        raise DomainError("Expliquez pourquoi cet accès n'était pas justifié.")
    now = timezone.now()
    current.review = EmergencyAccess.Review.JUSTIFIED if justified else EmergencyAccess.Review.UNJUSTIFIED
    current.reviewed_by, current.reviewed_at, current.review_comment = actor.membership, now, comment
    if not justified and current.expires_at > now:
        current.expires_at = now
    current.save()
    alerts.emergency_access_reviewed(access=current)
    audit.record(
        actor=actor,
        action=AuditAction.EMERGENCY_ACCESS_REVIEWED,
        obj=current.situation,
        changes={"access": str(current.public_id), "review": current.review},
    )
    return current


# ---------------------------------------------------------------------------------------------- reads

VIEW_ACTIONS = {"page": AuditAction.SITUATION_VIEWED, "identity": AuditAction.SITUATION_IDENTITY_VIEWED}


@transaction.atomic
def record_view(
    actor: Actor, situation: Situation, what: str = "page", *, emergency: bool, part: str = ""
) -> None:
    """Every read of a situation (page or API), and every display of its identities, joins the audit trail.
    `emergency`: read through a break-the-glass access (`policies.reads_through_emergency`); `part`: what
    was read when it is not the situation itself (history.READ_PART_LABELS: tasks, a person's page…)."""
    changes = {"emergency": emergency, **({"part": part} if part else {})}
    audit.record(actor=actor, action=VIEW_ACTIONS[what], obj=situation, changes=changes)


@transaction.atomic
def record_name_search(actor: Actor, *, results: int) -> None:
    """A search by a person's name is a read of nominative data: recorded, without the name."""
    audit.record(actor=actor, action=AuditAction.SITUATION_NAME_SEARCHED, changes={"results": results})
