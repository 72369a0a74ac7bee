"""Situation services: reporting, the status machine, concurrent edits, coordination, persons, tasks."""

import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.notifications.models import Notification
from maillage.privacy.fields import blind_match
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    LegalGround,
    ParticipationReason,
    PersonRole,
    SituationStatus,
)
from maillage.situations.models import Person, Situation
from tests.network.factories import MembershipFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import actor_of, report_situation
from tests.situations.worlds import CANARY_LAST_NAME, CANARY_PHONE
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


def sees(net, name, situation) -> bool:
    return Situation.objects.visible_to(net.actor(name)).filter(pk=situation.pk).exists()


def entries(situation, action):
    return AuditEntry.objects.filter(object_public_id=situation.public_id, action=action)


class TestReport:
    def test_pseudonyms_follow_each_other_per_territory_and_year(self, net):
        first = report_situation(net["gendarme"], commune=net.mouchamps)
        second = report_situation(net["cidff"], commune=net.vendrennes)
        elsewhere = MembershipFactory(territory=TerritoryFactory(), roles=["professional"])
        other = report_situation(elsewhere, commune=CommuneFactory(territory=elsewhere.territory))
        year = timezone.localdate().year
        assert (first.pseudonym, second.pseudonym) == (f"S-{year}-0001", f"S-{year}-0002")
        assert other.pseudonym == f"S-{year}-0001"

    def test_persons_consent_and_safe_contacts_are_recorded(self, net):
        situation = report_situation(
            net["gendarme"],
            commune=net.mouchamps,
            persons=[
                {
                    "role": PersonRole.VICTIM,
                    "first_name": "Zoé",
                    "last_name": CANARY_LAST_NAME,
                    "phone": CANARY_PHONE,
                },
                {"role": PersonRole.CHILD, "first_name": "Léo", "age": 6},
                {"role": PersonRole.PERPETRATOR, "last_name": "Durand"},
            ],
            consent={"answer": ConsentAnswer.GIVEN, "organisations": [net.cidff]},
            safe_contacts=[
                {"channel": "sms", "allowed": True, "safe_hours": "9 h–11 h", "code_word": "Tulipe"}
            ],
        )
        assert sorted(situation.persons.values_list("role", flat=True)) == ["child", "perpetrator", "victim"]
        victim = situation.persons.get(role=PersonRole.VICTIM)
        assert victim.phone == CANARY_PHONE
        assert Person.objects.filter(blind_match("last_name_index", CANARY_LAST_NAME)).get() == victim
        contact = victim.safe_contacts.get()
        assert (contact.channel, contact.allowed, contact.code_word) == ("sms", True, "Tulipe")
        consent = situation.consents.get()
        assert consent.answer == ConsentAnswer.GIVEN and list(consent.organisations.all()) == [net.cidff]

    def test_the_trail_records_the_report_without_any_identity(self, net):
        situation = report_situation(
            net["gendarme"],
            commune=net.mouchamps,
            persons=[{"role": PersonRole.VICTIM, "last_name": CANARY_LAST_NAME, "phone": CANARY_PHONE}],
        )
        entry = entries(situation, AuditAction.SITUATION_REPORTED).get()
        text = json.dumps(entry.changes, ensure_ascii=False)
        assert entry.changes["persons"] == {"victim": 1, "child": 0, "perpetrator": 0}
        for secret in (CANARY_LAST_NAME, CANARY_PHONE, "Mouchamps"):
            assert secret not in text

    @pytest.mark.parametrize(
        ("answer", "urgent", "ground"),
        [
            (ConsentAnswer.GIVEN, False, LegalGround.CONSENT),
            (ConsentAnswer.GIVEN, True, LegalGround.CONSENT),
            (ConsentAnswer.REFUSED, True, LegalGround.IMMEDIATE_DANGER),
            (ConsentAnswer.NOT_ASKED, False, LegalGround.IMMEDIATE_DANGER),
            (ConsentAnswer.REFUSED, False, LegalGround.OWN_MISSION),
        ],
    )
    def test_the_reporting_organisation_follows_the_situation(self, net, answer, urgent, ground):
        situation = report_situation(
            net["gendarme"], urgent=urgent, consent={"answer": answer, "organisations": []}
        )
        participation = situation.participations.get()
        assert participation.organisation == net.gendarmerie
        assert participation.reason == ParticipationReason.REPORTER
        assert participation.legal_ground == ground

    def test_coordinator_and_commune_referents_are_alerted(self, net, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            situation = report_situation(net["gendarme"], commune=net.mouchamps)
        alerted = set(Notification.objects.about(situation).values_list("recipient", flat=True))
        assert alerted == {net["coordinator"].pk, net["referent"].pk}
        run_queued_tasks()  # the alert e-mails leave through the task queue
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [net["coordinator"].user.email, net["referent"].user.email]
        )

    def test_a_coordinator_reporting_is_not_alerted_about_their_own_report(self, net):
        situation = report_situation(net["coordinator"], commune=net.vendrennes)
        alerted = set(Notification.objects.about(situation).values_list("recipient", flat=True))
        assert alerted == {net["referent_elsewhere"].pk}

    @pytest.mark.parametrize("role", ["org_admin", "housing_manager", "observer", "dpo"])
    def test_roles_that_see_no_situation_cannot_report(self, net, role):
        with pytest.raises(PermissionDeniedError):
            report_situation(net[role], commune=net.mouchamps)

    def test_commune_of_another_territory_is_refused(self, net):
        with pytest.raises(DomainError, match="ne fait pas partie de votre territoire"):
            report_situation(net["gendarme"], commune=CommuneFactory())

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"sources": []}, "au moins une source"),
            ({"violence_types": []}, "au moins un type"),
            ({"sources": ["rumour"]}, "Valeur inconnue"),
            # Tomorrow as of when the test runs, not when it was collected (a run across midnight).
            ({"detected_on": lambda: timezone.localdate() + datetime.timedelta(days=1)}, "dans le futur"),
            ({"persons": [{"role": PersonRole.CHILD, "age": 4}]}, "au moins une victime"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_kept(self, net, overrides, message):
        overrides = {key: value() if callable(value) else value for key, value in overrides.items()}
        with pytest.raises(DomainError, match=message):
            report_situation(net["gendarme"], **overrides)
        assert not Situation.objects.exists()


class TestStatus:
    def test_every_status_can_be_left_and_reached(self):
        sources = set().union(*(frm for frm, _ in services.TRANSITIONS.values()))
        targets = {to for _, to in services.TRANSITIONS.values()}
        assert sources == set(SituationStatus.values)
        assert targets == set(SituationStatus.values) - {SituationStatus.NEW}
        assert set(services.TRANSITION_LABELS) == set(services.TRANSITIONS)

    def test_close_then_reopen(self, net):
        situation = report_situation(net["gendarme"])
        coordinator = net.actor("coordinator")
        closed = services.situation_close(actor=coordinator, situation=situation, reason="resolved")
        assert (closed.status, closed.closure_reason) == (SituationStatus.CLOSED, "resolved")
        assert closed.closed_at is not None
        reopened = services.situation_reopen(actor=coordinator, situation=closed)
        assert (reopened.status, reopened.closure_reason, reopened.closed_at) == (
            SituationStatus.FOLLOWED,
            "",
            None,
        )
        assert entries(situation, AuditAction.SITUATION_CLOSED).get().changes["status"] == ["new", "closed"]

    def test_illegal_transitions_are_refused(self, net):
        situation = report_situation(net["gendarme"])
        coordinator = net.actor("coordinator")
        with pytest.raises(DomainError, match="« Nouvelle » ne peut pas être rouverte"):
            services.situation_reopen(actor=coordinator, situation=situation)
        services.situation_close(actor=coordinator, situation=situation, reason="resolved")
        with pytest.raises(DomainError, match="« Clôturée » ne peut pas être clôturée"):
            services.situation_close(actor=coordinator, situation=situation, reason="resolved")

    def test_closing_needs_a_reason_from_the_list(self, net):
        situation = report_situation(net["gendarme"])
        with pytest.raises(DomainError, match="motif"):
            services.situation_close(actor=net.actor("coordinator"), situation=situation, reason="because")

    @pytest.mark.parametrize("role", ["referent", "gendarme"])
    def test_only_the_coordinator_closes(self, net, role):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        with pytest.raises(PermissionDeniedError):
            services.situation_close(actor=net.actor(role), situation=situation, reason="resolved")

    def test_a_closed_situation_takes_no_note(self, net):
        situation = report_situation(net["gendarme"])
        services.situation_close(actor=net.actor("coordinator"), situation=situation, reason="resolved")
        situation.refresh_from_db()
        with pytest.raises(DomainError, match="clôturée"):
            services.timeline_add(
                actor=net.actor("gendarme"),
                situation=situation,
                kind="note",
                visibility="participants",
                body="x",
            )


class TestConcurrentEdit:
    def test_a_stale_version_is_refused_with_what_changed(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        read_version = situation.version
        services.situation_update(
            actor=net.actor("referent"),
            situation=situation,
            version=read_version,
            urgent=True,
            violence_types=["physical", "sexual"],
            commune=net.vendrennes,
        )
        with pytest.raises(ConflictError) as refused:
            services.situation_update(
                actor=net.actor("gendarme"), situation=situation, version=read_version, sources=["health"]
            )
        message = refused.value.message
        assert "Danger immédiat : oui" in message
        assert "Types de violences : Physiques, Sexuelles" in message
        assert "Commune (modifié)" in message
        assert "Vendrennes" not in message and "Mouchamps" not in message
        situation.refresh_from_db()
        assert situation.sources == ["law_enforcement"] and situation.version == read_version + 1

    def test_the_current_version_saves(self, net):
        situation = report_situation(net["gendarme"])
        updated = services.situation_update(
            actor=net.actor("gendarme"), situation=situation, version=situation.version, sources=["health"]
        )
        assert updated.sources == ["health"] and updated.version == situation.version + 1
        entry = entries(situation, AuditAction.SITUATION_UPDATED).get()
        assert entry.changes["sources"] == [["law_enforcement"], ["health"]]

    def test_a_save_changing_nothing_bumps_nothing(self, net):
        situation = report_situation(net["gendarme"])
        services.situation_update(
            actor=net.actor("gendarme"), situation=situation, version=situation.version, urgent=False
        )
        situation.refresh_from_db()
        assert situation.version == 1
        assert not entries(situation, AuditAction.SITUATION_UPDATED).exists()

    def test_an_organisation_that_does_not_follow_cannot_edit(self, net):
        situation = report_situation(net["gendarme"])
        with pytest.raises(PermissionDeniedError):
            services.situation_update(actor=net.actor("cidff"), situation=situation, version=1, urgent=True)


class TestParticipants:
    def test_consent_must_name_the_organisation(self, net):
        situation = report_situation(
            net["gendarme"], consent={"answer": "given", "organisations": [net.ccas]}
        )
        coordinator = net.actor("coordinator")
        with pytest.raises(DomainError, match="ne couvre pas le partage avec CIDFF"):
            services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
        services.consent_record(
            actor=coordinator, situation=situation, answer="given", organisations=[net.cidff, net.ccas]
        )
        services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
        assert sees(net, "cidff", situation)
        situation.refresh_from_db()
        assert situation.status == SituationStatus.FOLLOWED

    def test_immediate_danger_is_a_recorded_ground(self, net):
        situation = report_situation(net["gendarme"], consent={"answer": "refused", "organisations": []})
        services.participant_add(
            actor=net.actor("coordinator"),
            situation=situation,
            organisation=net.cidff,
            legal_ground=LegalGround.IMMEDIATE_DANGER,
        )
        entry = entries(situation, AuditAction.PARTICIPANT_ADDED).get()
        assert entry.changes["legal_ground"] == "immediate_danger"
        assert situation.participations.get(organisation=net.cidff).legal_ground == "immediate_danger"

    def test_removing_an_organisation_closes_its_access(self, net):
        situation = report_situation(net["gendarme"], commune=net.vendrennes)
        services.participant_remove(
            actor=net.actor("coordinator"), situation=situation, organisation=net.gendarmerie
        )
        assert not sees(net, "gendarme", situation)
        assert entries(situation, AuditAction.PARTICIPANT_REMOVED).exists()

    def test_only_the_coordinator_adds(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        with pytest.raises(PermissionDeniedError):
            services.participant_add(
                actor=net.actor("referent"),
                situation=situation,
                organisation=net.cidff,
                legal_ground=LegalGround.IMMEDIATE_DANGER,
            )


class TestCoordination:
    def test_assigning_a_referent_opens_and_alerts(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.referent_assign(
            actor=net.actor("coordinator"), situation=situation, membership=net["referent_elsewhere"]
        )
        assert sees(net, "referent_elsewhere", situation)
        assert (
            Notification.objects.about(situation)
            .filter(recipient=net["referent_elsewhere"], kind="referent_assigned")
            .exists()
        )

    def test_only_a_referent_can_be_assigned(self, net):
        situation = report_situation(net["gendarme"])
        with pytest.raises(DomainError, match="référent"):
            services.referent_assign(
                actor=net.actor("coordinator"), situation=situation, membership=net["cidff"]
            )

    def test_restriction_keeps_only_coordinator_and_named_users(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.situation_restrict(
            actor=net.actor("coordinator"),
            situation=situation,
            named_users=[net["cidff"].user],
            reason="Victime membre du réseau",
        )
        assert sees(net, "coordinator", situation) and sees(net, "cidff", situation)
        assert not sees(net, "gendarme", situation) and not sees(net, "referent", situation)
        services.situation_unrestrict(actor=net.actor("coordinator"), situation=situation)
        assert sees(net, "gendarme", situation) and not sees(net, "cidff", situation)
        restricted = entries(situation, AuditAction.SITUATION_RESTRICTED).get()
        assert "Victime membre" not in json.dumps(restricted.changes, ensure_ascii=False)

    def test_an_exclusion_wins_over_every_other_right(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        services.exclusion_add(
            actor=net.actor("coordinator"), situation=situation, user=net["referent"].user, reason="Voisine"
        )
        assert not sees(net, "referent", situation)
        services.exclusion_remove(
            actor=net.actor("coordinator"), situation=situation, user=net["referent"].user
        )
        assert sees(net, "referent", situation)

    def test_no_one_outside_the_territory_can_be_excluded_or_named(self, net):
        situation = report_situation(net["gendarme"])
        stranger = MembershipFactory(territory=TerritoryFactory()).user
        with pytest.raises(DomainError, match="n'est pas membre"):
            services.exclusion_add(
                actor=net.actor("coordinator"), situation=situation, user=stranger, reason="x"
            )


class TestPersons:
    def test_identity_changes_refresh_the_blind_index(self, net):
        situation = report_situation(net["gendarme"])
        victim = situation.persons.get()
        services.person_update(actor=net.actor("gendarme"), person=victim, last_name=CANARY_LAST_NAME)
        found = Person.objects.filter(blind_match("last_name_index", CANARY_LAST_NAME))
        assert list(found) == [victim]
        assert not Person.objects.filter(blind_match("last_name_index", "Exemple")).exists()
        entry = entries(situation, AuditAction.PERSON_UPDATED).get()
        assert entry.changes["fields"] == ["last_name"]
        assert CANARY_LAST_NAME not in json.dumps(entry.changes)

    def test_identity_and_safe_contacts_are_saved_together_or_not_at_all(self, net):
        situation = report_situation(net["gendarme"])  # the victim's phone is marked safe
        victim, actor = situation.persons.get(), net.actor("gendarme")
        with pytest.raises(DomainError, match="Moyen de contact inconnu"):
            services.person_update(
                actor=actor,
                person=victim,
                last_name=CANARY_LAST_NAME,
                safe_contacts=[{"channel": "sms", "allowed": True}, {"channel": "pigeon", "allowed": True}],
            )
        victim.refresh_from_db()
        assert victim.last_name == "Exemple"
        assert list(victim.safe_contacts.values_list("channel", flat=True)) == ["phone"]
        services.person_update(
            actor=actor,
            person=victim,
            last_name=CANARY_LAST_NAME,
            safe_contacts=[
                {"channel": "phone", "allowed": True, "safe_hours": "", "code_word": ""},  # unchanged
                {"channel": "sms", "allowed": True, "safe_hours": "le soir", "code_word": ""},
                {"channel": "email", "allowed": False, "safe_hours": "", "code_word": ""},  # left blank
            ],
        )
        victim.refresh_from_db()
        assert victim.last_name == CANARY_LAST_NAME
        assert {c.channel: c.allowed for c in victim.safe_contacts.all()} == {"phone": True, "sms": True}
        assert [e.changes["channel"] for e in entries(situation, AuditAction.SAFE_CONTACT_SET)] == ["sms"]

    def test_safe_contacts_are_set_for_a_victim_only(self, net):
        situation = report_situation(net["gendarme"])
        actor = net.actor("gendarme")
        child = services.person_add(actor=actor, situation=situation, role=PersonRole.CHILD, age=4)
        with pytest.raises(DomainError, match="pour une victime"):
            services.person_update(
                actor=actor, person=child, age=5, safe_contacts=[{"channel": "sms", "allowed": True}]
            )
        child.refresh_from_db()
        assert child.age == 4 and not child.safe_contacts.exists()

    def test_a_person_is_added_with_their_identity(self, net):
        situation = report_situation(net["gendarme"])
        child = services.person_add(
            actor=net.actor("gendarme"), situation=situation, role=PersonRole.CHILD, first_name="Léo", age=4
        )
        assert (child.first_name, child.age) == ("Léo", 4)
        assert entries(situation, AuditAction.PERSON_ADDED).get().changes["fields"] == ["first_name"]


class TestTasks:
    def test_the_owner_must_see_the_situation(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        with pytest.raises(DomainError, match="n'a pas accès"):
            services.task_add(
                actor=net.actor("gendarme"),
                situation=situation,
                title="Proposer un rendez-vous",
                owner=net["cidff"],
                due_on=timezone.localdate(),
            )
        task = services.task_add(
            actor=net.actor("gendarme"),
            situation=situation,
            title="Proposer un rendez-vous",
            owner=net["referent"],
            due_on=timezone.localdate(),
        )
        assert task.owner == net["referent"]

    def test_only_the_owner_or_coordination_finishes_it(self, net):
        situation = report_situation(net["gendarme"], commune=net.mouchamps)
        task = services.task_add(
            actor=net.actor("gendarme"),
            situation=situation,
            title="Appeler",
            owner=net["gendarme"],
            due_on=timezone.localdate(),
        )
        with pytest.raises(PermissionDeniedError):
            services.task_done(actor=net.actor("gendarme_colleague"), task=task)
        done = services.task_done(actor=net.actor("referent"), task=task)
        assert done.done_at is not None
        with pytest.raises(DomainError, match="déjà terminée"):
            services.task_done(actor=net.actor("gendarme"), task=done)


def test_actor_of_reads_referent_communes_afresh(net):
    assert net.mouchamps.pk in actor_of(net["referent"]).commune_ids


def test_an_organisation_cannot_be_added_on_the_reporters_own_ground(net):
    from maillage.errors import DomainError
    from maillage.situations import services

    situation = report_situation(net["gendarme"])
    with pytest.raises(DomainError, match="consentement ou en cas de danger"):
        services.participant_add(
            actor=actor_of(net["coordinator"]),
            situation=situation,
            organisation=net.cidff,
            legal_ground=LegalGround.OWN_MISSION,
        )
