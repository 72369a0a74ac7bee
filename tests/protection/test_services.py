"""Recording and changing measures: coherent dates, the usual lengths, the status machine, stale forms,
closed situations, the audit trail."""

import datetime

import pytest
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.protection import services
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.situations import services as situation_services
from maillage.situations.enums import ClosureReason

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 31)


def record(world, **values):
    return services.measure_record(
        actor=world.actor("coordinator"),
        situation=world.situation,
        **{"kind": MeasureKind.PROTECTION_ORDER, "authority": Authority.JAF, **values},
    )


def test_months_are_added_on_the_calendar():
    assert services.add_months(DAY, 1) == datetime.date(2026, 2, 28)
    assert services.add_months(DAY, 12) == datetime.date(2027, 1, 31)
    assert services.add_months(datetime.date(2026, 8, 15), 6) == datetime.date(2027, 2, 15)


def test_a_tgd_lasts_six_months_and_an_order_twelve_unless_told(world):
    start = datetime.date(2026, 3, 10)
    assert world.measure.ends_on == services.add_months(world.measure.starts_on, 6) - datetime.timedelta(1)
    order = record(world, status=MeasureStatus.IN_FORCE, starts_on=start)
    assert order.ends_on == datetime.date(2027, 3, 9)
    bar = record(world, kind=MeasureKind.BAR, status=MeasureStatus.IN_FORCE, starts_on=start)
    assert bar.ends_on is None  # no usual length: the judge's decision says
    told = record(world, status=MeasureStatus.IN_FORCE, starts_on=start, ends_on=datetime.date(2026, 9, 1))
    assert told.ends_on == datetime.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": MeasureStatus.IN_FORCE}, "depuis quand"),
        (
            {"status": MeasureStatus.IN_FORCE, "starts_on": DAY, "ends_on": DAY - datetime.timedelta(1)},
            "précéder",
        ),
        (
            {
                "status": MeasureStatus.REQUESTED,
                "requested_on": DAY,
                "decided_on": DAY - datetime.timedelta(1),
            },
            "précéder",
        ),
        ({"status": MeasureStatus.REQUESTED, "requested_on": datetime.date(2999, 1, 1)}, "futur"),
        ({"status": "granted"}, "état"),
        ({"status": MeasureStatus.REQUESTED, "kind": "curfew"}, "mesure"),
        ({"status": MeasureStatus.REQUESTED, "authority": "mayor"}, "autorité"),
    ],
)
def test_incoherent_values_are_refused_with_a_message(world, values, message):
    with pytest.raises(DomainError, match=message):
        record(world, **values)


def test_the_status_machine(world):
    actor = world.actor("coordinator")
    requested = record(world, status=MeasureStatus.REQUESTED, requested_on=DAY)
    granted = services.measure_update(
        actor=actor,
        measure=requested,
        version=1,
        status=MeasureStatus.IN_FORCE,
        starts_on=DAY,
        decided_on=DAY,
    )
    assert (granted.status, granted.version, granted.ends_on) == (
        MeasureStatus.IN_FORCE,
        2,
        datetime.date(2027, 1, 30),
    )
    with pytest.raises(DomainError, match="ne peut pas passer à « Demandée »"):
        services.measure_update(actor=actor, measure=granted, version=2, status=MeasureStatus.REQUESTED)
    ended = services.measure_update(actor=actor, measure=granted, version=2, status=MeasureStatus.ENDED)
    assert ended.status == MeasureStatus.ENDED
    with pytest.raises(DomainError, match="enregistrez une nouvelle mesure"):
        services.measure_update(
            actor=actor, measure=ended, version=3, ends_on=timezone.localdate() + datetime.timedelta(days=90)
        )


def test_a_stale_form_is_refused_and_changes_nothing(world):
    actor = world.actor("coordinator")
    first = services.measure_update(
        actor=actor, measure=world.measure, version=1, ends_on=world.today + datetime.timedelta(days=100)
    )
    with pytest.raises(ConflictError, match="Quelqu'un a modifié cette mesure"):
        services.measure_update(actor=actor, measure=world.measure, version=1, status=MeasureStatus.ENDED)
    world.measure.refresh_from_db()
    assert (world.measure.status, world.measure.ends_on, world.measure.version) == (
        MeasureStatus.IN_FORCE,
        first.ends_on,
        2,
    )


def test_nothing_changed_records_nothing(world):
    before = AuditEntry.objects.count()
    same = services.measure_update(actor=world.actor("coordinator"), measure=world.measure, version=1)
    assert same.version == 1
    assert AuditEntry.objects.count() == before


def test_who_may_record(world):
    for name in ("cidff", "observer", "housing_manager", "dpo"):
        with pytest.raises(PermissionDeniedError):
            services.measure_record(
                actor=world.actor(name),
                situation=world.situation,
                kind=MeasureKind.COMPLAINT,
                authority=Authority.GENDARMERIE,
                status=MeasureStatus.REQUESTED,
            )
    world.break_glass("cidff")
    with pytest.raises(PermissionDeniedError, match="coordination"):
        services.measure_update(
            actor=world.actor("cidff"), measure=world.measure, version=1, status=MeasureStatus.ENDED
        )


def test_a_closed_situation_keeps_its_measures_unchanged(world):
    situation_services.situation_close(
        actor=world.actor("coordinator"), situation=world.situation, reason=ClosureReason.OTHER
    )
    world.situation.refresh_from_db()
    world.measure.refresh_from_db()
    with pytest.raises(DomainError, match="clôturée"):
        services.measure_update(
            actor=world.actor("coordinator"), measure=world.measure, version=1, status=MeasureStatus.ENDED
        )


def test_changes_are_audited_with_the_situation(world):
    services.measure_update(
        actor=world.actor("referent"), measure=world.measure, version=1, status=MeasureStatus.ENDED
    )
    recorded, updated = AuditEntry.objects.filter(
        action__in=[AuditAction.MEASURE_RECORDED, AuditAction.MEASURE_UPDATED],
        object_public_id=world.situation.public_id,
    ).order_by("sequence")
    assert recorded.changes["kind"] == "tgd"
    assert updated.changes["status"] == ["in_force", "ended"]
    assert updated.changes["version"] == [1, 2]
