"""Writes on stay requests and stays (ADR 0029). Each is keyword-only with the actor first, runs in one
transaction, checks the permission itself (stay_policies.py) and the version the person acted from, and
records its audit entry on the situation (its history is one query) — never an identity, a note or an address.

Two state machines, each in one place:
- a request: pending → waiting list → allocated (a stay planned), refused, or cancelled by the requester side;
- a stay: planned → in progress (check-in) → ended (check-out with an exit solution); a planned stay may be
  cancelled (its request with it); planned and in-progress stays may be extended or shortened.

One household a night per unit: an allocation or an extension locks the unit row (`select_for_update`),
then checks that no holding stay overlaps; on PostgreSQL the exclusion constraint
`housing_stays_do_not_overlap` guards it as well, and its IntegrityError becomes the same clear message,
nothing half-done (the request stays pending: the whole service rolls back)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing import capacity
from maillage.housing import stay_policies as policies
from maillage.housing.enums import (
    HOLDING,
    ExitSolution,
    RequestStatus,
    StayNotificationKind,
    StayStatus,
    UnitStatus,
)
from maillage.housing.models import HousingUnit, Stay, StayRequest
from maillage.network.actor import Actor
from maillage.notifications.services import notifications_settle, notify
from maillage.situations.models import Situation
from maillage.situations.services.checks import require_open
from maillage.situations.services.lifecycle import locked

MAX_ADULTS, MAX_CHILDREN, MAX_AGE = 10, 12, 17
OPEN_REQUEST = (RequestStatus.PENDING, RequestStatus.WAITING_LIST)

REQUEST_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "waitlist": ((RequestStatus.PENDING,), RequestStatus.WAITING_LIST),
    "refuse": (OPEN_REQUEST, RequestStatus.REFUSED),
    "cancel": (OPEN_REQUEST, RequestStatus.CANCELLED),
    "allocate": (OPEN_REQUEST, RequestStatus.ALLOCATED),
}
STAY_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "check_in": ((StayStatus.PLANNED,), StayStatus.IN_PROGRESS),
    "extend": ((StayStatus.PLANNED, StayStatus.IN_PROGRESS), None),  # None: the status stays
    "check_out": ((StayStatus.IN_PROGRESS,), StayStatus.ENDED),
    "cancel": ((StayStatus.PLANNED,), StayStatus.CANCELLED),
}
LABELS = {
    "waitlist": "être mise en liste d'attente",
    "refuse": "être refusée",
    "cancel": "être annulée",
    "allocate": "recevoir un logement",
    "check_in": "commencer",
    "extend": "changer de date de départ",
    "check_out": "se terminer",
}
REQUEST_AUDIT = {
    "waitlist": AuditAction.STAY_REQUEST_WAITLISTED,
    "refuse": AuditAction.STAY_REQUEST_REFUSED,
    "cancel": AuditAction.STAY_REQUEST_CANCELLED,
}
OVERLAP = (
    "Ce logement est déjà occupé ou réservé sur une partie de ces nuits : choisissez d'autres dates ou un "
    "autre logement. Rien n'a été enregistré."
)


def request_allowed(request: StayRequest, name: str) -> bool:
    return request.status in REQUEST_TRANSITIONS[name][0]


def stay_allowed(stay: Stay, name: str) -> bool:
    return stay.status in STAY_TRANSITIONS[name][0]


def overlapping(unit: HousingUnit, starts_on: datetime.date, ends_on: datetime.date, *, exclude=None):
    """The unit's holding stays sharing a night with [starts_on, ends_on)."""
    stays = Stay.objects.filter(unit=unit, status__in=HOLDING, starts_on__lt=ends_on, ends_on__gt=starts_on)
    return stays.exclude(pk=exclude.pk) if exclude is not None else stays


# ------------------------------------------------------------------------------------------ requests


@transaction.atomic
def stay_request_create(
    *,
    actor: Actor,
    situation: Situation,
    adults: int,
    children_ages: list[int],
    urgent: bool,
    wished_from: datetime.date,
    wished_until: datetime.date | None = None,
    notes: str = "",
) -> StayRequest:
    """Asks the territory's housing managers for a stay. They are told without personal data, and see the
    request as pseudonym + household only."""
    if not policies.can_request(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation peuvent demander un "
            "hébergement."
        )
    current = locked(situation)
    require_open(current)
    children_ages = _checked_household(adults, children_ages)
    if wished_from < timezone.localdate():
        raise DomainError("La date d'arrivée souhaitée ne peut pas être passée.")
    if wished_until is not None and wished_until <= wished_from:
        raise DomainError("La date de départ souhaitée doit suivre la date d'arrivée.")
    if StayRequest.objects.filter(situation=current, status__in=OPEN_REQUEST).exists():
        raise DomainError("Une demande d'hébergement de cette situation attend déjà sa réponse.")
    request = StayRequest.objects.create(
        territory_id=current.territory_id,
        situation=current,
        requested_by=actor.membership,
        adults=adults,
        children_ages=children_ages,
        urgent=urgent,
        wished_from=wished_from,
        wished_until=wished_until,
        notes=notes.strip(),
        created_at=timezone.now(),
    )
    _record(actor, request, AuditAction.STAY_REQUESTED, urgent=urgent)
    notify(
        actor=actor,
        recipients=policies.memberships_answering(request),
        kind=StayNotificationKind.STAY_REQUESTED,
        target=request,
        urgent=urgent,
    )
    return request


def _checked_household(adults: int, children_ages: list[int]) -> list[int]:
    if not 1 <= adults <= MAX_ADULTS:
        raise DomainError(f"Indiquez entre 1 et {MAX_ADULTS} adultes.")
    if len(children_ages) > MAX_CHILDREN:
        raise DomainError(f"Indiquez au plus {MAX_CHILDREN} enfants.")
    if any(not isinstance(age, int) or not 0 <= age <= MAX_AGE for age in children_ages):
        raise DomainError(f"L'âge de chaque enfant est un nombre d'années entre 0 et {MAX_AGE}.")
    return sorted(children_ages)


@transaction.atomic
def stay_request_waitlist(*, actor: Actor, request: StayRequest, version: int | None = None) -> StayRequest:
    """Nothing is free: the request waits; the requester is told."""
    return _answer(actor, request, "waitlist", version)


@transaction.atomic
def stay_request_refuse(*, actor: Actor, request: StayRequest, version: int | None = None) -> StayRequest:
    return _answer(actor, request, "refuse", version)


@transaction.atomic
def stay_request_cancel(*, actor: Actor, request: StayRequest, version: int | None = None) -> StayRequest:
    """The requester's side withdraws a request not allocated yet."""
    current = _lock_request(actor, request, "cancel", version, answering=False)
    _move_request(actor, current, "cancel")
    notifications_settle(target=current, kind=StayNotificationKind.STAY_REQUESTED)
    return current


@transaction.atomic
def stay_allocate(
    *,
    actor: Actor,
    request: StayRequest,
    unit: HousingUnit,
    starts_on: datetime.date,
    ends_on: datetime.date,
    version: int | None = None,
) -> Stay:
    """Allocates a unit: a stay planned, the request allocated, the requester told. The unit must fit the
    household, be in service and free on every night — checked with the unit row locked, and on PostgreSQL
    by the exclusion constraint too. Any refusal leaves the request as it was."""
    current = _lock_request(actor, request, "allocate", version, answering=True)
    if not policies.allocatable_units(actor, current.territory_id).filter(pk=unit.pk).exists():
        raise PermissionDeniedError("Vous ne pouvez attribuer que les logements de votre organisation.")
    locked_unit = HousingUnit.objects.select_for_update().get(pk=unit.pk)
    _check_dates(starts_on, ends_on)
    if locked_unit.status == UnitStatus.OUT_OF_SERVICE:
        raise DomainError(f"{locked_unit.name} est hors service : choisissez un autre logement.")
    ages = current.children_ages
    if not capacity.fits(locked_unit, current.adults, len(ages), capacity.older_children(ages)):
        raise DomainError(
            f"{locked_unit.name} ne peut pas accueillir ce foyer ({_household(current)}) : "
            "choisissez un autre logement."
        )
    if overlapping(locked_unit, starts_on, ends_on).exists():
        raise DomainError(OVERLAP)
    now = timezone.now()
    stay = _guarded(
        lambda: Stay.objects.create(
            unit=locked_unit,
            request=current,
            situation_id=current.situation_id,
            adults=current.adults,
            children=len(current.children_ages),
            starts_on=starts_on,
            ends_on=ends_on,
            allocated_by=actor.membership,
            created_at=now,
        )
    )
    current.answered_by, current.answered_at = actor.membership, now
    current.status = RequestStatus.ALLOCATED
    current.version += 1
    current.save()
    _record_stay(actor, stay, AuditAction.STAY_ALLOCATED, request=str(current.public_id))
    _answered(actor, current)
    return stay


# ------------------------------------------------------------------------------------------ stays


@transaction.atomic
def stay_check_in(*, actor: Actor, stay: Stay, version: int | None = None) -> Stay:
    current = _lock_stay(actor, stay, "check_in", version)
    if current.starts_on > timezone.localdate():
        raise DomainError(
            f"Ce séjour commence le {current.starts_on:%d/%m/%Y} : l'arrivée ne peut pas être enregistrée "
            "avant."
        )
    current.checked_in_at = timezone.now()
    return _move_stay(actor, current, "check_in", AuditAction.STAY_CHECKED_IN)


@transaction.atomic
def stay_extend(*, actor: Actor, stay: Stay, ends_on: datetime.date, version: int | None = None) -> Stay:
    """Moves the planned departure (later or earlier): the new nights must be free on the unit."""
    current = _lock_stay(actor, stay, "extend", version)
    _check_dates(current.starts_on, ends_on)
    if ends_on == current.ends_on:
        raise DomainError("Choisissez une date de départ différente de celle prévue.")
    _change_end(current, ends_on)
    return _move_stay(actor, current, "extend", AuditAction.STAY_EXTENDED)


@transaction.atomic
def stay_check_out(
    *,
    actor: Actor,
    stay: Stay,
    exit_solution: str,
    on: datetime.date | None = None,
    version: int | None = None,
) -> Stay:
    """The household left, on `on` (today by default): it becomes the stay's end, with its exit solution."""
    on = on or timezone.localdate()
    if exit_solution not in ExitSolution.values:
        raise DomainError("Choisissez la solution de sortie dans la liste.")
    current = _lock_stay(actor, stay, "check_out", version)
    if on > timezone.localdate():
        raise DomainError("La date de départ ne peut pas être dans le futur.")
    if on <= current.starts_on:
        raise DomainError(
            f"La date de départ doit suivre la date d'arrivée ({current.starts_on:%d/%m/%Y}). "
            "Pour un séjour qui n'a pas eu lieu, annulez-le."
        )
    if on != current.ends_on:
        _change_end(current, on)
    current.exit_solution, current.checked_out_at = exit_solution, timezone.now()
    return _move_stay(actor, current, "check_out", AuditAction.STAY_CHECKED_OUT, exit_solution=exit_solution)


@transaction.atomic
def stay_cancel(*, actor: Actor, stay: Stay, version: int | None = None) -> Stay:
    """A planned stay that will not happen: its nights are free again, its request cancelled, the
    requester told."""
    current = _lock_stay(actor, stay, "cancel", version)
    _move_stay(actor, current, "cancel", AuditAction.STAY_CANCELLED)
    if current.request_id is not None:
        request = StayRequest.objects.select_for_update().get(pk=current.request_id)
        request.status = RequestStatus.CANCELLED
        request.version += 1
        request.save()
        _answered(actor, request)
    return current


# ------------------------------------------------------------------------------------------ internals


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on <= starts_on:
        raise DomainError("La date de départ doit suivre la date d'arrivée (au moins une nuit).")


def _household(request: StayRequest) -> str:
    adults = f"{request.adults} adulte{'s' if request.adults > 1 else ''}"
    children = len(request.children_ages)
    return adults + (f", {children} enfant{'s' if children > 1 else ''}" if children else "")


def _guarded(create):
    """Runs a write that may break the exclusion constraint (PostgreSQL) inside a savepoint: a conflict
    becomes the clear message, and the caller's transaction rolls back whole."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError as error:
        if "housing_stays_do_not_overlap" in str(error):
            raise DomainError(OVERLAP) from error
        raise


def _change_end(stay: Stay, ends_on: datetime.date) -> None:
    """A later end must find the nights free: the unit row is locked, then checked (and the constraint)."""
    if ends_on > stay.ends_on:
        unit = HousingUnit.objects.select_for_update().get(pk=stay.unit_id)
        if overlapping(unit, stay.ends_on, ends_on, exclude=stay).exists():
            raise DomainError(OVERLAP)
    stay.ends_on = ends_on


def _lock_request(actor: Actor, request: StayRequest, name: str, version, *, answering: bool):
    current = StayRequest.objects.select_for_update().select_related("situation").get(pk=request.pk)
    if answering and not policies.can_answer(actor, current):
        raise PermissionDeniedError(
            "Seules les personnes qui gèrent les logements du territoire et la coordination répondent aux "
            "demandes d'hébergement."
        )
    if not answering and not policies.can_cancel_request(actor, current):
        raise PermissionDeniedError(
            "Seules les personnes qui suivent la situation peuvent annuler sa demande."
        )
    if not request_allowed(current, name):
        raise DomainError(
            f"Cette demande est « {current.get_status_display().lower()} » : elle ne peut plus "
            f"{LABELS[name]}. Rien n'a été modifié."
        )
    if version is not None and version != current.version:
        raise ConflictError(
            "Quelqu'un a agi sur cette demande pendant que vous la lisiez : rien n'a été modifié. "
            "Voici son état à jour."
        )
    return current


def _lock_stay(actor: Actor, stay: Stay, name: str, version) -> Stay:
    current = Stay.objects.select_for_update().select_related("unit", "situation").get(pk=stay.pk)
    if not policies.can_run_stay(actor, current):
        raise PermissionDeniedError(
            "Seules les personnes qui gèrent ce logement et la coordination suivent ses séjours."
        )
    if not stay_allowed(current, name):
        raise DomainError(
            f"Ce séjour est « {current.get_status_display().lower()} » : il ne peut plus {LABELS[name]}. "
            "Rien n'a été modifié."
        )
    if version is not None and version != current.version:
        raise ConflictError(
            "Quelqu'un a agi sur ce séjour pendant que vous le lisiez : rien n'a été modifié. "
            "Voici son état à jour."
        )
    return current


def _answer(actor: Actor, request: StayRequest, name: str, version) -> StayRequest:
    current = _lock_request(actor, request, name, version, answering=True)
    current.answered_by, current.answered_at = actor.membership, timezone.now()
    _move_request(actor, current, name)
    _answered(actor, current)
    return current


def _move_request(actor: Actor, request: StayRequest, name: str) -> None:
    request.status = REQUEST_TRANSITIONS[name][1]
    request.version += 1
    request.save()
    _record(actor, request, REQUEST_AUDIT[name])


def _move_stay(actor: Actor, stay: Stay, name: str, action: str, **more) -> Stay:
    target = STAY_TRANSITIONS[name][1]
    if target is not None:
        stay.status = target
    stay.version += 1
    _guarded(stay.save)
    _record_stay(actor, stay, action, **more)
    return stay


def _record(actor: Actor, request: StayRequest, action: str, **more) -> None:
    facts = {
        "stay_request": str(request.public_id),
        "status": request.status,
        "adults": request.adults,
        "children": len(request.children_ages),
        **more,
    }
    audit.record(actor=actor, action=action, obj=request.situation, changes=facts)


def _record_stay(actor: Actor, stay: Stay, action: str, **more) -> None:
    """Facts only: the unit's public id (never its name, which may hint at a place, nor its address)."""
    facts = {
        "stay": str(stay.public_id),
        "unit": str(stay.unit.public_id),
        "status": stay.status,
        "starts_on": stay.starts_on.isoformat(),
        "ends_on": stay.ends_on.isoformat(),
        **more,
    }
    audit.record(actor=actor, action=action, obj=stay.situation, changes=facts)


def _answered(actor: Actor, request: StayRequest) -> None:
    notifications_settle(target=request, kind=StayNotificationKind.STAY_REQUESTED)
    notify(
        actor=actor,
        recipients=policies.memberships_requesting(request),
        kind=StayNotificationKind.STAY_REQUEST_ANSWERED,
        target=request,
    )
