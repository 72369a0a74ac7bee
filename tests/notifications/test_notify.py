"""The notifications app: alerts with generic targets, described by their app; alerts that lived in
situations move here with their ids, dates and read state."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maillage.notifications import services
from maillage.notifications.models import Notification
from tests.network.factories import MembershipFactory
from tests.situations.factories import SituationFactory


@pytest.mark.django_db
def test_unknown_kinds_and_targets_are_refused(territory):
    situation = SituationFactory(territory=territory)
    membership = MembershipFactory(territory=territory)
    with pytest.raises(ValueError, match="Unknown alert kind"):
        services.notify(actor=None, recipients=[membership], kind="nope", target=situation)
    with pytest.raises(ValueError, match="No describer"):
        services.notify(actor=None, recipients=[membership], kind="situation_reported", target=membership)
    assert not Notification.objects.exists()


BEFORE = [("situations", "0004_notification_kind_commune_moves"), ("notifications", "0001_initial")]
AFTER = [("situations", "0005_notifications_moved"), ("notifications", "0002_from_situations")]


@pytest.mark.django_db(transaction=True)
def test_alerts_move_from_situations_with_their_ids_dates_and_state():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("accounts", "User").objects.create(email="referente@exemple.test")
    territory = old.get_model("territories", "Territory").objects.create(name="Pays de Test", kind="epci")
    commune = old.get_model("territories", "Commune").objects.create(
        territory=territory, name="Mouchamps", postal_code="85640", insee_code="85153", population=2957
    )
    organisation = old.get_model("network", "Organisation").objects.create(
        name="EPCI", kind="local_authority"
    )
    membership = old.get_model("network", "Membership").objects.create(
        user=user, organisation=organisation, territory=territory
    )
    situation = old.get_model("situations", "Situation").objects.create(
        territory=territory,
        pseudonym="S-2026-0001",
        commune=commune,
        detected_on=datetime.date(2026, 3, 1),
        created_by=membership,
    )
    access = old.get_model("situations", "EmergencyAccess").objects.create(
        situation=situation,
        user=user,
        membership=membership,
        reason="Appel en détresse",
        expires_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    OldNotification = old.get_model("situations", "Notification")
    reported = OldNotification.objects.create(
        recipient=membership, situation=situation, kind="situation_reported"
    )
    emergency = OldNotification.objects.create(
        recipient=membership,
        situation=situation,
        emergency_access=access,
        kind="emergency_access",
        read_at=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
    )
    dated = datetime.datetime(2026, 3, 1, 8, tzinfo=datetime.UTC)
    OldNotification.objects.filter(pk=reported.pk).update(created_at=dated)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("notifications", "Notification")
    moved = {n.public_id: n for n in new.objects.all()}
    assert set(moved) == {reported.public_id, emergency.public_id}
    first, second = moved[reported.public_id], moved[emergency.public_id]
    assert (first.target_type, first.target_id, first.read_at) == (
        "situations.situation",
        situation.public_id,
        None,
    )
    assert first.created_at == dated and first.recipient_id == membership.pk
    assert (second.target_type, second.target_id, second.read_at) == (
        "situations.emergencyaccess",
        access.public_id,
        emergency.read_at,
    )
    assert isinstance(first.public_id, uuid.UUID)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
