"""Break-the-glass: emergency access to one situation, with the second factor, for 30 minutes, audited,
alerted and reviewed (DOMAIN.md §4)."""

import time
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import DomainError, PermissionDeniedError
from maillage.notifications.models import Notification
from maillage.situations import services
from maillage.situations.enums import EmergencyAccessReview
from maillage.situations.models import EmergencyAccess
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import SituationFactory, report_situation
from tests.situations.worlds import CANARY_LAST_NAME

pytestmark = pytest.mark.django_db

FORM = reverse("situations:emergency_access")
QUEUE = reverse("situations:emergency_reviews")
REASON = "La victime est à l'accueil du CCAS, la référente est injoignable"


def totp_code(user) -> str:
    return format_hotp_value(hotp_value(user.totp_secret, int(time.time()) // 30))


@pytest.fixture
def situation(net):
    """Followed by the gendarmerie in Mouchamps; the CCAS does not see it."""
    return report_situation(
        net["gendarme"],
        commune=net.mouchamps,
        persons=[{"role": "victim", "first_name": "Zoé", "last_name": CANARY_LAST_NAME}],
    )


def ask(net, name, pseudonym, code=None, reason=REASON):
    client = net.client(name)
    code = totp_code(net[name].user) if code is None else code
    return client, client.post(FORM, {"pseudonym": pseudonym, "reason": reason, "code": code})


def detail(situation) -> str:
    return reverse("situations:detail", args=[situation.public_id])


class TestRequest:
    def test_opens_the_situation_for_thirty_minutes(self, net, situation, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            client, response = ask(net, "ccas", situation.pseudonym.lower())
        assert response.status_code == 302 and response.url == detail(situation)
        access = EmergencyAccess.objects.get()
        assert abs(access.expires_at - access.granted_at - timedelta(minutes=30)) < timedelta(seconds=1)
        html = unescape(client.get(detail(situation)).content.decode())
        assert "Accès d'urgence" in html and situation.pseudonym in html
        with time_machine.travel(timezone.now() + timedelta(minutes=29)):
            assert client.get(detail(situation)).status_code == 200
        with time_machine.travel(timezone.now() + timedelta(minutes=31)):
            assert client.get(detail(situation)).status_code == 404
            assert situation.pseudonym not in client.get(reverse("situations:list")).content.decode()

    def test_is_audited_and_each_read_says_it_was_an_emergency(self, net, situation):
        client, _ = ask(net, "ccas", situation.pseudonym)
        client.get(detail(situation))
        trail = AuditEntry.objects.filter(object_public_id=situation.public_id)
        granted = trail.get(action=AuditAction.EMERGENCY_ACCESS_GRANTED)
        assert granted.actor_label == net["ccas"].user.email
        assert granted.changes["minutes"] == 30
        assert REASON not in str(granted.changes)
        viewed = trail.filter(action=AuditAction.SITUATION_VIEWED, actor_label=net["ccas"].user.email).get()
        assert viewed.changes == {"emergency": True}

    def test_alerts_coordinator_and_dpo_without_saying_anything(
        self, net, situation, django_capture_on_commit_callbacks
    ):
        run_queued_tasks()  # the e-mails of the report's alerts…
        mail.outbox.clear()  # …are not the ones counted here
        with django_capture_on_commit_callbacks(execute=True):
            ask(net, "ccas", situation.pseudonym)
        recipients = set(
            Notification.objects.filter(kind="emergency_access").values_list("recipient", flat=True)
        )
        assert recipients == {net["coordinator"].pk, net["dpo"].pk}
        run_queued_tasks()  # the alert e-mails leave through the task queue
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [net["coordinator"].user.email, net["dpo"].user.email]
        )
        for message in mail.outbox:
            assert message.subject == "[Maillage] Une situation demande votre attention"
            for secret in (situation.pseudonym, CANARY_LAST_NAME, "Mouchamps", "urgence", "CCAS", REASON):
                assert secret not in message.subject + message.body

    def test_a_wrong_code_opens_nothing_and_is_recorded(self, net, situation):
        good = totp_code(net["ccas"].user)
        wrong = "000000" if good != "000000" else "111111"
        _, response = ask(net, "ccas", situation.pseudonym, code=wrong)
        assert response.status_code == 200
        assert "Ce code n'est pas valide" in unescape(response.content.decode())
        assert not EmergencyAccess.objects.exists()
        assert AuditEntry.objects.filter(
            action=AuditAction.MFA_FAILED, subject_user_id=net["ccas"].user.pk
        ).exists()

    def test_five_wrong_codes_close_the_door_for_a_while(self, net, situation):
        good = totp_code(net["ccas"].user)
        wrong = "000000" if good != "000000" else "111111"
        for _ in range(5):
            ask(net, "ccas", situation.pseudonym, code=wrong)
        _, response = ask(net, "ccas", situation.pseudonym, code=good)
        assert "Ce code n'est pas valide" in unescape(response.content.decode())
        assert not EmergencyAccess.objects.exists()

    def test_a_code_serves_once(self, net, situation):
        code = totp_code(net["ccas"].user)
        ask(net, "ccas", situation.pseudonym, code=code)
        EmergencyAccess.objects.update(expires_at=timezone.now())
        _, response = ask(net, "ccas", situation.pseudonym, code=code)
        assert "Ce code n'est pas valide" in unescape(response.content.decode())
        assert EmergencyAccess.objects.count() == 1

    def test_an_account_without_authenticator_app_is_told_what_to_do(self, net, situation):
        net["ccas"].user.authenticator_set.all().delete()
        _, response = ask(net, "ccas", situation.pseudonym, code="123456")
        assert "demande une application d'authentification" in unescape(response.content.decode())
        assert not EmergencyAccess.objects.exists()

    @pytest.mark.parametrize("case", ["unknown", "restricted", "excluded", "other_territory"])
    def test_refusals_all_say_the_same(self, net, situation, case):

        pseudonym = situation.pseudonym
        coordinator = net.actor("coordinator")
        if case == "unknown":
            pseudonym = "S-1999-0001"
        elif case == "restricted":
            services.situation_restrict(
                actor=coordinator, situation=situation, named_users=[], reason="Membre"
            )
        elif case == "excluded":
            services.exclusion_add(
                actor=coordinator, situation=situation, user=net["ccas"].user, reason="Famille"
            )
        else:
            other = MembershipFactory(roles=["professional"])
            pseudonym = SituationFactory(territory=other.territory, pseudonym="S-2026-0777").pseudonym
        with pytest.raises(DomainError) as refused:
            services.emergency_access_request(actor=net.actor("ccas"), pseudonym=pseudonym, reason=REASON)
        assert refused.value.message == services.EMERGENCY_REFUSED
        _, response = ask(net, "ccas", pseudonym)
        assert services.EMERGENCY_REFUSED in unescape(response.content.decode())
        assert not EmergencyAccess.objects.exists()

    def test_someone_who_already_sees_it_is_told_so(self, net, situation):
        with pytest.raises(DomainError, match="déjà accès"):
            services.emergency_access_request(
                actor=net.actor("gendarme"), pseudonym=situation.pseudonym, reason=REASON
            )

    def test_a_reason_is_required(self, net, situation):
        with pytest.raises(DomainError, match="Expliquez"):
            services.emergency_access_request(
                actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason="vite"
            )

    @pytest.mark.parametrize("name", ["coordinator", "org_admin", "housing_manager", "observer", "dpo"])
    def test_other_roles_cannot_ask(self, net, situation, name):
        with pytest.raises(PermissionDeniedError):
            services.emergency_access_request(
                actor=net.actor(name), pseudonym=situation.pseudonym, reason=REASON
            )
        assert net.client(name).get(FORM).status_code == 403

    def test_the_platform_admin_cannot_ask(self, net):
        assert net.client("platform_admin").get(FORM).status_code == 403


class TestReview:
    @pytest.fixture
    def access(self, net, situation):
        return services.emergency_access_request(
            actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason=REASON
        )

    @pytest.mark.parametrize("name", ["coordinator", "dpo"])
    def test_appears_in_the_review_queue(self, net, access, name):
        html = unescape(net.client(name).get(QUEUE).content.decode())
        assert access.situation.pseudonym in html and REASON in html
        assert "Enregistrer l'examen" in html

    @pytest.mark.parametrize(
        "name", ["gendarme", "ccas", "referent", "org_admin", "observer", "housing_manager"]
    )
    def test_the_queue_is_for_coordinator_and_dpo_only(self, net, access, name):
        assert net.client(name).get(QUEUE).status_code == 403
        review = reverse("situations:emergency_review", args=[access.public_id])
        assert net.client(name).post(review, {}).status_code == 403

    def test_the_queue_of_another_territory_stays_empty(self, net, access):

        dpo = MembershipFactory(roles=["dpo"])
        html = sign_in(Client(), dpo.user, dpo).get(QUEUE).content.decode()
        assert access.situation.pseudonym not in html
        review = reverse("situations:emergency_review", args=[access.public_id])
        client = sign_in(Client(), dpo.user, dpo)
        assert client.post(review, {f"{access.public_id}-decision": "justified"}).status_code == 404

    def test_justified(self, net, access):
        review = reverse("situations:emergency_review", args=[access.public_id])
        response = net.client("dpo").post(review, {f"{access.public_id}-decision": "justified"}, follow=True)
        access.refresh_from_db()
        assert access.review == EmergencyAccessReview.JUSTIFIED and access.reviewed_by == net["dpo"]
        html = unescape(response.content.decode())
        assert "Examen de l'accès d'urgence" in html and "Justifié" in html
        assert (
            AuditEntry.objects.filter(action=AuditAction.EMERGENCY_ACCESS_REVIEWED).get().changes["review"]
            == "justified"
        )
        assert not Notification.objects.about(access).unread().exists()

    def test_unjustified_needs_a_comment_and_ends_the_access(self, net, access):
        review = reverse("situations:emergency_review", args=[access.public_id])
        client = net.client("coordinator")
        response = client.post(review, {f"{access.public_id}-decision": "unjustified"}, follow=True)
        assert "Expliquez pourquoi" in unescape(response.content.decode())
        client.post(
            review,
            {f"{access.public_id}-decision": "unjustified", f"{access.public_id}-comment": "Pas d'urgence"},
        )
        access.refresh_from_db()
        assert access.review == EmergencyAccessReview.UNJUSTIFIED
        assert net.client("ccas").get(detail(access.situation)).status_code == 404

    def test_a_review_sent_with_a_mistake_keeps_what_was_typed_and_is_summarised(self, net, access):
        review = reverse("situations:emergency_review", args=[access.public_id])
        prefix = access.public_id
        response = net.client("coordinator").post(review, {f"{prefix}-comment": "Appel du 17 vérifié"})
        html = unescape(response.content.decode())
        assert response.status_code == 200
        assert "<title>Erreur : " in html
        assert 'class="error-summary"' in html
        assert f'href="#id_{prefix}-decision_0"' in html
        assert "Appel du 17 vérifié</textarea>" in html
        access.refresh_from_db()
        assert access.review == EmergencyAccessReview.PENDING

    def test_a_review_already_made_by_someone_else_is_told_not_resummarised(self, net, access):
        services.emergency_access_review(actor=net.actor("dpo"), access=access, justified=True)
        review = reverse("situations:emergency_review", args=[access.public_id])
        response = net.client("coordinator").post(
            review,
            {f"{access.public_id}-decision": "unjustified", f"{access.public_id}-comment": "Non"},
            follow=True,
        )
        assert "déjà été examiné" in unescape(response.content.decode())
        access.refresh_from_db()
        assert access.review == EmergencyAccessReview.JUSTIFIED

    def test_a_review_is_final(self, net, access):
        services.emergency_access_review(actor=net.actor("dpo"), access=access, justified=True)
        with pytest.raises(DomainError, match="déjà été examiné"):
            services.emergency_access_review(
                actor=net.actor("coordinator"), access=access, justified=False, comment="x"
            )

    def test_the_notification_leads_to_the_queue(self, net, access):
        notification = Notification.objects.get(recipient=net["dpo"])
        response = net.client("dpo").get(reverse("notifications:open", args=[notification.public_id]))
        assert response.status_code == 302 and response.url == QUEUE
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_the_dpo_sees_who_accessed_without_seeing_the_situation(self, net, access):
        client = net.client("ccas")
        client.get(detail(access.situation))
        dpo = net.client("dpo")
        assert dpo.get(detail(access.situation)).status_code == 403
        html = unescape(
            dpo.get(reverse("situations:accesses", args=[access.situation.public_id])).content.decode()
        )
        # Named, not by e-mail address (issue 10, item 9).
        assert f"<td>{net['ccas'].user.get_full_name()}</td>" in html and "(accès d'urgence)" in html
        assert net["ccas"].user.email not in html
        assert CANARY_LAST_NAME not in html
