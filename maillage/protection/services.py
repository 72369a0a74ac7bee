"""Recording and changing protective measures. Each service re-checks the situation's policy, writes its
audit entry in the same transaction, and refuses an illegal move of the status machine or a stale form."""

import calendar
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.protection import policies
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.situations import policies as situation_policies
from maillage.situations.enums import SituationStatus
from maillage.situations.models import Situation

S = MeasureStatus
# The status machine: from each status, where a change may lead (staying put = correcting dates).
TRANSITIONS: dict[str, set[str]] = {
    S.REQUESTED: {S.REQUESTED, S.IN_FORCE, S.REFUSED, S.LAPSED},
    S.IN_FORCE: {S.IN_FORCE, S.ENDED, S.LAPSED},
    S.ENDED: set(),
    S.REFUSED: set(),
    S.LAPSED: set(),
}
FIELDS = ("kind", "authority", "status", "requested_on", "decided_on", "starts_on", "ends_on")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_end(kind: str, starts_on: datetime.date | None) -> datetime.date | None:
    """A TGD is granted for 6 months, an ordonnance de protection for 12 (settings: territory practice)."""
    months = settings.MAILLAGE_MEASURE_DURATION_MONTHS.get(kind)
    if months is None or starts_on is None:
        return None
    return add_months(starts_on, months) - datetime.timedelta(days=1)


def _require_recorder(actor: Actor, situation: Situation) -> None:
    if not situation_policies.can_open(actor, situation):
        raise PermissionDeniedError
    if not policies.can_record_measures(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation peuvent enregistrer "
            "ses mesures de protection."
        )
    if situation.status == SituationStatus.CLOSED:
        raise DomainError("Cette situation est clôturée : rouvrez-la avant de modifier ses mesures.")


def _checked(values: dict) -> dict:
    """Coherent values, or a DomainError saying what to fix. Fills a TGD's or an order's usual end."""
    if values["kind"] not in MeasureKind.values:
        raise DomainError("Choisissez la mesure.")
    if values["authority"] not in Authority.values:
        raise DomainError("Choisissez l'autorité.")
    if values["status"] not in MeasureStatus.values:
        raise DomainError("Choisissez l'état de la mesure.")
    today = timezone.localdate()
    for name, label in (("requested_on", "demande"), ("decided_on", "décision")):
        if values[name] and values[name] > today:
            raise DomainError(f"La date de {label} ne peut pas être dans le futur.")
    if values["requested_on"] and values["decided_on"] and values["decided_on"] < values["requested_on"]:
        raise DomainError("La décision ne peut pas précéder la demande.")
    if values["status"] in (S.IN_FORCE, S.ENDED) and not values["starts_on"]:
        raise DomainError("Indiquez depuis quand la mesure est en vigueur.")
    if values["status"] == S.IN_FORCE and not values["ends_on"]:
        values["ends_on"] = default_end(values["kind"], values["starts_on"])
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        raise DomainError("La fin de la mesure ne peut pas précéder son début.")
    if values["status"] == S.ENDED and not values["ends_on"]:
        values["ends_on"] = today
    return values


@transaction.atomic
def measure_record(
    *,
    actor: Actor,
    situation: Situation,
    kind: str,
    authority: str,
    status: str,
    requested_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> ProtectiveMeasure:
    _require_recorder(actor, situation)
    values = _checked(
        {
            "kind": kind,
            "authority": authority,
            "status": status,
            "requested_on": requested_on,
            "decided_on": decided_on,
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
    )
    measure = ProtectiveMeasure.objects.create(situation=situation, recorded_by=actor.membership, **values)
    audit.record(
        actor=actor,
        action=AuditAction.MEASURE_RECORDED,
        obj=situation,
        changes={"measure": str(measure.public_id), **{name: values[name] for name in FIELDS}},
    )
    return measure


@transaction.atomic
def measure_update(*, actor: Actor, measure: ProtectiveMeasure, version: int, **changes) -> ProtectiveMeasure:
    """Changes a measure read at `version`: its dates, or its status along `TRANSITIONS` (a measure ended,
    refused or lapsed is not changed any more: record a new one). A form read at an older version is
    refused (ConflictError) and nothing is overwritten."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    situation = measure.situation
    _require_recorder(actor, situation)
    measure = ProtectiveMeasure.objects.select_for_update().get(pk=measure.pk)
    if measure.version != version:
        raise ConflictError(
            "Quelqu'un a modifié cette mesure pendant que vous la modifiiez : elle est maintenant "
            f"« {measure.get_status_display()} »"
            + (f", jusqu'au {measure.ends_on:%d/%m/%Y}" if measure.ends_on else "")
            + ". Vos modifications n'ont pas été enregistrées : vérifiez-les puis enregistrez à nouveau."
        )
    before = {name: getattr(measure, name) for name in FIELDS}
    values = {**before, **changes}
    if values["status"] not in TRANSITIONS[before["status"]]:
        raise DomainError(
            f"Une mesure « {MeasureStatus(before['status']).label} » ne peut pas passer à "
            f"« {MeasureStatus(values['status']).label} »"
            + (" : enregistrez une nouvelle mesure." if not TRANSITIONS[before["status"]] else ".")
        )
    values = _checked(values)
    changed = [name for name in FIELDS if values[name] != before[name]]
    if not changed:
        return measure
    for name in changed:
        setattr(measure, name, values[name])
    old_version, measure.version = measure.version, measure.version + 1
    measure.save()
    audit.record(
        actor=actor,
        action=AuditAction.MEASURE_UPDATED,
        obj=situation,
        changes={
            "measure": str(measure.public_id),
            "version": [old_version, measure.version],
            **{name: [before[name], values[name]] for name in changed},
        },
    )
    return measure
