"""« Mes situations » shows what needs action: open situations by default, sortable columns (a whitelisted
`?tri=`), badges for urgent / overdue / no referent, filters folded; the API list keeps its contract."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.situations import services
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

pytestmark = pytest.mark.django_db

LIST = reverse("situations:list")


@pytest.fixture
def net(db):
    return Network()


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def listed(html: str) -> list[str]:
    """The pseudonyms in the table, in their order."""
    return re.findall(r'<td><a href="/situations/[^"]+/">([^<]+)</a>', html)


def row_of(html: str, pseudonym: str) -> str:
    return re.search(rf"<tr>\s*<td><a [^>]*>{pseudonym}</a>.*?</tr>", html, re.S).group(0)


@pytest.fixture
def closed_and_open(net):
    coordinator = net.actor("coordinator")
    closed = report_situation(net["gendarme"], commune=net.mouchamps)
    services.situation_close(actor=coordinator, situation=closed, reason="resolved")
    open_ = report_situation(net["gendarme"], commune=net.mouchamps)
    return closed, open_


def test_open_situations_by_default_closed_ones_through_the_filter(net, closed_and_open):
    closed, open_ = closed_and_open
    client = net.client("gendarme")
    html = html_of(client.get(LIST))
    assert listed(html) == [open_.pseudonym]
    assert "Situations (1)" in html
    assert listed(html_of(client.get(LIST, {"status": "closed"}))) == [closed.pseudonym]
    assert set(listed(html_of(client.get(LIST, {"status": "toutes"})))) == {closed.pseudonym, open_.pseudonym}


def test_the_name_search_still_finds_closed_situations(net, closed_and_open):
    closed, _ = closed_and_open
    html = html_of(net.client("gendarme").post(LIST, {"name": "Exemple"}))
    assert closed.pseudonym in listed(html)


def test_filters_are_folded_and_open_when_one_is_active(net):
    client = net.client("gendarme")
    assert '<details class="filters-fold">' in html_of(client.get(LIST))
    assert '<details class="filters-fold" open>' in html_of(client.get(LIST, {"status": "closed"}))
    # A sort alone is no filter: the filters stay folded.
    assert '<details class="filters-fold">' in html_of(client.get(LIST, {"tri": "commune"}))


def test_sortable_columns(net):
    early = report_situation(net["gendarme"], commune=net.vendrennes, detected_on=datetime.date(2025, 1, 5))
    late = report_situation(net["gendarme"], commune=net.mouchamps, detected_on=datetime.date(2026, 5, 1))
    client = net.client("coordinator")
    html = html_of(client.get(LIST))
    assert listed(html) == [late.pseudonym, early.pseudonym]
    assert '<th scope="col" aria-sort="descending"><a href="?tri=reperage">Repérée le' in html
    assert listed(html_of(client.get(LIST, {"tri": "reperage"}))) == [early.pseudonym, late.pseudonym]
    html = html_of(client.get(LIST, {"tri": "commune"}))
    assert listed(html) == [late.pseudonym, early.pseudonym]  # Mouchamps before Vendrennes
    assert '<th scope="col" aria-sort="ascending"><a href="?tri=-commune">Commune' in html
    assert listed(html_of(client.get(LIST, {"tri": "-commune"}))) == [early.pseudonym, late.pseudonym]


def test_an_unknown_sort_falls_back_to_the_default(net):
    early = report_situation(net["gendarme"], detected_on=datetime.date(2025, 1, 5))
    late = report_situation(net["gendarme"], detected_on=datetime.date(2026, 5, 1))
    for tri in ("commune__territory__name", "-pk", "referent__user__email", "tri"):
        html = html_of(net.client("coordinator").get(LIST, {"tri": tri}))
        assert listed(html) == [late.pseudonym, early.pseudonym], tri


def test_sort_and_filters_travel_together(net):
    for _ in range(51):
        report_situation(net["gendarme"], commune=net.mouchamps)
    html = html_of(net.client("coordinator").get(LIST, {"status": "new", "tri": "commune"}))
    assert "?status=new&amp;tri=commune&amp;curseur=" in html  # pagination keeps both
    assert '<a href="?status=new&amp;tri=-commune">Commune' in html  # a column keeps the filters
    assert '<input type="hidden" name="tri" value="commune">' in html  # filtering keeps the sort


def test_badges_urgent_overdue_and_no_referent(net):
    urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
    late = report_situation(net["gendarme"], commune=net.mouchamps)
    followed = report_situation(net["gendarme"], commune=net.mouchamps)
    services.referent_assign(actor=net.actor("coordinator"), situation=followed, membership=net["referent"])
    services.task_add(
        actor=net.actor("gendarme"),
        situation=late,
        title="Rappeler",
        owner=net["gendarme"],
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = html_of(net.client("gendarme").get(LIST))
    assert "Danger immédiat" in row_of(html, urgent.pseudonym)
    assert "Tâche en retard" in row_of(html, late.pseudonym)
    assert "Tâche en retard" not in row_of(html, urgent.pseudonym)
    assert "Sans personne référente" in row_of(html, urgent.pseudonym)
    assert "Sans personne référente" not in row_of(html, followed.pseudonym)


def test_a_hidden_situation_is_neither_listed_nor_counted(net):
    report_situation(net["cidff"], commune=net.vendrennes, urgent=True)
    html = html_of(net.client("gendarme").get(LIST, {"status": "toutes"}))
    assert listed(html) == [] and "Situations (0, selon les filtres)" in html


@pytest.mark.parametrize("rows", [1, 30])
def test_sorted_and_badged_list_reads_a_fixed_number_of_queries(net, rows, django_assert_num_queries):
    for _ in range(rows):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.task_add(
            actor=net.actor("gendarme"),
            situation=situation,
            title="Rappeler",
            owner=net["gendarme"],
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    client = net.client("referent")
    client.get(LIST)
    # session, user, membership (+roles, +communes), unread alerts, count, communes (filter), page
    with django_assert_num_queries(9):
        assert client.get(LIST, {"tri": "-etat"}).status_code == 200


def test_the_api_list_keeps_its_contract(net, closed_and_open):
    """Every status by default, most recent first, no sort parameter: as before."""
    closed, open_ = closed_and_open
    client = net.client("gendarme")
    body = client.get("/api/v1/situations").json()
    assert {item["pseudonym"] for item in body["items"]} == {closed.pseudonym, open_.pseudonym}
