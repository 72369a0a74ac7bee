"""The persons of a situation (identities stay out of the trail: it names fields, never values), the
victim's consent to sharing and her safe contacts."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError
from maillage.network.actor import Actor
from maillage.network.models import Organisation
from maillage.situations.enums import ConsentAnswer, ContactChannel, NoteVisibility, PersonRole, Sex
from maillage.situations.models import (
    IDENTITY_FIELDS,
    PERSON_FIELDS,
    Consent,
    Person,
    PersonNameToken,
    SafeContact,
    Situation,
    TimelineEntry,
)
from maillage.situations.names import NAME_PARTS, person_name_tokens
from maillage.situations.services.checks import (
    require_contributor,
    require_open,
    require_territory_organisation,
)

VICTIMS_ONLY = "Les moyens de contact sûrs se renseignent pour une victime."


def clean_person_fields(fields: dict) -> dict:
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


def person_create(situation: Situation, data: dict) -> Person:
    data = clean_person_fields(data)
    if not data.get("role"):
        raise DomainError("Indiquez le rôle de chaque personne.")
    if data["role"] == PersonRole.CHILD and not data.get("first_name") and data.get("age") is None:
        raise DomainError("Pour un enfant, indiquez au moins son prénom ou son âge.")
    person = Person(situation=situation, **{k: v for k, v in data.items() if v is not None})
    person.save()
    name_tokens_write(person)
    return person


def name_tokens_write(person: Person) -> None:
    """The words of the person's names, rewritten with them (names.py): the name search reads them."""
    PersonNameToken.objects.filter(person=person).delete()
    PersonNameToken.objects.bulk_create(person_name_tokens(person))


def safe_contact_save(person: Person, data: dict) -> SafeContact:
    channel = data["channel"]
    if channel not in ContactChannel.values:
        raise DomainError("Moyen de contact inconnu.")
    contact, _ = SafeContact.objects.get_or_create(person=person, channel=channel)
    contact.allowed = bool(data.get("allowed"))
    contact.safe_hours = (data.get("safe_hours") or "").strip()
    contact.code_word = (data.get("code_word") or "").strip()
    contact.save()
    return contact


def consent_create(
    actor: Actor, situation: Situation, answer: str, organisations: Iterable[Organisation], recorded_on
) -> Consent:
    if answer not in ConsentAnswer.values:
        raise DomainError("Réponse au consentement inconnue.")
    organisations = list(organisations) if answer == ConsentAnswer.GIVEN else []
    for organisation in organisations:
        require_territory_organisation(actor, organisation)
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        raise DomainError("La date du recueil du consentement ne peut pas être dans le futur.")
    consent = Consent.objects.create(
        situation=situation, answer=answer, recorded_on=recorded_on, recorded_by=actor.membership
    )
    consent.organisations.set(organisations)
    return consent


@transaction.atomic
def person_add(*, actor: Actor, situation: Situation, **fields) -> Person:
    require_contributor(actor, situation)
    require_open(situation)
    person = person_create(situation, fields)
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
def person_update(*, actor: Actor, person: Person, safe_contacts: Iterable[dict] = (), **fields) -> Person:
    """A person's page, saved at once: identity changes go through save() so the blind indexes follow (the
    trail names fields, not values); a victim's `safe_contacts` (dicts {"channel", "allowed",
    "safe_hours", "code_word"}) are set with them, each change recorded like `safe_contact_set`. A channel
    left blank that had no row stays without one."""
    situation = person.situation
    require_contributor(actor, situation)
    require_open(situation)
    fields = clean_person_fields(fields)
    safe_contacts = list(safe_contacts)
    if safe_contacts and person.role != PersonRole.VICTIM:
        raise DomainError(VICTIMS_ONLY)
    current = Person.objects.select_for_update().get(pk=person.pk)
    changed = []
    for name, value in fields.items():
        if value is None and not Person._meta.get_field(name).null:
            value = ""  # an emptied text field
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    if changed:
        current.save()
        if set(changed) & set(NAME_PARTS):
            name_tokens_write(current)
        audit.record(
            actor=actor,
            action=AuditAction.PERSON_UPDATED,
            obj=situation,
            changes={"person": str(current.public_id), "role": current.role, "fields": changed},
        )
    existing = {c.channel: c for c in current.safe_contacts.all()} if safe_contacts else {}
    for data in safe_contacts:
        contact = existing.get(data["channel"])
        posted = (
            bool(data.get("allowed")),
            (data.get("safe_hours") or "").strip(),
            (data.get("code_word") or "").strip(),
        )
        if contact is None and not any(posted):
            continue
        if contact is not None and (contact.allowed, contact.safe_hours, contact.code_word) == posted:
            continue
        _safe_contact_record(actor, current, data)
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
    require_contributor(actor, situation)
    consent = consent_create(actor, situation, answer, organisations, recorded_on)
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
    require_contributor(actor, person.situation)
    if person.role != PersonRole.VICTIM:
        raise DomainError(VICTIMS_ONLY)
    return _safe_contact_record(
        actor,
        person,
        {"channel": channel, "allowed": allowed, "safe_hours": safe_hours, "code_word": code_word},
    )


def _safe_contact_record(actor: Actor, person: Person, data: dict) -> SafeContact:
    contact = safe_contact_save(person, data)
    audit.record(
        actor=actor,
        action=AuditAction.SAFE_CONTACT_SET,
        obj=person.situation,
        changes={
            "person": str(person.public_id),
            "channel": contact.channel,
            "allowed": contact.allowed,
            "code_word_set": bool(contact.code_word),
        },
    )
    return contact
