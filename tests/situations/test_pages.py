"""Situation pages as people use them: report, lists, the situation page, edits, coordination, alerts."""

import datetime
import json
import logging
import re
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.notifications import selectors as notification_selectors
from maillage.notifications.models import Notification
from maillage.situations import policies, services
from maillage.situations.models import Situation
from maillage.web import keyset
from maillage.web.pagination import PAGE_SIZE
from tests.helpers import audit_entry_queries
from tests.queue import run_queued_tasks
from tests.situations.factories import PersonFactory, SituationFactory, report_situation
from tests.situations.worlds import CANARY_FIRST_NAME, CANARY_LAST_NAME, CANARY_PHONE

pytestmark = pytest.mark.django_db

LIST = reverse("situations:list")
REPORT = reverse("situations:report")
DONE = reverse("situations:report_done")
NOTIFICATIONS = reverse("notifications:list")
SEEING = ["coordinator", "referent", "gendarme"]
NOT_SEEING = ["org_admin", "housing_manager", "observer", "dpo", "platform_admin"]


def text(response) -> str:
    return unescape(response.content.decode())


def report_data(net, **overrides) -> dict:
    data = {
        "commune": str(net.mouchamps.public_id),
        "detected_on": timezone.localdate().isoformat(),
        "sources": ["law_enforcement"],
        "violence_types": ["physical", "psychological"],
        "urgent": "non",
        "victime-TOTAL_FORMS": "1",
        "victime-INITIAL_FORMS": "0",
        "victime-0-sex": "female",
        "victime-0-first_name": CANARY_FIRST_NAME,
        "victime-0-last_name": CANARY_LAST_NAME,
        "victime-0-phone": CANARY_PHONE,
        "enfant-TOTAL_FORMS": "3",
        "enfant-INITIAL_FORMS": "0",
        "enfant-0-first_name": "Léo",
        "enfant-0-age": "6",
        "enfant-0-sex": "male",
        "enfant-1-sex": "unknown",
        "enfant-2-sex": "unknown",
        "auteur-TOTAL_FORMS": "1",
        "auteur-INITIAL_FORMS": "0",
        "auteur-0-sex": "male",
        "auteur-0-last_name": "Durandeau",
        "consent_answer": "given",
        "consent_organisations": [str(net.cidff.public_id)],
        "safe_channels": ["phone"],
        "safe_hours": "en semaine, 9 h–11 h",
        "code_word": "",
    }
    data.update(overrides)
    return data


class TestReport:
    @pytest.mark.parametrize("name", SEEING)
    def test_members_who_follow_situations_can_report(self, net, name):
        html = text(net.client(name).get(REPORT))
        assert "Ce qu'il ne faut pas écrire" in html
        assert "SMS 114" in html

    @pytest.mark.parametrize("name", NOT_SEEING)
    def test_other_roles_cannot(self, net, name):
        assert net.client(name).get(REPORT).status_code == 403
        assert net.client(name).post(REPORT, report_data(net)).status_code == 403
        assert not Situation.objects.exists()

    def test_a_report_records_everything_and_confirms(self, net, django_capture_on_commit_callbacks):
        client = net.client("gendarme")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(REPORT, report_data(net))
        assert response.status_code == 302 and response.url == DONE
        situation = Situation.objects.get()
        assert situation.commune == net.mouchamps and situation.violence_types == [
            "physical",
            "psychological",
        ]
        roles = sorted((p.role, p.first_name) for p in situation.persons.all())
        assert roles == [("child", "Léo"), ("perpetrator", ""), ("victim", CANARY_FIRST_NAME)]
        victim = situation.persons.get(role="victim")
        assert [(c.channel, c.allowed) for c in victim.safe_contacts.filter(allowed=True)] == [
            ("phone", True)
        ]
        assert list(situation.consents.get().organisations.all()) == [net.cidff]
        html = text(client.get(DONE))
        assert f"Situation {situation.pseudonym} signalée" in html
        assert "Danger immédiat : agissez maintenant" not in html

    def test_notification_e_mails_carry_no_personal_data(self, net, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            net.client("gendarme").post(REPORT, report_data(net, urgent="oui"))
        situation = Situation.objects.get()
        run_queued_tasks()  # the alert e-mails leave through the task queue
        assert len(mail.outbox) == 2
        for message in mail.outbox:
            assert message.subject == "[Maillage] Une situation demande votre attention"
            content = message.subject + message.body
            for secret in (
                CANARY_FIRST_NAME,
                CANARY_LAST_NAME,
                CANARY_PHONE,
                "Durandeau",
                "Mouchamps",
                "85640",
                situation.pseudonym,
                str(situation.public_id),
                "violence",
                "danger",
            ):
                assert secret.lower() not in content.lower()
            assert "/notifications/" in message.body

    def test_urgent_report_repeats_the_guidance(self, net):
        client = net.client("gendarme")
        client.post(REPORT, report_data(net, urgent="oui"))
        html = text(client.get(DONE))
        assert "Danger immédiat : agissez maintenant" in html
        # The numbers can be tapped (issue 10, item 6).
        assert '<a href="tel:17">17</a> ou <a href="tel:112">112</a>' in html
        assert '<a href="sms:114">SMS 114</a>' in html and '<a href="tel:3919">3919</a>' in html
        assert Situation.objects.get().urgent

    def test_guidance_is_shown_again_when_the_form_comes_back(self, net):
        response = net.client("gendarme").post(REPORT, report_data(net, urgent="oui", sources=[]))
        html = response.content.decode()
        opening = html[html.index('<section class="emergency guidance"') :].split(">", 1)[0]
        assert "hidden" not in opening
        first = net.client("gendarme").get(REPORT).content.decode()
        assert "hidden" in first[first.index('<section class="emergency guidance"') :].split(">", 1)[0]

    def test_errors_keep_everything_typed(self, net):
        response = net.client("gendarme").post(
            REPORT, report_data(net, sources=[], **{"enfant-1-sex": "female", "enfant-1-first_name": ""})
        )
        html = text(response)
        assert response.status_code == 200
        assert "Cochez au moins une source du repérage." in html
        assert "Pour un enfant, indiquez au moins son prénom ou son âge." in html
        for typed in (
            CANARY_FIRST_NAME,
            CANARY_LAST_NAME,
            CANARY_PHONE,
            "Léo",
            "Durandeau",
            "en semaine, 9 h–11 h",
        ):
            assert f'value="{typed}"' in html
        assert 'value="psychological" id="id_violence_types_1" checked' in html
        assert not Situation.objects.exists()

    def test_consent_given_needs_organisations(self, net):
        response = net.client("gendarme").post(REPORT, report_data(net, consent_organisations=[]))
        assert "Cochez les organisations avec lesquelles la victime accepte le partage." in text(response)

    def test_an_empty_victim_form_still_records_a_victim(self, net):
        data = report_data(net)
        for key in ("victime-0-first_name", "victime-0-last_name", "victime-0-phone"):
            data[key] = ""
        net.client("gendarme").post(REPORT, data)
        victim = Situation.objects.get().persons.get(role="victim")
        assert (victim.first_name, victim.last_name) == ("", "")

    def test_the_form_never_puts_a_person_in_the_url(self, net):
        response = net.client("gendarme").post(REPORT, report_data(net))
        assert CANARY_LAST_NAME not in response.url


class TestList:
    def test_shows_what_i_may_see_only(self, net):
        mine = report_situation(net["gendarme"], commune=net.mouchamps)
        other = report_situation(net["cidff"], commune=net.vendrennes)
        html = text(net.client("gendarme").get(LIST))
        assert mine.pseudonym in html and other.pseudonym not in html
        html = text(net.client("coordinator").get(LIST))
        assert mine.pseudonym in html and other.pseudonym in html

    @pytest.mark.parametrize("name", NOT_SEEING)
    def test_other_roles_get_no_list(self, net, name):
        assert net.client(name).get(LIST).status_code == 403

    def test_empty_state(self, net):
        assert "Aucune situation pour l'instant." in text(net.client("gendarme").get(LIST))

    def test_filters(self, net):
        urgent = report_situation(net["gendarme"], commune=net.mouchamps, urgent=True)
        calm = report_situation(
            net["gendarme"], commune=net.vendrennes, detected_on=datetime.date(2025, 1, 5)
        )
        client = net.client("coordinator")
        cases = [
            ({"urgent": "oui"}, urgent, calm),
            ({"commune": str(net.vendrennes.public_id)}, calm, urgent),
            ({"date_to": "2025-12-31"}, calm, urgent),
            ({"q": urgent.pseudonym[-4:]}, urgent, calm),
            ({"status": "new"}, urgent, None),
        ]
        for filters, shown, hidden in cases:
            html = text(client.get(LIST, filters))
            assert shown.pseudonym in html, filters
            if hidden:
                assert hidden.pseudonym not in html, filters

    def test_name_search_goes_through_the_blind_indexes_and_is_recorded(self, net):
        target = report_situation(
            net["gendarme"], persons=[{"role": "victim", "first_name": "Zoé", "last_name": CANARY_LAST_NAME}]
        )
        other = report_situation(net["gendarme"])
        client = net.client("gendarme")
        html = text(client.post(LIST, {"name": CANARY_LAST_NAME.upper()}))
        assert target.pseudonym in html and other.pseudonym not in html
        assert target.pseudonym not in text(client.post(LIST, {"name": CANARY_LAST_NAME[:5]}))
        searches = AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED)
        assert [e.changes for e in searches.order_by("sequence")] == [{"results": 1}, {"results": 0}]

    def test_name_search_does_not_reach_situations_i_cannot_see(self, net):
        hidden = report_situation(
            net["cidff"],
            commune=net.vendrennes,
            persons=[{"role": "victim", "last_name": CANARY_LAST_NAME}],
        )
        html = text(net.client("gendarme").post(LIST, {"name": CANARY_LAST_NAME}))
        assert hidden.pseudonym not in html
        assert "Aucune situation que vous pouvez voir ne compte une personne de ce nom." in html

    def test_a_searched_name_never_travels_in_an_address(self, net, caplog):
        """Posted, answered at once: no redirect, no link, no form action, no pagination link, no log line
        and no audit entry holds the name; the audit records only that a search happened."""
        caplog.set_level(logging.DEBUG)
        for _ in range(PAGE_SIZE + 1):
            report_situation(
                net["gendarme"],
                persons=[{"role": "victim", "first_name": "Zoé", "last_name": CANARY_LAST_NAME}],
            )
        response = net.client("gendarme").post(LIST, {"name": CANARY_LAST_NAME})
        html = text(response)
        assert response.status_code == 200 and "Location" not in response.headers
        assert f"Situations où figure une personne de ce nom ({PAGE_SIZE + 1})" in html
        addresses = re.findall(r'(?:href|action|src)="([^"]*)"', html)
        assert addresses and not [a for a in addresses if CANARY_LAST_NAME.lower() in a.lower()]
        assert 'method="post" action="/situations/"' in html
        assert "curseur=" not in html  # no pagination link could carry the search
        assert 'autocomplete="off"' in html
        assert not [r for r in caplog.records if CANARY_LAST_NAME in r.getMessage()]
        (search,) = AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED)
        assert search.changes == {"results": PAGE_SIZE + 1}
        trail = json.dumps(list(AuditEntry.objects.values("changes", "user_agent")), ensure_ascii=False)
        assert CANARY_LAST_NAME.lower() not in trail.lower()

    def test_a_name_in_the_address_is_neither_searched_nor_repeated(self, net):
        """An old bookmark `?name=…`: the list ignores it, repeats it in no link, records no search."""
        for _ in range(PAGE_SIZE + 1):
            SituationFactory(territory=net.territory, commune=net.mouchamps, created_by=net["coordinator"])
        report_situation(net["gendarme"], persons=[{"role": "victim", "last_name": CANARY_LAST_NAME}])
        html = text(net.client("coordinator").get(LIST, {"name": CANARY_LAST_NAME, "status": "new"}))
        assert CANARY_LAST_NAME not in html
        assert "?status=new&curseur=" in html  # the filters are repeated, the name is not
        assert f"Situations ({PAGE_SIZE + 2}, selon les filtres)" in html  # nor used: no narrowing
        assert not AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).exists()

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("", "Saisissez le nom à rechercher."),
            ("   ", "Saisissez le nom à rechercher."),
            ("x" * 151, "Un nom compte au plus 150 caractères : vérifiez la saisie."),
        ],
    )
    def test_an_empty_or_too_long_name_is_explained(self, net, typed, message):
        response = net.client("referent").post(LIST, {"name": typed})
        html = text(response)
        assert response.status_code == 200
        assert "<title>Erreur : Mes situations" in html
        assert '<h2 id="error-summary-title">Il y a un problème</h2>' in html
        # the shared summary links to the field
        assert f'<a href="#id_name">Nom d\'une personne : {message}</a>' in html
        assert "Corrigez le nom saisi pour lancer la recherche." in html
        assert not AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).exists()

    def test_the_name_form_is_kept_for_those_who_may_see_identities(self, net, monkeypatch):
        report_situation(net["gendarme"], persons=[{"role": "victim", "last_name": CANARY_LAST_NAME}])
        client = net.client("gendarme")
        html = text(client.get(LIST))
        assert "Rechercher par nom" in html and "Nom d'une personne" in html
        assert "Chaque recherche est enregistrée au journal, sans le nom." in html
        monkeypatch.setattr(policies, "can_search_names", lambda actor: False)
        assert "Rechercher par nom" not in text(client.get(LIST))
        assert client.post(LIST, {"name": CANARY_LAST_NAME}).status_code == 403
        assert not AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).exists()

    def test_the_list_paginates_by_fifty_from_cursor_to_cursor(self, net):
        for _ in range(51):
            SituationFactory(territory=net.territory, commune=net.mouchamps, created_by=net["coordinator"])
        client = net.client("coordinator")
        html = text(client.get(LIST))
        assert "Situations (51)" in html
        assert html.count("/situations/") - html.count('href="/situations/"') >= 50
        assert "Page précédente" not in html and "Première page" not in html
        (following,) = re.findall(r'href="\?curseur=([\w-]+)" rel="next">Page suivante', html)
        second = text(client.get(LIST, {"curseur": following}))
        assert len(listed(second)) == 1 and listed(second)[0] not in listed(html)
        assert "Page suivante" not in second and 'href="?">Première page' in second
        (back,) = re.findall(r'href="\?curseur=([\w-]+)" rel="prev">Page précédente', second)
        assert listed(text(client.get(LIST, {"curseur": back}))) == listed(html)

    def test_a_damaged_cursor_shows_the_list_from_its_start(self, net):
        SituationFactory(territory=net.territory, commune=net.mouchamps, created_by=net["coordinator"])
        for damaged in ("xyz", "W10", "a" * 600, "WyJhIiwgWzFdXQ"):
            response = net.client("coordinator").get(LIST, {"curseur": damaged})
            assert response.status_code == 200 and len(listed(text(response))) == 1

    def test_past_a_thousand_the_total_says_more_than(self, net, monkeypatch):
        monkeypatch.setattr(keyset, "COUNT_CAP", 3)
        for _ in range(4):
            SituationFactory(territory=net.territory, commune=net.mouchamps, created_by=net["coordinator"])
        assert "Situations (plus de 3)" in text(net.client("coordinator").get(LIST))

    @pytest.mark.parametrize("rows", [1, 60])
    def test_fixed_number_of_queries(self, net, rows, django_assert_num_queries):
        for _ in range(rows):
            situation = SituationFactory(
                territory=net.territory, commune=net.mouchamps, created_by=net["gendarme"]
            )
            services.referent_assign(
                actor=net.actor("coordinator"), situation=situation, membership=net["referent"]
            )
        client = net.client("referent")
        client.get(LIST)
        # session, user, membership (+roles, +communes), unread alerts, count, communes (filter), page
        with django_assert_num_queries(9):
            assert client.get(LIST).status_code == 200


def listed(html: str) -> list[str]:
    """The pseudonyms in the list's table, in their order."""
    return re.findall(r'<td><a href="/situations/[^"]+/">([^<]+)</a>', html)


def detail(situation, **query):
    url = reverse("situations:detail", args=[situation.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestSituationPage:
    @pytest.fixture
    def situation(self, net):
        return report_situation(
            net["gendarme"],
            commune=net.mouchamps,
            persons=[
                {
                    "role": "victim",
                    "first_name": CANARY_FIRST_NAME,
                    "last_name": CANARY_LAST_NAME,
                    "phone": CANARY_PHONE,
                },
                {"role": "child", "first_name": "Léo", "age": 6},
            ],
            safe_contacts=[
                {"channel": "sms", "allowed": True, "safe_hours": "après 18 h", "code_word": "Tulipe"}
            ],
        )

    def test_identity_is_hidden_until_asked_and_each_display_is_recorded(self, net, situation):
        client = net.client("referent")
        html = text(client.get(detail(situation)))
        assert situation.pseudonym in html and "Mouchamps" in html
        assert CANARY_LAST_NAME not in html and CANARY_PHONE not in html and "Tulipe" not in html
        assert "SMS · après 18 h" in html
        html = text(client.get(detail(situation, identites=1)))
        assert CANARY_LAST_NAME in html and CANARY_PHONE in html and "Tulipe" in html and "Léo" in html
        actions = list(
            AuditEntry.objects.filter(
                object_public_id=situation.public_id, actor_label=net["referent"].user.email
            ).values_list("action", flat=True)
        )
        assert actions.count(AuditAction.SITUATION_VIEWED) == 2
        assert actions.count(AuditAction.SITUATION_IDENTITY_VIEWED) == 1

    @pytest.mark.parametrize("name", ["referent_elsewhere", "cidff", "doctor", "ccas"])
    def test_members_who_may_not_see_it_get_404(self, net, situation, name):
        response = net.client(name).get(detail(situation, identites=1))
        assert response.status_code == 404
        assert CANARY_LAST_NAME not in response.content.decode()

    @pytest.mark.parametrize("name", NOT_SEEING)
    def test_roles_without_situations_get_403(self, net, situation, name):
        assert net.client(name).get(detail(situation)).status_code == 403

    def test_a_missing_situation_is_404_as_well(self, net):
        import uuid

        assert (
            net.client("coordinator").get(reverse("situations:detail", args=[uuid.uuid4()])).status_code
            == 404
        )

    def test_shows_participants_consent_tasks_and_history(self, net, situation):
        coordinator = net.actor("coordinator")
        services.consent_record(
            actor=coordinator, situation=situation, answer="given", organisations=[net.cidff]
        )
        services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
        services.referent_assign(actor=coordinator, situation=situation, membership=net["referent"])
        services.task_add(
            actor=coordinator,
            situation=situation,
            title="Proposer un rendez-vous juridique",
            owner=net["cidff"],
            due_on=timezone.localdate() - datetime.timedelta(days=2),
        )
        html = text(net.client("cidff").get(detail(situation)))
        assert "CIDFF de la Vendée" in html and "Ajoutée par la coordination" in html
        assert "La victime accepte le partage" in html
        assert "Proposer un rendez-vous juridique" in html and "En retard" in html
        assert "Marquer comme terminée" in html
        assert (
            "Organisation ajoutée au suivi" in html and "Personne référente d'une situation désignée" in html
        )
        assert net["referent"].user.get_full_name() in html
        assert "Dernières consultations" not in html

    def test_the_coordinator_sees_who_accessed_it(self, net, situation):
        net.client("referent").get(detail(situation, identites=1))
        html = text(net.client("coordinator").get(detail(situation)))
        assert "Dernières consultations" in html
        # Named, not by e-mail address (issue 10, item 9).
        name, email = net["referent"].user.get_full_name(), net["referent"].user.email
        latest = html[html.index('id="consultations"') :]
        assert f"<td>{name}</td><td>Identités d'une situation consultées" in latest and email not in latest
        full = text(net.client("coordinator").get(reverse("situations:accesses", args=[situation.public_id])))
        assert full.count(f"<td>{name}</td>") == 2 and email not in full

    @pytest.mark.parametrize("name", ["referent", "gendarme", "observer"])
    def test_accesses_page_is_for_coordinator_and_dpo(self, net, situation, name):
        assert (
            net.client(name).get(reverse("situations:accesses", args=[situation.public_id])).status_code
            == 403
        )

    @pytest.mark.parametrize(("rows", "identites"), [(1, 0), (25, 0), (1, 1), (25, 1)])
    def test_fixed_number_of_queries(self, net, situation, rows, identites, django_assert_num_queries):
        actor = net.actor("gendarme")
        for i in range(rows):
            services.timeline_add(
                actor=actor, situation=situation, kind="note", visibility="participants", body=f"Note {i}"
            )
            PersonFactory(situation=situation, child=True)
            services.task_add(
                actor=actor,
                situation=situation,
                title=f"Tâche {i}",
                owner=net["gendarme"],
                due_on=timezone.localdate(),
            )
        client = net.client("gendarme")
        client.get(detail(situation))
        # session, user, membership (+roles, +communes); situation (with the reader's grounds),
        # participations, persons, safe contacts, consents, their organisations; page view recorded
        # (savepoint, head, insert, move head, release); emergency access?, timeline, tasks, history and
        # the names of the people it mentions.
        # Showing identities records one more entry in the same transaction (head, insert, move head).
        with django_assert_num_queries(17 + audit_entry_queries() * (1 + identites)):
            assert client.get(detail(situation, identites=identites)).status_code == 200

    @pytest.mark.parametrize("rows", [1, 25])
    def test_fixed_number_of_queries_for_the_coordinator(
        self, net, situation, rows, django_assert_num_queries
    ):
        for i in range(rows):
            services.timeline_add(
                actor=net.actor("coordinator"),
                situation=situation,
                kind="decision",
                visibility="coordination",
                body=f"{i}",
            )
        client = net.client("coordinator")
        client.get(detail(situation))
        # As above, with the unread alerts and the latest accesses (named with the history), without the
        # emergency checks.
        with django_assert_num_queries(19 + audit_entry_queries()):
            assert client.get(detail(situation)).status_code == 200


class TestEdit:
    def url(self, situation):
        return reverse("situations:edit", args=[situation.public_id])

    def data(self, net, situation, **overrides):
        data = {
            "version": str(situation.version),
            "commune": str(net.mouchamps.public_id),
            "detected_on": situation.detected_on.isoformat(),
            "sources": situation.sources,
            "violence_types": situation.violence_types,
            "urgent": "non",
        }
        data.update(overrides)
        return data

    def test_saves(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        response = net.client("gendarme").post(self.url(situation), self.data(net, situation, urgent="oui"))
        assert response.status_code == 302
        situation.refresh_from_db()
        assert situation.urgent and situation.version == 2

    def test_a_concurrent_edit_is_refused_with_what_changed_and_nothing_is_lost(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        first, second = net.client("gendarme"), net.client("referent")
        assert first.get(self.url(situation)).status_code == 200
        assert second.get(self.url(situation)).status_code == 200
        first.post(self.url(situation), self.data(net, situation, urgent="oui"))
        response = second.post(
            self.url(situation), self.data(net, situation, violence_types=["physical", "economic"])
        )
        html = text(response)
        assert response.status_code == 200
        assert "Quelqu'un a modifié cette situation pendant que vous la modifiiez" in html
        assert "Danger immédiat : oui" in html
        assert 'value="economic" id="id_violence_types_3" checked' in html
        assert 'name="version" value="2"' in html
        situation.refresh_from_db()
        assert situation.urgent and situation.violence_types == ["physical"]
        # Saving again, after reading what changed, applies the typed values over the current version.
        resubmitted = self.data(
            net, situation, violence_types=["physical", "economic"], version="2", urgent="oui"
        )
        assert second.post(self.url(situation), resubmitted).status_code == 302
        situation.refresh_from_db()
        assert situation.violence_types == ["physical", "economic"] and situation.version == 3

    def test_an_organisation_that_does_not_follow_is_refused(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.emergency_access_request(
            actor=net.actor("ccas"),
            pseudonym=situation.pseudonym,
            reason="La victime est là, elle a besoin d'aide",
        )
        response = net.client("ccas").post(self.url(situation), self.data(net, situation, urgent="oui"))
        assert "Seules la coordination et les organisations qui suivent" in text(response)


class TestCoordinationPages:
    @pytest.fixture
    def situation(self, net):
        return report_situation(
            net["gendarme"], commune=net.mouchamps, consent={"answer": "given", "organisations": [net.cidff]}
        )

    def url(self, name, situation, *args):
        return reverse(f"situations:{name}", args=[situation.public_id, *args])

    @pytest.mark.parametrize("name", ["referent", "gendarme", "observer", "dpo"])
    def test_for_the_coordinator_only(self, net, situation, name):
        client = net.client(name)
        assert client.get(self.url("coordination", situation)).status_code == 403
        assert client.post(self.url("close", situation), {"close-reason": "resolved"}).status_code == 403
        situation.refresh_from_db()
        assert situation.status == "new"

    def test_a_coordinator_of_another_territory_gets_404(self, net, situation):
        from django.test import Client

        from tests.helpers import sign_in
        from tests.network.factories import MembershipFactory

        other = MembershipFactory(roles=["coordinator"])
        client = sign_in(Client(), other.user, other)
        assert client.get(self.url("coordination", situation)).status_code == 404

    def test_adding_the_cidff_lets_its_professional_see_it(self, net, situation):
        client = net.client("coordinator")
        response = client.post(
            self.url("participant_add", situation),
            {"participant-organisation": str(net.cidff.public_id), "participant-legal_ground": "consent"},
            follow=True,
        )
        assert "CIDFF de la Vendée suit désormais la situation." in text(response)
        assert net.client("cidff").get(detail(situation)).status_code == 200

    def test_a_refusal_comes_back_with_the_choice_kept(self, net, situation):
        response = net.client("coordinator").post(
            self.url("participant_add", situation),
            {"participant-organisation": str(net.ccas.public_id), "participant-legal_ground": "consent"},
        )
        html = text(response)
        assert "ne couvre pas le partage avec CCAS des Herbiers" in html
        assert f'<option value="{net.ccas.public_id}" selected>' in html

    def test_restrict_exclude_close_and_reopen(self, net, situation):
        # Restricting, lifting and excluding remove someone's access: each goes through the confirmation
        # (the confirmed POST carries `confirmed=1`); TestAccessRemovalConfirmation covers the first POST.
        client = net.client("coordinator")
        client.post(
            self.url("restrict", situation),
            {
                "restrict-reason": "Victime agente de la commune",
                "restrict-named_users": [str(net["cidff"].user.public_id)],
                "confirmed": "1",
            },
        )
        situation.refresh_from_db()
        assert situation.restricted
        assert net.client("gendarme").get(detail(situation)).status_code == 404
        assert net.client("cidff").get(detail(situation)).status_code == 200
        client.post(self.url("unrestrict", situation), {"confirmed": "1"})
        situation.refresh_from_db()
        assert not situation.restricted
        client.post(
            self.url("exclusion_add", situation),
            {
                "exclusion-user": str(net["gendarme"].user.public_id),
                "exclusion-reason": "Lien familial",
                "confirmed": "1",
            },
        )
        assert net.client("gendarme").get(detail(situation)).status_code == 404
        client.post(self.url("exclusion_remove", situation, net["gendarme"].user.public_id))
        assert net.client("gendarme").get(detail(situation)).status_code == 200
        client.post(self.url("close", situation), {"close-reason": "moved_away"})
        situation.refresh_from_db()
        assert (situation.status, situation.closure_reason) == ("closed", "moved_away")
        assert "Rouvrir la situation" in text(client.get(self.url("coordination", situation)))
        client.post(self.url("reopen", situation))
        situation.refresh_from_db()
        assert situation.status == "followed"

    def test_referent_assignment(self, net, situation):
        net.client("coordinator").post(
            self.url("referent_assign", situation),
            {"referent-membership": str(net["referent_elsewhere"].public_id)},
        )
        situation.refresh_from_db()
        assert situation.referent == net["referent_elsewhere"]
        assert net.client("referent_elsewhere").get(detail(situation)).status_code == 200

    def test_a_get_on_an_action_address_shows_the_page(self, net, situation):
        response = net.client("coordinator").get(self.url("close", situation))
        assert response.status_code == 302 and response.url == self.url("coordination", situation)


class TestNotesTasksPersons:
    @pytest.fixture
    def situation(self, net):
        return report_situation(net["gendarme"], commune=net.mouchamps)

    def test_add_a_note(self, net, situation):
        response = net.client("referent").post(
            reverse("situations:timeline_add", args=[situation.public_id]),
            {
                "kind": "note",
                "occurred_on": timezone.localdate().isoformat(),
                "visibility": "coordination",
                "body": "Point fait avec la mairie",
            },
            follow=True,
        )
        html = text(response)
        assert "Point fait avec la mairie" in html
        assert "Lisible par la coordination et les personnes référentes" in html

    def test_add_and_finish_a_task(self, net, situation):
        client = net.client("referent")
        client.post(
            reverse("situations:task_add", args=[situation.public_id]),
            {"title": "Appeler la victime", "owner": str(net["gendarme"].public_id), "due_on": "2030-01-01"},
        )
        task = situation.tasks.get()
        assert task.owner == net["gendarme"]
        net.client("gendarme").post(
            reverse("situations:task_done", args=[situation.public_id, task.public_id])
        )
        task.refresh_from_db()
        assert task.done_at is not None

    def test_task_owner_choices_are_people_who_follow_it(self, net, situation):
        html = text(net.client("referent").get(reverse("situations:task_add", args=[situation.public_id])))
        assert str(net["gendarme"].public_id) in html and str(net["coordinator"].public_id) in html
        assert (
            str(net["cidff"].public_id) not in html and str(net["referent_elsewhere"].public_id) not in html
        )

    def test_edit_a_person_and_safe_contacts(self, net, situation):
        victim = situation.persons.get()
        url = reverse("situations:person_edit", args=[situation.public_id, victim.public_id])
        client = net.client("gendarme")
        assert "Exemple" in text(client.get(url))
        data = {"personne-role": "victim", "personne-sex": "female", "personne-last_name": CANARY_LAST_NAME}
        for channel in ("phone", "sms", "voicemail", "email", "post"):
            data[f"contact-hours_{channel}"] = ""
            data[f"contact-code_{channel}"] = ""
        data["contact-allowed_sms"] = "on"
        data["contact-hours_sms"] = "le soir"
        assert client.post(url, data).status_code == 302
        victim.refresh_from_db()
        assert victim.last_name == CANARY_LAST_NAME and victim.first_name == ""
        assert {c.channel: c.allowed for c in victim.safe_contacts.all()} == {"phone": False, "sms": True}
        actions = AuditEntry.objects.filter(object_public_id=situation.public_id).values_list(
            "action", flat=True
        )
        assert AuditAction.SITUATION_IDENTITY_VIEWED in actions and AuditAction.SAFE_CONTACT_SET in actions

    def test_record_consent(self, net, situation):
        client = net.client("gendarme")
        response = client.post(
            reverse("situations:consent", args=[situation.public_id]),
            {"answer": "refused", "recorded_on": timezone.localdate().isoformat()},
            follow=True,
        )
        assert "La victime refuse le partage" in text(response)


class TestNotifications:
    def test_listed_counted_and_opened(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        client = net.client("referent")
        html = text(client.get(reverse("home")))
        assert 'data-testid="unread-count">1<' in html
        html = text(client.get(NOTIFICATIONS))
        assert "Nouvelle situation signalée" in html and situation.pseudonym in html
        notification = Notification.objects.get(recipient=net["referent"])
        response = client.get(reverse("notifications:open", args=[notification.public_id]))
        assert response.url == detail(situation)
        assert 'data-testid="unread-count"' not in text(client.get(reverse("home")))

    def test_nobody_opens_another_persons_notification(self, net):
        report_situation(net["gendarme"], commune=net.mouchamps)
        notification = Notification.objects.get(recipient=net["referent"])
        url = reverse("notifications:open", args=[notification.public_id])
        assert net.client("coordinator").get(url).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_mark_all_read(self, net):
        report_situation(net["gendarme"], commune=net.mouchamps)
        report_situation(net["gendarme"], commune=net.mouchamps)
        client = net.client("coordinator")
        client.post(reverse("notifications:read_all"))
        assert not Notification.objects.filter(recipient=net["coordinator"], read_at__isnull=True).exists()

    def test_an_alert_about_a_situation_no_longer_visible(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.exclusion_add(
            actor=net.actor("coordinator"), situation=situation, user=net["referent"].user, reason="x"
        )
        notification = Notification.objects.get(recipient=net["referent"])
        response = net.client("referent").get(
            reverse("notifications:open", args=[notification.public_id]), follow=True
        )
        assert "Cette situation ne vous est plus accessible." in text(response)

    @pytest.mark.parametrize("name", ["gendarme", "observer", "org_admin", "housing_manager"])
    def test_roles_that_receive_no_alert_pay_no_query_for_the_badge(
        self, net, name, django_assert_num_queries
    ):
        actor = net.actor(name)
        with django_assert_num_queries(0):
            assert notification_selectors.unread_count(actor) == 0
        assert 'data-testid="unread-count"' not in text(net.client(name).get(reverse("home")))

    def test_the_platform_admin_has_no_notifications_page(self, net):
        assert net.client("platform_admin").get(NOTIFICATIONS).status_code == 403


def test_the_nav_offers_situations_to_those_who_follow_them(net):
    assert "Mes situations" in text(net.client("gendarme").get(reverse("home")))
    assert "Mes situations" not in text(net.client("observer").get(reverse("home")))
    assert "Accès d'urgence" in text(net.client("dpo").get(reverse("home")))


def test_report_done_without_a_report_goes_to_the_list(net):
    assert net.client("gendarme").get(DONE).url == LIST


def test_the_situation_list_never_reveals_a_pseudonym_of_another_territory(net):
    from tests.network.factories import MembershipFactory
    from tests.territories.factories import CommuneFactory

    other = MembershipFactory(roles=["professional"])
    situation = SituationFactory(
        territory=other.territory, commune=CommuneFactory(territory=other.territory), pseudonym="S-2026-0999"
    )
    assert situation.pseudonym not in text(net.client("coordinator").get(LIST))
