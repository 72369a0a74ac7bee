"""Reporting a situation (repérage) and editing what was reported, with optimistic concurrency."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.situations import alerts, policies, presentation
from maillage.situations.enums import (
    ConsentAnswer,
    DetectionSource,
    LegalGround,
    ParticipationReason,
    PersonRole,
    ViolenceType,
)
from maillage.situations.models import Participation, Situation, SituationCounter
from maillage.situations.services.checks import require_contributor, require_open
from maillage.situations.services.lifecycle import locked, save_versioned, snapshot
from maillage.situations.services.persons import consent_create, person_create, safe_contact_save
from maillage.territories.models import Commune

EDITABLE_FIELDS = ("commune", "detected_on", "sources", "violence_types", "urgent")
MOVE_REFUSED = (
    "Changer la commune d'une situation change les personnes référentes qui la voient : "
    "seules la coordination et la personne référente de la situation peuvent le faire. Demandez-le-leur."
)


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
    created = [person_create(situation, dict(data)) for data in persons]
    victim = next(p for p in created if p.role == PersonRole.VICTIM)
    for data in safe_contacts:
        safe_contact_save(victim, data)
    answer = consent.get("answer") or ConsentAnswer.NOT_ASKED
    recorded = consent_create(
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
    require_contributor(actor, situation)
    current = locked(situation)
    if current.version != version:
        raise ConflictError(presentation.conflict_message(current, version))
    require_open(current)
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
    before = snapshot(current, *EDITABLE_FIELDS)
    for name in fields:
        setattr(current, name, merged[name])
    save_versioned(actor=actor, situation=current, before=before, action=AuditAction.SITUATION_UPDATED)
    if moving:
        alerts.situation_moved(actor=actor, situation=current, seeing_before=seeing_before, communes=communes)
    return current
