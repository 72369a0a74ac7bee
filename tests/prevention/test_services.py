"""Recording, changing and deleting events and trainings through the services: the rules, the writer's own
organisation always counted, version checks, a form sent twice, and the audit trail."""

import datetime
import uuid
from decimal import Decimal

import pytest

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.prevention import services
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from tests.prevention.worlds import days_ago

pytestmark = pytest.mark.django_db


def talk(world, **changes) -> dict:
    values = {
        "title": "Intervention au collège",
        "kind": EventKind.SCHOOL_TALK,
        "held_on": days_ago(3),
        "commune": world.mouchamps,
        "audience": Audience.PUPILS,
        "people_reached": 56,
        "organisations": [world.college],
    }
    return {**values, **changes}


def session(world, **changes) -> dict:
    values = {
        "title": "Accueillir une victime",
        "topic": TrainingTopic.RECEPTION,
        "held_on": days_ago(2),
        "hours": Decimal("3.5"),
        "attendances": [(world.mairie, 2), (world.ccas, 5)],
    }
    return {**values, **changes}


def last_entry(action):
    return AuditEntry.objects.filter(action=action).latest("sequence")


class TestEventRecord:
    def test_a_member_records_an_event_with_their_organisation_always_counted(self, world):
        event = services.event_record(actor=world.actor("referent"), **talk(world, organisations=[]))
        assert set(event.organisations.all()) == {world.mairie}
        event = services.event_record(actor=world.actor("gendarme"), **talk(world))
        assert set(event.organisations.all()) == {world.college, world.gendarmerie}
        assert event.territory == world.territory and event.created_by == world["gendarme"]
        entry = last_entry(AuditAction.PREVENTION_EVENT_RECORDED)
        assert entry.object_public_id == event.public_id
        assert entry.changes["organisations"] == ["Collège du Pays", "Gendarmerie"]
        assert entry.changes["commune"] == "Mouchamps" and entry.changes["people_reached"] == 56

    def test_the_coordinator_chooses_the_organisations_freely(self, world):
        event = services.event_record(actor=world.actor("coordinator"), **talk(world))
        assert set(event.organisations.all()) == {world.college}

    @pytest.mark.parametrize("name", ["observer", "dpo"])
    def test_observers_and_dpos_only_read(self, world, name):
        with pytest.raises(PermissionDeniedError):
            services.event_record(actor=world.actor(name), **talk(world))
        assert PreventionEvent.objects.count() == 3

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"title": "  "}, "title", "Indiquez l'intitulé de l'action."),
            ({"kind": "concert"}, "kind", "Choisissez le type d'action."),
            ({"audience": ""}, "audience", "Choisissez le public visé."),
            ({"ends_on": days_ago(1)}, "ends_on", "Seule une campagne a une date de fin"),
            (
                {"kind": EventKind.CAMPAIGN, "ends_on": days_ago(5)},
                "ends_on",
                "La fin de la campagne ne peut pas précéder son début.",
            ),
            ({"people_reached": None}, "people_reached", "Indiquez le nombre de personnes touchées"),
            ({"people_reached": -1}, "people_reached", "entre 0 et 1 000 000"),
            ({"held_on": datetime.date(1999, 12, 31)}, "held_on", "La date de l'action semble erronée"),
            (
                {"held_on": days_ago(-10)},
                "people_reached",
                "Une action à venir n'a encore touché personne",
            ),
            ({"description": "x" * 3001}, "description", "ne peut pas dépasser 3000 caractères"),
        ],
    )
    def test_refusals_name_their_field(self, world, changes, field, message):
        with pytest.raises(services.InvalidValue) as refused:
            services.event_record(actor=world.actor("gendarme"), **talk(world, **changes))
        assert refused.value.field == field and message in refused.value.message
        assert PreventionEvent.objects.count() == 3

    def test_planned_events_and_running_campaigns_may_have_no_count_yet(self, world):
        gendarme = world.actor("gendarme")
        planned = services.event_record(
            actor=gendarme, **talk(world, held_on=days_ago(-30), people_reached=None)
        )
        assert planned.people_reached is None
        campaign = services.event_record(
            actor=gendarme,
            **talk(
                world,
                kind=EventKind.CAMPAIGN,
                held_on=days_ago(10),
                ends_on=days_ago(-10),
                commune=None,
                people_reached=None,
            ),
        )
        assert campaign.commune is None and campaign.ends_on == days_ago(-10)

    def test_communes_and_organisations_must_be_of_the_territory(self, world):
        with pytest.raises(services.InvalidValue) as refused:
            services.event_record(actor=world.actor("gendarme"), **talk(world, commune=world.pouzauges))
        assert refused.value.field == "commune"
        with pytest.raises(services.InvalidValue) as refused:
            services.event_record(
                actor=world.actor("gendarme"), **talk(world, organisations=[world.epci_elsewhere])
            )
        assert refused.value.field == "organisations"

    def test_a_form_sent_twice_records_once(self, world):
        submission = uuid.uuid4()
        first = services.event_record(actor=world.actor("gendarme"), submission=submission, **talk(world))
        assert first.public_id == submission
        with pytest.raises(services.AlreadyRecorded) as again:
            services.event_record(actor=world.actor("gendarme"), submission=submission, **talk(world))
        assert again.value.record == first
        # Someone else's form id is not theirs to reuse: refused, without pointing to the record.
        with pytest.raises(DomainError) as other:
            services.event_record(actor=world.actor("cidff"), submission=submission, **talk(world))
        assert not isinstance(other.value, services.AlreadyRecorded)
        assert PreventionEvent.objects.filter(public_id=submission).count() == 1


class TestEventUpdate:
    def test_a_member_changes_their_organisations_event_and_keeps_their_organisation(self, world):
        event = world.records["school_talk"]
        updated = services.event_update(
            actor=world.actor("gendarme"),
            event=event,
            version=event.version,
            **talk(world, title="Intervention en 3e", people_reached=120, organisations=[world.cidff]),
        )
        assert updated.version == event.version + 1 and updated.title == "Intervention en 3e"
        assert set(updated.organisations.all()) == {world.cidff, world.gendarmerie}
        entry = last_entry(AuditAction.PREVENTION_EVENT_UPDATED)
        assert entry.changes["title"] == ["Intervention au collège — classes de 4e", "Intervention en 3e"]
        assert entry.changes["organisations"] == [
            ["Collège du Pays", "Gendarmerie"],
            ["CIDFF de la Vendée", "Gendarmerie"],
        ]

    def test_a_member_cannot_change_an_event_of_other_organisations(self, world):
        event = world.records["school_talk"]
        with pytest.raises(PermissionDeniedError):
            services.event_update(
                actor=world.actor("cidff"), event=event, version=event.version, **talk(world, title="Autre")
            )
        event.refresh_from_db()
        assert event.title == "Intervention au collège — classes de 4e"

    def test_a_stale_version_is_refused_in_french_and_nothing_changes(self, world):
        event = world.records["school_talk"]
        coordinator = world.actor("coordinator")
        both = [world.college, world.gendarmerie]
        services.event_update(
            actor=coordinator,
            event=event,
            version=event.version,
            **talk(world, title="A", organisations=both),
        )
        with pytest.raises(ConflictError) as conflict:
            services.event_update(
                actor=world.actor("gendarme"), event=event, version=event.version, **talk(world, title="B")
            )
        assert "Quelqu'un a modifié l'action « A » pendant que vous la modifiiez" in conflict.value.message
        event.refresh_from_db()
        assert event.title == "A"

    def test_the_same_change_sent_twice_is_applied_once(self, world):
        event = world.records["school_talk"]
        values = talk(world, title="Intervention en 3e", organisations=[world.college, world.gendarmerie])
        services.event_update(actor=world.actor("gendarme"), event=event, version=event.version, **values)
        services.event_update(actor=world.actor("gendarme"), event=event, version=event.version, **values)
        assert AuditEntry.objects.filter(action=AuditAction.PREVENTION_EVENT_UPDATED).count() == 1

    def test_the_description_is_said_to_change_never_recorded(self, world):
        event = world.records["school_talk"]
        services.event_update(
            actor=world.actor("gendarme"),
            event=event,
            version=event.version,
            **talk(world, description="Échanges riches avec Mme Durand, professeure"),
        )
        entry = last_entry(AuditAction.PREVENTION_EVENT_UPDATED)
        assert "description" in entry.changes["fields"] and "Durand" not in str(entry.changes)


class TestEventDelete:
    def test_the_coordinator_deletes_with_the_version_read(self, world):
        event = world.records["school_talk"]
        with pytest.raises(PermissionDeniedError):
            services.event_delete(actor=world.actor("gendarme"), event=event, version=event.version)
        with pytest.raises(ConflictError):
            services.event_delete(actor=world.actor("coordinator"), event=event, version=event.version - 1)
        services.event_delete(actor=world.actor("coordinator"), event=event, version=event.version)
        assert not PreventionEvent.objects.filter(pk=event.pk).exists()
        entry = last_entry(AuditAction.PREVENTION_EVENT_DELETED)
        assert entry.object_public_id == event.public_id
        assert entry.changes["title"] == event.title and entry.changes["people_reached"] == 112


class TestTrainings:
    def test_a_member_records_a_training_with_attendees_per_organisation(self, world):
        training = services.training_record(
            actor=world.actor("referent"), trainers="Juriste du CIDFF", **session(world)
        )
        assert set(training.trainer_organisations.all()) == {world.mairie}
        assert {(a.organisation.name, a.attendees) for a in training.attendances.all()} == {
            ("Mairie de Mouchamps", 2),
            ("CCAS", 5),
        }
        entry = last_entry(AuditAction.TRAINING_RECORDED)
        assert entry.changes["attendances"] == {"CCAS": 5, "Mairie de Mouchamps": 2}
        assert entry.changes["hours"] == "3.5"

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"attendances": []}, "attendances", "au moins une organisation"),
            ({"attendances": "twice"}, "attendances", "figure deux fois"),
            ({"attendances": "zero"}, "attendances", "entre 1 et 1 000"),
            ({"hours": Decimal("0")}, "hours", "entre 0,1 et 100 heures"),
            ({"hours": Decimal("100.5")}, "hours", "entre 0,1 et 100 heures"),
            ({"hours": Decimal("1.25")}, "hours", "au dixième d'heure près"),
            ({"held_on": days_ago(-1)}, "held_on", "une fois tenue"),
            ({"topic": ""}, "topic", "Choisissez le thème"),
        ],
    )
    def test_refusals_name_their_field(self, world, changes, field, message):
        if changes.get("attendances") == "twice":
            changes["attendances"] = [(world.ccas, 2), (world.ccas, 3)]
        elif changes.get("attendances") == "zero":
            changes["attendances"] = [(world.ccas, 0)]
        with pytest.raises(services.InvalidValue) as refused:
            services.training_record(actor=world.actor("gendarme"), **session(world, **changes))
        assert refused.value.field == field and message in refused.value.message
        assert Training.objects.count() == 3

    def test_observers_and_dpos_only_read(self, world):
        for name in ("observer", "dpo"):
            with pytest.raises(PermissionDeniedError):
                services.training_record(actor=world.actor(name), **session(world))

    def test_attendance_is_replaced_and_versions_checked(self, world):
        training = world.records["cidff_training"]
        cidff = world.actor("cidff")
        updated = services.training_update(
            actor=cidff,
            training=training,
            version=training.version,
            title=training.title,
            topic=training.topic,
            held_on=training.held_on,
            hours=Decimal("3.0"),
            trainer_organisations=[],
            attendances=[(world.gendarmerie, 6), (world.ccas, 1)],
        )
        assert set(updated.trainer_organisations.all()) == {world.cidff}
        assert {(a.organisation.name, a.attendees) for a in updated.attendances.all()} == {
            ("Gendarmerie", 6),
            ("CCAS", 1),
        }
        entry = last_entry(AuditAction.TRAINING_UPDATED)
        assert entry.changes["attendances"] == [
            {"Gendarmerie": 4, "Mairie de Mouchamps": 2},
            {"CCAS": 1, "Gendarmerie": 6},
        ]
        assert "hours" not in entry.changes["fields"]  # 3 and 3.0 hours are the same
        with pytest.raises(ConflictError) as conflict:
            services.training_update(
                actor=cidff,
                training=training,
                version=training.version,
                title="Autre titre",
                topic=training.topic,
                held_on=training.held_on,
                hours=Decimal("3"),
                trainer_organisations=[],
                attendances=[(world.gendarmerie, 6)],
            )
        assert "Quelqu'un a modifié la formation" in conflict.value.message

    def test_a_member_cannot_change_a_training_their_organisation_did_not_give(self, world):
        training = world.records["cidff_training"]
        with pytest.raises(PermissionDeniedError):
            services.training_update(
                actor=world.actor("gendarme"),
                training=training,
                version=training.version,
                trainer_organisations=[],
                attendances=[(world.gendarmerie, 1)],
            )

    def test_the_coordinator_deletes_a_training_and_its_attendance(self, world):
        training = world.records["cidff_training"]
        services.training_delete(
            actor=world.actor("coordinator"), training=training, version=training.version
        )
        assert not TrainingAttendance.objects.filter(training_id=training.pk).exists()
        entry = last_entry(AuditAction.TRAINING_DELETED)
        assert entry.changes["attendances"] == {"Gendarmerie": 4, "Mairie de Mouchamps": 2}

    def test_a_form_sent_twice_records_one_training(self, world):
        submission = uuid.uuid4()
        services.training_record(actor=world.actor("cidff"), submission=submission, **session(world))
        with pytest.raises(services.AlreadyRecorded):
            services.training_record(actor=world.actor("cidff"), submission=submission, **session(world))
        assert Training.objects.filter(public_id=submission).count() == 1
        assert TrainingAttendance.objects.filter(training__public_id=submission).count() == 2
