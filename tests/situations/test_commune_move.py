"""Moving a situation to another commune changes which referents see the victim's identity: only
coordination may do it (policies.can_change_commune), it is audited without the commune, and the referents
who gain or lose it — as the real policy says, before and after — are alerted; nobody else."""

from html import unescape

import pytest
from django.core import mail
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import PermissionDeniedError
from maillage.notifications.models import Notification
from maillage.situations import policies, services
from maillage.situations.enums import NotificationKind
from tests.queue import run_queued_tasks
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

MOVED_IN, MOVED_OUT = NotificationKind.SITUATION_MOVED_IN, NotificationKind.SITUATION_MOVED_OUT


@pytest.fixture
def situation(net):
    """Reported in Mouchamps by the gendarmerie; the alerts of the report are set aside."""
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    Notification.objects.all().delete()
    return situation


def move(net, name, situation, commune=None):
    situation.refresh_from_db()
    return services.situation_update(
        actor=net.actor(name),
        situation=situation,
        version=situation.version,
        commune=commune or net.vendrennes,
    )


def alerts() -> set[tuple[str, str]]:
    return {(n.recipient.user.email, n.kind) for n in Notification.objects.select_related("recipient__user")}


def email(net, name) -> str:
    return net[name].user.email


class TestWhoMayMoveIt:
    @pytest.mark.parametrize("name", ["gendarme", "gendarme_colleague"])
    def test_a_participating_professional_may_not(self, net, situation, name):
        with pytest.raises(PermissionDeniedError, match="seules la coordination et la personne référente"):
            move(net, name, situation)
        situation.refresh_from_db()
        assert situation.commune == net.mouchamps and situation.version == 1
        assert not Notification.objects.exists()
        assert not AuditEntry.objects.filter(action=AuditAction.SITUATION_UPDATED).exists()

    def test_nor_through_break_the_glass(self, net, situation):
        services.emergency_access_request(
            actor=net.actor("ccas"),
            pseudonym=situation.pseudonym,
            reason="La victime est à l'accueil du CCAS, la référente est injoignable",
        )
        with pytest.raises(PermissionDeniedError):
            move(net, "ccas", situation)
        situation.refresh_from_db()
        assert situation.commune == net.mouchamps

    def test_a_professional_still_edits_the_other_detection_fields(self, net, situation):
        updated = services.situation_update(
            actor=net.actor("gendarme"),
            situation=situation,
            version=situation.version,
            commune=net.mouchamps,  # unchanged: not a move
            urgent=True,
        )
        assert updated.urgent and updated.commune == net.mouchamps

    @pytest.mark.parametrize(
        ("name", "allowed"),
        [("coordinator", True), ("referent", True), ("referent_elsewhere", False), ("gendarme", False)],
    )
    def test_the_predicate_is_coordination(self, net, situation, name, allowed):
        assert policies.can_change_commune(net.actor(name), situation) is allowed


class TestEditPage:
    def url(self, situation):
        return reverse("situations:edit", args=[situation.public_id])

    def test_the_commune_is_not_offered_to_a_participant(self, net, situation):
        client = net.client("gendarme")
        html = unescape(client.get(self.url(situation)).content.decode())
        assert 'name="commune"' not in html
        assert "Seules la coordination et la personne référente de la situation peuvent la changer." in html
        # A commune slipped into the form anyway is not taken; the rest is saved.
        data = {
            "version": "1",
            "commune": str(net.vendrennes.public_id),
            "detected_on": situation.detected_on.isoformat(),
            "sources": situation.sources,
            "violence_types": situation.violence_types,
            "urgent": "oui",
        }
        assert client.post(self.url(situation), data).status_code == 302
        situation.refresh_from_db()
        assert situation.commune == net.mouchamps and situation.urgent
        assert not Notification.objects.exists()

    @pytest.mark.parametrize("name", ["coordinator", "referent"])
    def test_coordination_moves_it_from_the_page(self, net, situation, name):
        client = net.client(name)
        html = unescape(client.get(self.url(situation)).content.decode())
        assert 'name="commune"' in html and "elles en sont averties" in html
        data = {
            "version": "1",
            "commune": str(net.vendrennes.public_id),
            "detected_on": situation.detected_on.isoformat(),
            "sources": situation.sources,
            "violence_types": situation.violence_types,
            "urgent": "non",
        }
        assert client.post(self.url(situation), data).status_code == 302
        situation.refresh_from_db()
        assert situation.commune == net.vendrennes


class TestAlerts:
    def test_the_referents_who_gain_and_lose_it_are_alerted(
        self, net, situation, django_capture_on_commit_callbacks
    ):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            move(net, "coordinator", situation)
        assert alerts() == {
            (email(net, "referent_elsewhere"), MOVED_IN),
            (email(net, "referent"), MOVED_OUT),
        }
        run_queued_tasks()  # the alert e-mails leave through the task queue
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [email(net, "referent_elsewhere"), email(net, "referent")]
        )
        for message in mail.outbox:
            assert message.subject == "[Maillage] Une situation demande votre attention"
            for secret in (situation.pseudonym, "Mouchamps", "Vendrennes", "commune", "quitté", "transférée"):
                assert secret not in message.subject + message.body

    def test_the_gaining_referent_is_told_which_the_losing_one_is_not(self, net, situation):
        move(net, "coordinator", situation)
        notifications = reverse("notifications:list")
        html = unescape(net.client("referent_elsewhere").get(notifications).content.decode())
        assert "Situation transférée dans vos communes" in html and situation.pseudonym in html
        html = unescape(net.client("referent").get(notifications).content.decode())
        assert "Une situation a quitté vos communes" in html
        assert "Cette situation ne vous est plus accessible" in html and situation.pseudonym not in html

    def test_the_acting_referent_is_not_alerted(self, net, situation):
        move(net, "referent", situation)
        assert alerts() == {(email(net, "referent_elsewhere"), MOVED_IN)}

    def test_the_assigned_referent_keeps_it_and_is_not_told_they_lost_it(self, net, situation):
        services.referent_assign(
            actor=net.actor("coordinator"), situation=situation, membership=net["referent"]
        )
        Notification.objects.all().delete()
        move(net, "coordinator", situation)
        assert alerts() == {(email(net, "referent_elsewhere"), MOVED_IN)}

    def test_nobody_hears_of_a_restricted_situation_they_cannot_open(self, net, situation):
        services.situation_restrict(
            actor=net.actor("coordinator"), situation=situation, named_users=[], reason="Membre du réseau"
        )
        move(net, "coordinator", situation)
        assert alerts() == set()

    def test_a_named_referent_keeps_a_restricted_situation_and_hears_nothing(self, net, situation):
        services.situation_restrict(
            actor=net.actor("coordinator"),
            situation=situation,
            named_users=[net["referent_elsewhere"].user],
            reason="Membre du réseau",
        )
        move(net, "coordinator", situation)
        assert alerts() == set()

    def test_an_excluded_referent_of_the_new_commune_is_not_told(self, net, situation):
        services.exclusion_add(
            actor=net.actor("coordinator"),
            situation=situation,
            user=net["referent_elsewhere"].user,
            reason="Voisin",
        )
        move(net, "coordinator", situation)
        assert alerts() == {(email(net, "referent"), MOVED_OUT)}

    def test_the_move_is_audited_without_either_commune(self, net, situation):
        move(net, "coordinator", situation)
        entry = AuditEntry.objects.get(action=AuditAction.SITUATION_UPDATED)
        assert entry.changes == {"version": [1, 2], "fields": ["commune"]}
        trail = str(list(AuditEntry.objects.values_list("changes", flat=True)))
        for secret in (
            "Mouchamps",
            "Vendrennes",
            str(net.vendrennes.public_id),
            str(net.mouchamps.public_id),
        ):
            assert secret not in trail
