"""The « À traiter » home: what needs each role now, counted and listed only through the situation policy."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.situations import services
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def net(db):
    return Network()


def page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    """The markup of one section of the home, or "" when the page has none."""
    found = re.search(rf'<section [^>]*data-testid="{testid}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def count_in(html: str, testid: str) -> int:
    return int(re.search(r'<span class="badge[^"]*">(\d+)</span></h3>', section(html, testid)).group(1))


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def test_situations_without_referent_urgent_first_with_a_link_to_name_one(net):
    calm = report_situation(net["gendarme"], commune=net.mouchamps)
    urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    followed = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(actor=net.actor("coordinator"), situation=followed, membership=net["referent"])

    html = page(net.client("coordinator"))
    lines = section(html, "without-referent")
    assert count_in(html, "without-referent") == 2
    assert lines.index(urgent.pseudonym) < lines.index(calm.pseudonym)
    assert followed.pseudonym not in lines
    assert reverse("situations:coordination", args=[urgent.public_id]) in lines
    assert "Danger immédiat" in lines


def test_a_closed_situation_needs_no_referent(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.situation_close(actor=net.actor("coordinator"), situation=situation, reason="resolved")
    html = page(net.client("coordinator"))
    assert count_in(html, "without-referent") == 0
    assert "Chaque situation ouverte que vous voyez a une personne référente." in section(
        html, "without-referent"
    )


def test_nothing_is_counted_or_named_from_a_situation_the_reader_may_not_see(net):
    # Reported in Mouchamps by the gendarmerie: its referent sees it, the referent of Vendrennes and the CIDFF
    # (not participating) do not.
    situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    services.task_add(
        actor=net.actor("gendarme"),
        situation=situation,
        title="Rappeler la victime",
        owner=net["gendarme"],
        due_on=yesterday(),
    )
    assert count_in(page(net.client("referent")), "without-referent") == 1
    for name in ("referent_elsewhere", "cidff"):
        html = page(net.client(name))
        assert situation.pseudonym not in html
        assert "Rappeler la victime" not in html
        assert count_in(html, "without-referent") == 0
        assert count_in(html, "overdue-tasks") == 0


def test_a_task_owner_set_aside_from_the_situation_no_longer_sees_the_task(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.task_add(
        actor=net.actor("gendarme"),
        situation=situation,
        title="Rappeler la victime",
        owner=net["gendarme"],
        due_on=yesterday(),
    )
    assert count_in(page(net.client("gendarme")), "overdue-tasks") == 1
    services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["gendarme"].user, reason="Conflit"
    )
    html = page(net.client("gendarme"))
    assert count_in(html, "overdue-tasks") == 0 and "Rappeler la victime" not in html


def test_overdue_tasks_the_own_for_a_professional_all_for_the_coordinator(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    gendarme = net.actor("gendarme")
    for title, owner, due_on in (
        ("Tâche du gendarme", net["gendarme"], yesterday()),
        ("Tâche du collègue", net["gendarme_colleague"], yesterday()),
        ("Tâche à venir", net["gendarme"], timezone.localdate() + datetime.timedelta(days=3)),
    ):
        services.task_add(actor=gendarme, situation=situation, title=title, owner=owner, due_on=due_on)

    html = page(net.client("gendarme"))
    tasks = section(html, "overdue-tasks")
    assert count_in(html, "overdue-tasks") == 1
    assert "Tâche du gendarme" in tasks and "Tâche du collègue" not in tasks and "Tâche à venir" not in tasks
    assert f"{reverse('situations:detail', args=[situation.public_id])}#taches" in tasks

    html = page(net.client("coordinator"))
    tasks = section(html, "overdue-tasks")
    assert count_in(html, "overdue-tasks") == 2
    assert "Tâche du gendarme" in tasks and "Tâche du collègue" in tasks and "Tâche à venir" not in tasks


def test_pending_emergency_reviews_for_the_coordinator_and_the_dpo_only(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps)
    services.emergency_access_request(
        actor=net.actor("cidff"), pseudonym=situation.pseudonym, reason="Appel de la victime cette nuit"
    )
    for name in ("coordinator", "dpo"):
        html = page(net.client(name))
        assert count_in(html, "emergency-reviews") == 1
        assert reverse("situations:emergency_reviews") in section(html, "emergency-reviews")
    for name in ("gendarme", "referent", "cidff"):
        assert 'data-testid="emergency-reviews"' not in page(net.client(name))


def test_unread_alerts_listed_with_their_danger_and_a_link_that_opens_them(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    html = page(net.client("referent"))
    alerts = section(html, "unread-alerts")
    assert count_in(html, "unread-alerts") == 1
    assert situation.pseudonym in alerts and "/notifications/" in alerts and "Danger immédiat" in alerts


def test_an_alert_about_a_situation_no_longer_visible_names_nothing(net):
    situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["referent"].user, reason="Conflit"
    )
    html = page(net.client("referent"))
    alerts = section(html, "unread-alerts")
    assert count_in(html, "unread-alerts") == 1
    assert situation.pseudonym not in html and "Danger immédiat" not in alerts


def test_roles_that_see_no_situation_keep_their_cards(net):
    # The observer's first page is the statistics dashboard (issue 15): no to-do there either.
    response = net.client("observer").get(HOME, follow=True)
    assert response.redirect_chain == [(reverse("statistics:dashboard"), 302)]
    html = response.content.decode()
    assert 'data-testid="to-do"' not in html
    assert reverse("network:directory") in html
    html = page(net.client("dpo"))
    assert 'data-testid="without-referent"' not in html and 'data-testid="emergency-reviews"' in html
    assert reverse("audit:trail") in html


def test_empty_states_in_plain_words(net):
    html = page(net.client("coordinator"))
    assert "Aucune tâche en retard." in html
    assert "Aucun accès d'urgence n'attend votre examen." in html
    assert "Vous avez tout lu." in html


def test_the_home_reads_a_fixed_number_of_queries(net, django_assert_num_queries):
    client = net.client("coordinator")

    def add_work():
        situation = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
        services.task_add(
            actor=net.actor("gendarme"),
            situation=situation,
            title="Rappeler",
            owner=net["gendarme"],
            due_on=yesterday(),
        )
        services.emergency_access_request(
            actor=net.actor("cidff"), pseudonym=situation.pseudonym, reason="Appel de la victime cette nuit"
        )

    add_work()
    # Session, actor (4), rights (2), situations, tasks, reviews, unread count and lines, one description per
    # kind of target (2), the badge.
    with django_assert_num_queries(15):
        page(client)
    for _ in range(6):
        add_work()
    # More work adds one COUNT per list that overflows its first lines (situations, tasks), nothing per line;
    # the unread urgent alerts (the seven new situations) now fill the alert lines, so one kind of target is
    # described instead of two.
    with django_assert_num_queries(16):
        html = page(client)
    assert count_in(html, "without-referent") == 7 and count_in(html, "overdue-tasks") == 7


def test_a_receiving_professional_sees_the_referrals_waiting_for_an_answer(net):
    from maillage.referrals import services as referral_services
    from tests.referrals.factories import consenting_situation, refer

    calm = consenting_situation(net)
    waiting = refer(net, calm)
    answered = refer(net, consenting_situation(net), receiver=net.ccas)
    referral_services.referral_accept(actor=net.actor("ccas"), referral=answered, version=answered.version)

    cidff = section(page(net.client("cidff")), "referrals-to-answer")
    assert count_in(page(net.client("cidff")), "referrals-to-answer") == 1
    assert f'href="{reverse("referrals:detail", args=[waiting.public_id])}"' in cidff
    assert calm.pseudonym in cidff and "de " + net.gendarmerie.name in cidff
    # Accepted: nothing left to answer for the CCAS; the sender and the coordination answer none.
    assert "Aucune orientation n'attend la réponse" in section(
        page(net.client("ccas")), "referrals-to-answer"
    )
    assert section(page(net.client("coordinator")), "referrals-to-answer") == ""
    assert calm.pseudonym not in section(page(net.client("gendarme")), "referrals-to-answer")


def test_a_long_section_is_counted_up_to_its_cap(net, monkeypatch):
    """Each section counts up to TO_DO_CAP (issue 16: a to-do list needs the order of magnitude, not a walk
    of 1,000 rows): beyond, « plus de … » and the link to the whole list."""
    from maillage.web import views

    for _ in range(7):
        report_situation(net["gendarme"], commune=net.mouchamps)
    assert views.TO_DO_CAP == 100
    monkeypatch.setattr(views, "TO_DO_CAP", 6)
    lines = section(page(net.client("coordinator")), "without-referent")
    assert re.search(r'<span class="badge[^"]*">plus de 6</span></h3>', lines)
    assert reverse("situations:list") in lines
