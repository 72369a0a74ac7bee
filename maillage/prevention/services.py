"""Recording, changing and deleting prevention events and trainings (docs/decisions/0036).

Each service is keyword-only with the actor first, runs in one transaction, checks the permission itself
(policies.py) and writes its audit entry. A change carries the version it was read at: a stale one is refused
(ConflictError) unless it asks for exactly what is already there (a form sent twice). A new record may carry
the form's one-time `submission` id, which becomes its public id: the same form sent twice records once, the
second answer pointing to the first (`AlreadyRecorded`)."""

import datetime
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import Organisation
from maillage.prevention import policies
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.territories.models import Commune

EVENT_FIELDS = (
    "title",
    "kind",
    "held_on",
    "ends_on",
    "commune",
    "audience",
    "people_reached",
    "materials",
    "description",
)
TRAINING_FIELDS = ("title", "topic", "held_on", "hours", "commune", "trainers")
# Free text that may name someone: the audit trail says it changed, never what it says.
UNRECORDED_TEXT = {"description"}
EARLIEST = datetime.date(2000, 1, 1)
PLANNED_AHEAD_DAYS = 2 * 366
MAX_PEOPLE_REACHED = 1_000_000
MAX_ATTENDEES = 1_000
MAX_HOURS = Decimal(100)
TEXT_LIMITS = {"title": 200, "materials": 300, "description": 3000, "trainers": 300}
ALREADY_RECORDED = "Ce formulaire a déjà été enregistré (envoyé deux fois) : voici ce qui a été enregistré."


class AlreadyRecorded(ConflictError):
    """The same form was sent twice: `record` is what the first sending recorded."""

    def __init__(self, record):
        super().__init__(ALREADY_RECORDED)
        self.record = record


# --------------------------------------------------------------------------------------------- checks


class InvalidValue(DomainError):
    """A value the rules refuse; `field` names it, so that a form shows the message beside it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _text(values: dict, name: str, label: str, *, required: bool = False) -> None:
    value = (values.get(name) or "").strip()
    if required and not value:
        raise InvalidValue(name, f"Indiquez {label}.")
    if len(value) > TEXT_LIMITS[name]:
        raise InvalidValue(
            name, f"{label[0].upper()}{label[1:]} ne peut pas dépasser {TEXT_LIMITS[name]} caractères."
        )
    values[name] = value


def _date(values: dict, name: str, today: datetime.date, *, what: str) -> None:
    value = values.get(name)
    if not isinstance(value, datetime.date):
        raise InvalidValue(name, f"Indiquez la date {what}.")
    if value < EARLIEST or value > today + datetime.timedelta(days=PLANNED_AHEAD_DAYS):
        raise InvalidValue(name, f"La date {what} semble erronée : vérifiez l'année.")


def _commune(actor: Actor, commune: Commune | None) -> None:
    if commune is not None and commune.territory_id != actor.membership.territory_id:
        raise InvalidValue("commune", "Choisissez une commune de votre territoire.")


def _organisations(
    actor: Actor, organisations, *, field: str, kept: set[int] = frozenset()
) -> list[Organisation]:
    """The organisations named, all of the actor's territory (or already on the record), the actor's own
    added when they must count it. Sorted by name, each once."""
    chosen = {organisation.pk: organisation for organisation in organisations}
    if policies.must_include_own_organisation(actor):
        chosen.setdefault(actor.membership.organisation_id, actor.membership.organisation)
    if not _of_territory(actor, set(chosen) - set(kept)):
        raise InvalidValue(field, "Choisissez des organisations du réseau de votre territoire.")
    return sorted(chosen.values(), key=lambda organisation: organisation.name)


def _of_territory(actor: Actor, organisation_ids: set[int]) -> bool:
    """Whether organisations newly named are all active partners of the actor's territory."""
    if not organisation_ids:
        return True
    known = Organisation.objects.filter(
        pk__in=organisation_ids, territories=actor.membership.territory_id, is_active=True
    ).count()
    return known == len(organisation_ids)


def _checked_event(actor: Actor, values: dict) -> dict:
    today = timezone.localdate()
    _text(values, "title", "l'intitulé de l'action", required=True)
    if values.get("kind") not in EventKind.values:
        raise InvalidValue("kind", "Choisissez le type d'action.")
    _date(values, "held_on", today, what="de l'action")
    held_on, ends_on = values["held_on"], values.get("ends_on")
    if ends_on is not None:
        if values["kind"] != EventKind.CAMPAIGN:
            raise InvalidValue("ends_on", "Seule une campagne a une date de fin : laissez ce champ vide.")
        _date(values, "ends_on", today, what="de fin de la campagne")
        if ends_on < held_on:
            raise InvalidValue("ends_on", "La fin de la campagne ne peut pas précéder son début.")
    _commune(actor, values.get("commune"))
    if values.get("audience") not in Audience.values:
        raise InvalidValue("audience", "Choisissez le public visé.")
    people = values.get("people_reached")
    if people is not None:
        if not _whole(people, 0, MAX_PEOPLE_REACHED):
            raise InvalidValue(
                "people_reached", "Le nombre de personnes touchées est un nombre entier entre 0 et 1 000 000."
            )
        if held_on > today:
            raise InvalidValue(
                "people_reached",
                "Une action à venir n'a encore touché personne : laissez ce nombre vide et "
                "indiquez-le une fois l'action tenue.",
            )
    elif (ends_on or held_on) < today:
        raise InvalidValue(
            "people_reached",
            "Indiquez le nombre de personnes touchées par cette action passée (une estimation suffit ; "
            "0 si personne n'est venu).",
        )
    _text(values, "materials", "la liste des supports")
    _text(values, "description", "la description")
    return values


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise InvalidValue("hours", "Indiquez la durée en heures (par exemple 3 ou 1,5).") from error
    if not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
        raise InvalidValue("hours", "La durée d'une formation est comprise entre 0,1 et 100 heures.")
    if hours != hours.quantize(Decimal("0.1")):
        raise InvalidValue("hours", "Indiquez la durée au dixième d'heure près (par exemple 2,5).")
    return hours.quantize(Decimal("0.1"))


def _checked_training(actor: Actor, values: dict) -> dict:
    today = timezone.localdate()
    _text(values, "title", "l'intitulé de la formation", required=True)
    if values.get("topic") not in TrainingTopic.values:
        raise InvalidValue("topic", "Choisissez le thème de la formation.")
    _date(values, "held_on", today, what="de la formation")
    if values["held_on"] > today:
        raise InvalidValue(
            "held_on",
            "Enregistrez une formation une fois tenue : ses participants se comptent après la session.",
        )
    values["hours"] = _hours(values.get("hours"))
    _commune(actor, values.get("commune"))
    _text(values, "trainers", "la liste des intervenants")
    return values


def _attendances(actor: Actor, rows, *, kept: set[int] = frozenset()) -> list[tuple[Organisation, int]]:
    """(organisation, attendees) rows: at least one, each organisation once, of the actor's territory (or
    already on the training), each with 1 to 1,000 people."""
    rows = list(rows)
    if not rows:
        raise InvalidValue("attendances", "Indiquez au moins une organisation et son nombre de participants.")
    seen: dict[int, Organisation] = {}
    for organisation, attendees in rows:
        if organisation.pk in seen:
            raise InvalidValue(
                "attendances",
                f"L'organisation « {organisation.name} » figure deux fois : regroupez ses participants "
                "sur une seule ligne.",
            )
        seen[organisation.pk] = organisation
        if not _whole(attendees, 1, MAX_ATTENDEES):
            raise InvalidValue(
                "attendances",
                f"Pour « {organisation.name} », indiquez un nombre de participants entre 1 et 1 000.",
            )
    if not _of_territory(actor, set(seen) - set(kept)):
        raise InvalidValue("attendances", "Choisissez des organisations du réseau de votre territoire.")
    return sorted(rows, key=lambda row: row[0].name)


# ------------------------------------------------------------------------------------ audit values


def _plain(name: str, value):
    if name == "commune":
        return value.name if value is not None else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _created_record(fields, values: dict) -> dict:
    return {name: _plain(name, values[name]) for name in fields if name not in UNRECORDED_TEXT}


def _changes_record(fields, before: dict, after: dict, old_version: int, new_version: int) -> dict:
    changed = [name for name in fields if before[name] != after[name]]
    record = {"version": [old_version, new_version], "fields": changed}
    record.update(
        {
            name: [_plain(name, before[name]), _plain(name, after[name])]
            for name in changed
            if name not in UNRECORDED_TEXT
        }
    )
    return record


def _names(organisations) -> list[str]:
    return sorted(organisation.name for organisation in organisations)


def _conflict(what: str, title: str) -> ConflictError:
    return ConflictError(
        f"Quelqu'un a modifié {what} « {title} » pendant que vous la modifiiez. Vos modifications n'ont pas "
        "été enregistrées : vérifiez ce qui est enregistré à présent, puis enregistrez à nouveau."
    )


def _create_once(model, actor: Actor, submission: UUID | None, **values):
    """Creates the row, its public id the form's `submission` when given; a second sending of the same form
    (by the same membership) raises AlreadyRecorded with the first one's record."""
    if submission is not None:
        values["public_id"] = submission
        existing = model.objects.filter(public_id=submission).first()
        if existing is not None:
            raise _already(actor, existing)
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError as error:  # the same form sent twice at the same moment
        existing = model.objects.filter(public_id=submission).first() if submission else None
        if existing is None:
            raise
        raise _already(actor, existing) from error


def _already(actor: Actor, existing) -> DomainError:
    if existing.created_by_id == actor.membership.pk:
        return AlreadyRecorded(existing)
    return DomainError("Ce formulaire n'est plus valable : rechargez la page puis recommencez.")


def _unknown(values: dict, fields) -> None:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")


# --------------------------------------------------------------------------------------------- events


@transaction.atomic
def event_record(
    *, actor: Actor, organisations=(), submission: UUID | None = None, **values
) -> PreventionEvent:
    """A new event of the actor's territory. A writer other than the coordinator always counts their own
    organisation among its organisations."""
    _unknown(values, EVENT_FIELDS)
    if not policies.can_record(actor):
        raise PermissionDeniedError("Votre rôle ne permet pas d'enregistrer une action de prévention.")
    values = _checked_event(actor, {name: values.get(name) for name in EVENT_FIELDS})
    organisations = _organisations(actor, organisations, field="organisations")
    event = _create_once(
        PreventionEvent,
        actor,
        submission,
        territory_id=actor.membership.territory_id,
        created_by=actor.membership,
        **values,
    )
    event.organisations.set(organisations)
    audit.record(
        actor=actor,
        action=AuditAction.PREVENTION_EVENT_RECORDED,
        obj=event,
        changes={**_created_record(EVENT_FIELDS, values), "organisations": _names(organisations)},
    )
    return event


@transaction.atomic
def event_update(
    *, actor: Actor, event: PreventionEvent, version: int, organisations, **values
) -> PreventionEvent:
    """Changes an event read at `version`: every field and its organisations (the writer's own kept)."""
    _unknown(values, EVENT_FIELDS)
    event = PreventionEvent.objects.select_for_update().get(pk=event.pk)
    if not policies.can_edit_event(actor, event):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui ont pris part à l'action peuvent la modifier."
        )
    before = {name: getattr(event, name) for name in EVENT_FIELDS}
    before_organisations = list(event.organisations.order_by("name"))
    after = _checked_event(actor, {**before, **values})
    organisations = _organisations(
        actor,
        organisations,
        field="organisations",
        kept={organisation.pk for organisation in before_organisations},
    )
    same_organisations = _names(organisations) == _names(before_organisations)
    if before == after and same_organisations:
        return event  # nothing to change: a form sent twice, or saved unchanged
    if event.version != version:
        raise _conflict("l'action", event.title)
    for name in EVENT_FIELDS:
        setattr(event, name, after[name])
    old_version, event.version = event.version, event.version + 1
    event.save()
    record = _changes_record(EVENT_FIELDS, before, after, old_version, event.version)
    if not same_organisations:
        event.organisations.set(organisations)
        record["organisations"] = [_names(before_organisations), _names(organisations)]
    audit.record(actor=actor, action=AuditAction.PREVENTION_EVENT_UPDATED, obj=event, changes=record)
    return event


@transaction.atomic
def event_delete(*, actor: Actor, event: PreventionEvent, version: int) -> None:
    """Deletes an event read at `version` (the coordinator only, after the confirmation page)."""
    event = PreventionEvent.objects.select_for_update().get(pk=event.pk)
    if not policies.can_delete(actor, event):
        raise PermissionDeniedError("Seule la coordination supprime une action de prévention.")
    if event.version != version:
        raise _conflict("l'action", event.title)
    audit.record(
        actor=actor,
        action=AuditAction.PREVENTION_EVENT_DELETED,
        obj=event,
        changes={
            "title": event.title,
            "kind": event.kind,
            "held_on": event.held_on.isoformat(),
            "people_reached": event.people_reached,
            "organisations": _names(event.organisations.all()),
        },
    )
    event.delete()


# ------------------------------------------------------------------------------------------ trainings


def _attendance_record(rows) -> dict:
    return {organisation.name: attendees for organisation, attendees in rows}


@transaction.atomic
def training_record(
    *,
    actor: Actor,
    trainer_organisations=(),
    attendances=(),
    submission: UUID | None = None,
    **values,
) -> Training:
    """A training held in the actor's territory, with its attendees per organisation (`attendances`:
    (organisation, number) rows). A writer other than the coordinator always counts their own organisation
    among those that gave it."""
    _unknown(values, TRAINING_FIELDS)
    if not policies.can_record(actor):
        raise PermissionDeniedError("Votre rôle ne permet pas d'enregistrer une formation.")
    values = _checked_training(actor, {name: values.get(name) for name in TRAINING_FIELDS})
    trainers = _organisations(actor, trainer_organisations, field="trainer_organisations")
    rows = _attendances(actor, attendances)
    training = _create_once(
        Training,
        actor,
        submission,
        territory_id=actor.membership.territory_id,
        created_by=actor.membership,
        **values,
    )
    training.trainer_organisations.set(trainers)
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(training=training, organisation=organisation, attendees=attendees)
        for organisation, attendees in rows
    )
    audit.record(
        actor=actor,
        action=AuditAction.TRAINING_RECORDED,
        obj=training,
        changes={
            **_created_record(TRAINING_FIELDS, values),
            "trainer_organisations": _names(trainers),
            "attendances": _attendance_record(rows),
        },
    )
    return training


@transaction.atomic
def training_update(
    *, actor: Actor, training: Training, version: int, trainer_organisations, attendances, **values
) -> Training:
    """Changes a training read at `version`: its fields, the organisations that gave it (the writer's own
    kept) and its attendees per organisation (replaced by the rows given)."""
    _unknown(values, TRAINING_FIELDS)
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not policies.can_edit_training(actor, training):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui ont donné la formation peuvent la modifier."
        )
    before = {name: getattr(training, name) for name in TRAINING_FIELDS}
    before_trainers = list(training.trainer_organisations.order_by("name"))
    before_rows = [(a.organisation, a.attendees) for a in training.attendances.select_related("organisation")]
    after = _checked_training(actor, {**before, **values})
    trainers = _organisations(
        actor, trainer_organisations, field="trainer_organisations", kept={o.pk for o in before_trainers}
    )
    rows = _attendances(actor, attendances, kept={o.pk for o, _ in before_rows})
    same_trainers = _names(trainers) == _names(before_trainers)
    same_rows = _attendance_record(rows) == _attendance_record(sorted(before_rows, key=lambda r: r[0].name))
    if before == after and same_trainers and same_rows:
        return training  # nothing to change: a form sent twice, or saved unchanged
    if training.version != version:
        raise _conflict("la formation", training.title)
    for name in TRAINING_FIELDS:
        setattr(training, name, after[name])
    old_version, training.version = training.version, training.version + 1
    training.save()
    record = _changes_record(TRAINING_FIELDS, before, after, old_version, training.version)
    if not same_trainers:
        training.trainer_organisations.set(trainers)
        record["trainer_organisations"] = [_names(before_trainers), _names(trainers)]
    if not same_rows:
        training.attendances.all().delete()
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(training=training, organisation=organisation, attendees=attendees)
            for organisation, attendees in rows
        )
        record["attendances"] = [_attendance_record(before_rows), _attendance_record(rows)]
    audit.record(actor=actor, action=AuditAction.TRAINING_UPDATED, obj=training, changes=record)
    return training


@transaction.atomic
def training_delete(*, actor: Actor, training: Training, version: int) -> None:
    """Deletes a training read at `version`, with its attendance (the coordinator only, after the
    confirmation page)."""
    training = Training.objects.select_for_update().get(pk=training.pk)
    if not policies.can_delete(actor, training):
        raise PermissionDeniedError("Seule la coordination supprime une formation.")
    if training.version != version:
        raise _conflict("la formation", training.title)
    rows = [(a.organisation, a.attendees) for a in training.attendances.select_related("organisation")]
    audit.record(
        actor=actor,
        action=AuditAction.TRAINING_DELETED,
        obj=training,
        changes={
            "title": training.title,
            "topic": training.topic,
            "held_on": training.held_on.isoformat(),
            "hours": str(training.hours),
            "trainer_organisations": _names(training.trainer_organisations.all()),
            "attendances": _attendance_record(rows),
        },
    )
    training.delete()
