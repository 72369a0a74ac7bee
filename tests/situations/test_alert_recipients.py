"""Every kind of alert about a situation goes to the people the policy's reverse side says may open it (or
review it), narrowed to whom the kind is for — never to someone who cannot open it: an excluded coordinator,
a referent of another commune, a professional whose organisation does not follow it."""

import pytest

from maillage.network.enums import Role
from maillage.notifications.models import Notification
from maillage.situations import policies, services
from maillage.situations.enums import NotificationKind
from tests.network.factories import MembershipFactory
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

REASON = "La victime est à l'accueil du CCAS, la référente est injoignable"


def alerted(target, kind) -> set[int]:
    return set(Notification.objects.about(target).filter(kind=kind).values_list("recipient", flat=True))


def seeing(situation, **filters) -> set[int]:
    return set(policies.memberships_seeing(situation).filter(**filters).values_list("pk", flat=True))


@pytest.fixture
def second_coordinator(net):
    return MembershipFactory(territory=net.territory, organisation=net.epci, roles=["coordinator"])


def test_situation_reported(net, second_coordinator):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    expected = seeing(situation, role_set__role=Role.COORDINATOR) | seeing(
        situation, role_set__role=Role.REFERENT, referent_of__commune=net.mouchamps
    )
    assert alerted(situation, NotificationKind.SITUATION_REPORTED) == expected
    assert expected == {net["coordinator"].pk, second_coordinator.pk, net["referent"].pk}


def test_referent_assigned(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(
        actor=net.actor("coordinator"), situation=situation, membership=net["referent_elsewhere"]
    )
    situation.refresh_from_db()
    assert alerted(situation, NotificationKind.REFERENT_ASSIGNED) == {net["referent_elsewhere"].pk}
    assert net["referent_elsewhere"].pk in seeing(situation)


def test_emergency_access_goes_to_the_dpo_and_the_coordinators_who_may_open_it(net, second_coordinator):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=second_coordinator.user, reason="Voisine"
    )
    access = services.emergency_access_request(
        actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason=REASON
    )
    recipients = alerted(access, NotificationKind.EMERGENCY_ACCESS)
    assert recipients == set(
        policies.memberships_reviewing_emergencies(situation).values_list("pk", flat=True)
    )
    # The excluded coordinator gets nothing, not even an alert without the pseudonym.
    assert recipients == {net["coordinator"].pk, net["dpo"].pk}


def test_commune_moves(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    before = seeing(situation, role_set__role=Role.REFERENT)
    services.situation_update(
        actor=net.actor("coordinator"), situation=situation, version=situation.version, commune=net.vendrennes
    )
    situation.refresh_from_db()
    after = seeing(situation, role_set__role=Role.REFERENT)
    assert (
        alerted(situation, NotificationKind.SITUATION_MOVED_IN)
        == after - before
        == {net["referent_elsewhere"].pk}
    )
    assert alerted(situation, NotificationKind.SITUATION_MOVED_OUT) == before - after == {net["referent"].pk}


def test_every_kind_of_alert_is_covered_here():
    covered = {
        NotificationKind.SITUATION_REPORTED,
        NotificationKind.REFERENT_ASSIGNED,
        NotificationKind.EMERGENCY_ACCESS,
        NotificationKind.SITUATION_MOVED_IN,
        NotificationKind.SITUATION_MOVED_OUT,
    }
    assert covered == set(NotificationKind), "a new kind of alert needs its recipients test in this module"
