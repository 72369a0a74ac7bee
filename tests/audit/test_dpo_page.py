"""The DPO's page: verification on demand, the trail of their territory, filters, access."""

import datetime
import re
from html import unescape
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditCheckpoint, AuditEntry
from maillage.audit.services import console_actor
from maillage.network.actor import Actor
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from tests.audit.helpers import record_some, tamper
from tests.network.factories import MembershipFactory
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

PAGE = "/audit/"
VERIFY = "/audit/verifier/"


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def rows(response) -> int:
    return html_of(response).count("<tr>") - 1  # minus the header row


def at(day: datetime.date):
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))), tick=False
    )


@pytest.fixture
def dpo(member_client):
    client, membership = member_client(Role.DPO)
    return client


class TestScope:
    def test_the_dpo_sees_their_territory_and_its_members_sign_ins_only(self, dpo, territory):
        ours = MembershipFactory(territory=territory, user__email="notre.membre@exemple.test")
        record_some(ours.user, 1, "auth.login")
        elsewhere = MembershipFactory(territory=TerritoryFactory(), user__email="ailleurs@exemple.test")
        record_some(elsewhere.user, 1, "auth.login")
        audit.record(
            actor=Actor.from_membership(elsewhere.user, elsewhere),
            action="membership.updated",
            obj=elsewhere,
        )
        audit.record(actor=None, action="auth.login_failed", changes={"login": "inconnu@exemple.test"})
        # A platform admin's change to one of our memberships belongs to our territory.
        audit.record(actor=console_actor(), action="membership.deactivated", obj=ours)

        html = html_of(dpo.get(PAGE))
        assert "notre.membre@exemple.test" in html
        assert "Adhésion désactivée" in html and "console" in html
        assert "ailleurs@exemple.test" not in html
        assert "inconnu@exemple.test" not in html

    def test_newest_first_and_paginated_by_fifty(self, dpo, territory):
        member = MembershipFactory(territory=territory)
        entries = record_some(member.user, 60)
        html = html_of(dpo.get(PAGE))
        assert html.index(f"<td>{entries[-1].sequence}</td>") < html.index(f"<td>{entries[-2].sequence}</td>")
        assert rows(dpo.get(PAGE)) == 50
        (cursor,) = re.findall(r'curseur=([\w-]+)" rel="next"', html)
        second = html_of(dpo.get(PAGE, {"curseur": cursor}))
        assert f"<td>{entries[0].sequence}</td>" in second
        assert f"<td>{entries[-1].sequence}</td>" not in second


class TestFilters:
    def test_by_actor_email(self, dpo, territory):
        # Every name fixed, and a rare one: a random last name could match too.
        anne = MembershipFactory(
            territory=territory,
            user__email="anne.quibertin@exemple.test",
            user__first_name="Anne",
            user__last_name="Quibertin",
        )
        paul = MembershipFactory(
            territory=territory,
            user__email="paul.durand@exemple.test",
            user__first_name="Paul",
            user__last_name="Durand",
        )
        record_some(anne.user, 2)
        record_some(paul.user, 3)
        response = dpo.get(PAGE, {"actor": "QUIBERTIN"})
        assert rows(response) == 2
        assert "paul.durand" not in html_of(response)
        assert 'value="QUIBERTIN"' in html_of(response)

    def test_by_action(self, dpo, territory):
        member = MembershipFactory(territory=territory)
        record_some(member.user, 2, "auth.logout")
        response = dpo.get(PAGE, {"action": "auth.logout"})
        assert rows(response) == 2
        assert "Déconnexion" in html_of(response)

    def test_by_object(self, dpo, territory):
        one, other = MembershipFactory(territory=territory), MembershipFactory(territory=territory)
        for membership in (one, other, one):
            audit.record(actor=console_actor(), action="membership.updated", obj=membership)
        response = dpo.get(PAGE, {"objet": str(one.public_id)})
        assert rows(response) == 2
        assert str(other.public_id) not in html_of(response)

    def test_by_period_in_local_days(self, dpo, territory):
        member = MembershipFactory(territory=territory)
        for day in (datetime.date(2026, 3, 1), datetime.date(2026, 3, 10), datetime.date(2026, 3, 20)):
            with at(day):
                record_some(member.user, 1, "auth.logout")
        response = dpo.get(
            PAGE, {"action": "auth.logout", "date_from": "2026-03-05", "date_to": "2026-03-20"}
        )
        assert rows(response) == 2
        assert "10/03/2026" in html_of(response) and "01/03/2026" not in html_of(response)

    def test_bad_filters_are_explained_and_kept(self, dpo):
        response = dpo.get(PAGE, {"objet": "1234", "date_from": "2026-03-10", "date_to": "2026-03-01"})
        html = html_of(response)
        assert "saisissez le pseudonyme d'une situation (S-2026-0045) ou un identifiant complet" in html
        assert "La date de fin doit suivre la date de début." in html
        assert 'value="1234"' in html
        assert "Corrigez les filtres" in html

    def test_nothing_matches(self, dpo):
        assert "Aucune entrée ne correspond à ces filtres." in html_of(
            dpo.get(PAGE, {"actor": "personne-xyz"})
        )


def test_fixed_number_of_queries_whatever_the_rows(dpo, territory, django_assert_num_queries):
    member = MembershipFactory(territory=territory)
    record_some(member.user, 3)
    dpo.get(PAGE)  # warm the session
    # … including the unread-notifications count of the navigation, and the authors' names (one query).
    with django_assert_num_queries(9):
        dpo.get(PAGE)
    record_some(member.user, 60)
    with django_assert_num_queries(9):
        response = dpo.get(PAGE, {"page": 2})
    assert rows(response) > 0


class TestVerification:
    def test_no_verification_yet(self, dpo):
        assert "Aucune vérification pendant cette session" in html_of(dpo.get(PAGE))

    def test_the_dpo_runs_it_and_sees_the_result_for_the_session(self, dpo, territory):
        response = dpo.post(VERIFY)
        assert response.status_code == 302 and response["Location"] == PAGE
        html = html_of(dpo.get(PAGE))
        assert "Journal intègre" in html and "Vérification faite le" in html
        verified = AuditEntry.objects.get(action="audit.verified")
        assert verified.territory_id == territory.pk and verified.changes["ok"] is True

    def test_a_tampered_trail_names_the_entry(self, dpo, territory):
        member = MembershipFactory(territory=territory)
        entries = record_some(member.user, 3)
        tamper(entries[1].sequence, ip="203.0.113.66")
        dpo.post(VERIFY)
        html = html_of(dpo.get(PAGE))
        assert f"Journal altéré à l'entrée n° {entries[1].sequence}" in html

    def test_it_starts_from_the_last_checkpoint_and_dates_the_last_full_one(self, dpo, territory):
        member = MembershipFactory(territory=territory)
        record_some(member.user, 3)
        call_command("verify_audit", "--full", stdout=StringIO())  # the server's weekly run
        full = AuditCheckpoint.objects.get()
        record_some(member.user, 2)
        dpo.post(VERIFY)
        html = html_of(dpo.get(PAGE))
        assert f"Journal intègre : 2 nouvelles entrées depuis le point de contrôle n° {full.sequence}" in html
        assert f"depuis le point de contrôle n° {full.sequence} (tous territoires)" in html
        assert "Dernière vérification complète : le" in html
        verified = AuditEntry.objects.get(action="audit.verified")
        assert (verified.changes["entries"], verified.changes["from_sequence"]) == (2, full.sequence)
        # Its own checkpoint: the next verification starts after the entries it just checked.
        assert AuditCheckpoint.objects.order_by("-pk").first().sequence == verified.sequence - 1

    def test_verification_needs_a_post(self, dpo):
        assert dpo.get(VERIFY).status_code == 405


class TestAccess:
    @pytest.mark.parametrize("role", [r for r in MEMBERSHIP_ROLES if r != Role.DPO])
    @pytest.mark.parametrize("method, url", [("get", PAGE), ("post", VERIFY)])
    def test_other_roles_are_refused(self, member_client, role, method, url):
        client, _ = member_client(role)
        assert getattr(client, method)(url).status_code == 403
        assert not AuditEntry.objects.filter(action="audit.verified").exists()

    @pytest.mark.parametrize("method, url", [("get", PAGE), ("post", VERIFY)])
    def test_the_platform_admin_is_refused(self, platform_client, method, url):
        assert getattr(platform_client, method)(url).status_code == 403

    def test_anonymous_visitors_are_sent_to_sign_in(self, client):
        assert client.get(PAGE)["Location"].startswith("/accounts/login/")

    def test_the_menu_shows_the_page_to_the_dpo_only(self, member_client, dpo):
        assert 'href="/audit/"' in html_of(dpo.get("/"))
        coordinator, _ = member_client(Role.COORDINATOR)  # the same browser, signed in again
        assert 'href="/audit/"' not in html_of(coordinator.get("/"))


@pytest.mark.django_db
def test_the_dpo_finds_the_trail_from_the_home_page(member_client):
    client, _ = member_client("dpo")
    assert 'href="/audit/"' in client.get("/").content.decode()
    other, _ = member_client("coordinator")
    assert 'href="/audit/"' not in other.get("/").content.decode()


@pytest.mark.django_db
def test_an_event_before_sign_in_names_the_account_it_concerns(member_client, territory):
    client, _ = member_client("dpo")
    colleague = MembershipFactory(territory=territory)
    audit.record(actor=None, action=AuditAction.MFA_FAILED, user=colleague.user, changes={"type": "totp"})
    html = client.get("/audit/").content.decode()
    assert f"compte concerné : {colleague.user.get_full_name()}" in html
