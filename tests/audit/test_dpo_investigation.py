"""The DPO investigates one situation: by its pseudonym, authors by their name, details in words (issue 10,
item 8)."""

from html import unescape

import pytest

from maillage import audit
from maillage.audit.dpo.labels import describe_changes
from maillage.audit.enums import AuditAction
from maillage.audit.services import console_actor
from maillage.network.enums import Role
from tests.network.factories import MembershipFactory
from tests.situations.factories import actor_of, report_situation
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

PAGE = "/audit/"


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


@pytest.fixture
def dpo(member_client):
    client, _ = member_client(Role.DPO)
    return client


@pytest.fixture
def coordinator(territory):
    return MembershipFactory(
        territory=territory, roles=["coordinator"], user__first_name="Nadia", user__last_name="Benali"
    )


def test_by_pseudonym_with_what_names_the_situation_in_its_details(dpo, territory, coordinator):
    one = report_situation(coordinator)
    other = report_situation(coordinator)
    # An entry about another object that names the situation in its details.
    audit.record(
        actor=console_actor(),
        action=AuditAction.SITUATION_VIEWED,
        obj=coordinator,
        changes={"situation": str(one.public_id)},
    )
    html = html_of(dpo.get(PAGE, {"objet": one.pseudonym.lower()}))
    assert one.pseudonym in html and other.pseudonym not in html
    assert str(one.public_id) not in html.split("Détails bruts")[0]  # the row names it by its pseudonym
    assert f"situation : {one.pseudonym}" in html  # the id in the details, by its pseudonym too
    assert html.count("<tr>") - 1 >= 2  # the report and the entry naming it


def test_a_pseudonym_of_another_territory_is_unknown(dpo, territory):
    elsewhere = MembershipFactory(territory=TerritoryFactory(), roles=["coordinator"])
    hidden = report_situation(elsewhere)
    html = html_of(dpo.get(PAGE, {"objet": hidden.pseudonym}))
    assert "Aucun objet de votre territoire ne porte ce nom" in html
    assert "Corrigez les filtres" in html


def test_authors_by_name(dpo, territory, coordinator):
    report_situation(coordinator)
    other = MembershipFactory(territory=territory, user__first_name="Paul", user__last_name="Durand")
    audit.record(actor=actor_of(other), action=AuditAction.MEMBERSHIP_UPDATED, obj=other)
    for typed in ("Benali", "nadia", "Nadia Benali"):
        html = html_of(dpo.get(PAGE, {"actor": typed}))
        assert f"Nadia Benali ({coordinator.user.email})" in html, typed
        assert "Paul Durand" not in html, typed


def test_details_in_words_and_current_wording(dpo, territory, coordinator):
    report_situation(coordinator)
    html = html_of(dpo.get(PAGE))
    assert "demain" not in html
    assert "chaque consultation et chaque modification d'une situation" in html
    assert "Détails bruts" in html


def test_describe_changes():
    assert describe_changes({"status": ["new", "in_progress"], "urgent": True}) == [
        "état : new → in_progress",
        "danger immédiat : oui",
    ]
    assert describe_changes({"fields": ["first_name", "last_name"], "results": 0}) == [
        "champs : first_name, last_name",
        "résultats : 0",
    ]
    assert describe_changes({"review": "justified", "access": None}) == [
        "accès d'urgence : —",
        "avis : justified",
    ]
    assert describe_changes({}) == []
