"""The notifications page: urgency and kind on each alert, filters by kind and unread state (GET), marking the
listed alerts read in one POST, pagination that keeps the filters."""

import re

import pytest
from django.urls import reverse

from maillage.notifications import services as notification_services
from maillage.notifications.models import Notification
from maillage.situations import services
from maillage.situations.enums import NotificationKind
from maillage.web.pagination import PAGE_SIZE
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
READ = reverse("notifications:read_all")
REPORTED = NotificationKind.SITUATION_REPORTED.value
ASSIGNED = NotificationKind.REFERENT_ASSIGNED.value


@pytest.fixture
def net(db):
    return Network()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td>.*?</tr>", html, re.S)


def test_each_alert_shows_its_kind_and_whether_the_situation_is_urgent(net):
    urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    calm = report_situation(net["gendarme"], commune=net.mouchamps)
    html = html_of(net.client("referent").get(LIST))
    (urgent_row,) = [row for row in rows(html) if urgent.pseudonym in row]
    (calm_row,) = [row for row in rows(html) if calm.pseudonym in row]
    assert "Nouvelle situation signalée" in urgent_row and "Danger immédiat" in urgent_row
    assert "Nouvelle situation signalée" in calm_row and "Danger immédiat" not in calm_row


def test_urgency_is_not_shown_of_a_situation_the_reader_no_longer_sees(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["referent"].user, reason="Conflit"
    )
    html = html_of(net.client("referent").get(LIST))
    assert situation.pseudonym not in html
    assert "Danger immédiat" not in html
    assert len(rows(html)) == 1


def test_filter_by_kind_and_unread(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(actor=net.actor("coordinator"), situation=situation, membership=net["referent"])
    client = net.client("referent")
    assert len(rows(html_of(client.get(LIST)))) == 2

    html = html_of(client.get(LIST, {"type": ASSIGNED}))
    assert len(rows(html)) == 1 and "Situation qui vous est confiée" in rows(html)[0]
    assert "Notifications filtrées (1)" in html

    reported = Notification.objects.get(recipient=net["referent"], kind=REPORTED)
    client.get(reverse("notifications:open", args=[reported.public_id]))
    html = html_of(client.get(LIST, {"non_lues": "on"}))
    assert len(rows(html)) == 1 and "Situation qui vous est confiée" in rows(html)[0]
    html = html_of(client.get(LIST, {"type": REPORTED, "non_lues": "on"}))
    assert rows(html) == [] and "Aucune notification ne correspond à ces filtres." in html


def test_an_unknown_kind_filters_nothing(net):
    report_situation(net["gendarme"], commune=net.mouchamps)
    assert len(rows(html_of(net.client("referent").get(LIST, {"type": "nope"})))) == 1


def test_mark_the_filtered_kind_read_only(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(actor=net.actor("coordinator"), situation=situation, membership=net["referent"])
    client = net.client("referent")
    response = client.post(READ, {"type": ASSIGNED})
    assert response.status_code == 302 and response.url == f"{LIST}?type={ASSIGNED}"
    unread = Notification.objects.filter(recipient=net["referent"], read_at__isnull=True)
    assert list(unread.values_list("kind", flat=True)) == [REPORTED]
    assert "1 notification « Situation qui vous est confiée » marquée comme lue." in html_of(
        client.get(response.url)
    )
    client.post(READ)
    assert not unread.exists()


def test_marking_read_touches_only_the_readers_alerts(net):
    report_situation(net["gendarme"], commune=net.mouchamps)
    net.client("referent").post(READ, {"type": REPORTED})
    assert Notification.objects.filter(recipient=net["coordinator"], read_at__isnull=True).count() == 1


def test_mark_read_is_a_post(net):
    assert net.client("referent").get(READ).status_code == 405


def test_pages_keep_the_filters_and_read_a_fixed_number_of_queries(net, django_assert_num_queries):
    situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    for _ in range(PAGE_SIZE + 1):
        notification_services.notify(
            actor=None, recipients=[net["referent"]], kind=ASSIGNED, target=situation
        )
    client = net.client("referent")
    # Session, actor (4), the badge, the count and the page, one description per kind of target.
    with django_assert_num_queries(9):
        html = html_of(client.get(LIST, {"type": ASSIGNED, "non_lues": "on"}))
    assert len(rows(html)) == PAGE_SIZE and html.count("Danger immédiat") == PAGE_SIZE
    assert f"?type={ASSIGNED}&amp;non_lues=on&amp;page=2" in html
    html = html_of(client.get(LIST, {"type": ASSIGNED, "non_lues": "on", "page": 2}))
    assert len(rows(html)) == 1


def test_unread_urgent_alerts_come_first_then_newest_first(net):
    urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    calm = report_situation(net["gendarme"], commune=net.mouchamps)
    html = html_of(net.client("referent").get(LIST))
    assert [urgent.pseudonym in row for row in rows(html)] == [True, False]
    assert calm.pseudonym in rows(html)[1]

    # Once read, the urgent alert takes its place by date again (the newer one first).
    alert = Notification.objects.get(recipient=net["referent"], target_id=urgent.public_id)
    notification_services.notification_mark_read(actor=net.actor("referent"), notification=alert)
    html = html_of(net.client("referent").get(LIST))
    assert [calm.pseudonym in row for row in rows(html)] == [True, False]


def test_the_urgent_flag_names_nothing_and_follows_the_report(net):
    urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    calm = report_situation(net["gendarme"], commune=net.mouchamps)
    flags = dict(Notification.objects.filter(recipient=net["referent"]).values_list("target_id", "urgent"))
    assert flags == {urgent.public_id: True, calm.public_id: False}
