"""Alerts about a situation someone can no longer open keep their date and kind, never its pseudonym nor a
link to it (decided in SQL by the one policy); the DPO's break-the-glass alerts stay whole; a coordinator
excluded from a situation does not review its emergency accesses."""

import re
from html import unescape

import pytest
from django.urls import reverse

from maillage.errors import PermissionDeniedError
from maillage.notifications import registry, selectors
from maillage.notifications.models import Notification
from maillage.situations import services
from maillage.situations.enums import EmergencyAccessReview, NotificationKind
from tests.situations.factories import report_situation

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("notifications:list")
NEUTRAL = "Cette situation ne vous est plus accessible"
REASON = "La victime est à l'accueil du CCAS, la référente est injoignable"


def text(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def open_link(notification) -> str:
    return reverse("notifications:open", args=[notification.public_id])


def lose_access(net, situation, how: str) -> str:
    """Takes the situation away from a referent who was alerted about it; returns that referent's name."""
    coordinator = net.actor("coordinator")
    if how == "excluded":
        services.exclusion_add(actor=coordinator, situation=situation, user=net["referent"].user, reason="x")
        return "referent"
    if how == "restricted":
        services.situation_restrict(actor=coordinator, situation=situation, named_users=[], reason="Membre")
        return "referent"
    services.referent_assign(actor=coordinator, situation=situation, membership=net["referent_elsewhere"])
    services.referent_assign(actor=coordinator, situation=situation, membership=None)
    return "referent_elsewhere"


@pytest.mark.parametrize("how", ["excluded", "restricted", "unassigned"])
def test_an_alert_about_a_lost_situation_keeps_its_date_and_kind_only(net, how):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    name = lose_access(net, situation, how)
    (alert,) = Notification.objects.filter(recipient=net[name])
    html = text(net.client(name).get(NOTIFICATIONS))
    row = re.search(r"<tr>\s*<td>[^<]*</td>.*?</tr>", html, re.DOTALL).group(0)
    assert registry.label(alert.kind) in row and NEUTRAL in row
    assert situation.pseudonym not in html
    assert open_link(alert) not in html and str(situation.public_id) not in html


def test_an_alert_about_a_situation_still_open_names_it(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    alert = Notification.objects.get(recipient=net["referent"])
    html = text(net.client("referent").get(NOTIFICATIONS))
    assert situation.pseudonym in html and open_link(alert) in html and NEUTRAL not in html


class TestEmergencyAccessAlerts:
    @pytest.fixture
    def access(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        access = services.emergency_access_request(
            actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason=REASON
        )
        services.exclusion_add(
            actor=net.actor("coordinator"),
            situation=situation,
            user=net["coordinator"].user,
            reason="La victime est sa voisine",
        )
        return access

    def test_the_dpo_keeps_them_whole(self, net, access):
        alert = Notification.objects.get(recipient=net["dpo"])
        html = text(net.client("dpo").get(NOTIFICATIONS))
        assert access.situation.pseudonym in html and open_link(alert) in html and NEUTRAL not in html
        html = text(net.client("dpo").get(reverse("situations:emergency_reviews")))
        assert access.situation.pseudonym in html and REASON in html

    def test_an_excluded_coordinator_neither_reads_nor_reviews_them(self, net, access):
        client = net.client("coordinator")
        html = text(client.get(NOTIFICATIONS))
        assert NEUTRAL in html and access.situation.pseudonym not in html
        html = text(client.get(reverse("situations:emergency_reviews")))
        assert access.situation.pseudonym not in html and REASON not in html
        review = reverse("situations:emergency_review", args=[access.public_id])
        assert client.post(review, {f"{access.public_id}-decision": "justified"}).status_code == 404
        with pytest.raises(PermissionDeniedError):
            services.emergency_access_review(actor=net.actor("coordinator"), access=access, justified=True)
        access.refresh_from_db()
        assert access.review == EmergencyAccessReview.PENDING


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_costs_a_fixed_number_of_queries(net, rows, django_assert_num_queries):
    for i in range(rows):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        if i % 2:
            services.exclusion_add(
                actor=net.actor("coordinator"), situation=situation, user=net["referent"].user, reason="x"
            )
    client = net.client("referent")
    client.get(NOTIFICATIONS)
    # session, user, membership (+roles, +communes), unread badge, count, the page, then what may still be
    # named of its situations (one query per kind of target on the page, through `visible_to`)
    with django_assert_num_queries(9):
        html = text(client.get(NOTIFICATIONS))
    assert html.count(NEUTRAL) == rows // 2


def test_the_annotation_is_the_policy(net):
    """What the list names follows the policy (`visible_to`, reviewable emergency accesses), for every
    receiving role."""
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.emergency_access_request(actor=net.actor("ccas"), pseudonym=situation.pseudonym, reason=REASON)
    shown = {
        name: [
            (n.kind, n.label or "")
            for n in selectors.described(net.actor(name), selectors.notifications_of(net.actor(name)))
        ]
        for name in ("coordinator", "referent", "dpo")
    }
    assert shown == {
        "coordinator": [
            (NotificationKind.EMERGENCY_ACCESS, situation.pseudonym),
            (NotificationKind.SITUATION_REPORTED, situation.pseudonym),
        ],
        "referent": [(NotificationKind.SITUATION_REPORTED, situation.pseudonym)],
        "dpo": [(NotificationKind.EMERGENCY_ACCESS, situation.pseudonym)],
    }


def test_the_former_addresses_of_alerts_lead_to_the_new_ones(net):
    """E-mails sent before alerts moved to /notifications/ link to /situations/notifications/<id>/."""
    report_situation(net["gendarme"], commune=net.mouchamps)
    alert = Notification.objects.get(recipient=net["referent"])
    client = net.client("referent")
    response = client.get(f"/situations/notifications/{alert.public_id}/")
    assert response.status_code == 302 and response["Location"] == open_link(alert)
    assert client.get("/situations/notifications/")["Location"] == NOTIFICATIONS
