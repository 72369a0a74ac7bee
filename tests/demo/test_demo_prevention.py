"""The demonstration's prevention events and trainings (issue 14, item 5): two to three years of what the
Pays des Herbiers' partners ran, recorded by them through the services at their moment of the history.
The demo is loaded once for the module (tests/db.py), with a few situations: prevention does not depend on
how many."""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.demo.clock import history_start
from maillage.prevention.enums import EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from tests.helpers import sign_in


@pytest.fixture(scope="module")
def loaded(built_once, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("demo") / "var"

    def load():
        out = io.StringIO()
        with override_settings(VAR_DIR=var_dir, DEMO_MODE=True):
            call_command("load_demo", situations=12, stdout=out)
        accounts = json.loads((var_dir / "demo-accounts.json").read_text(encoding="utf-8"))
        return out.getvalue(), accounts

    with built_once(load) as loaded:
        yield loaded


@pytest.fixture
def demo(loaded, db):
    return loaded


def herbiers_events():
    return PreventionEvent.objects.filter(territory__name="Pays des Herbiers")


def test_every_year_holds_its_calendar_of_events(demo):
    output, _accounts = demo
    today = timezone.localdate()
    first = history_start().date()
    events = herbiers_events()
    assert not PreventionEvent.objects.exclude(territory__name="Pays des Herbiers").exists()
    assert first < min(events.values_list("held_on", flat=True))
    years = sorted({day.year for day in events.values_list("held_on", flat=True)})
    assert len(years) >= 3  # two to three years of history, spread over the calendar years it crosses
    assert set(events.values_list("kind", flat=True)) == set(EventKind.values)
    # 25 November every year since the network started, in Les Herbiers, with an evening elsewhere.
    for year in range(first.year, today.year + 1):
        day = datetime.date(year, 11, 25)
        if first + datetime.timedelta(days=45) <= day < today:
            march = events.get(kind=EventKind.NOVEMBER_25, held_on=day)
            assert march.commune.name == "Les Herbiers" and 200 <= march.people_reached <= 450
            evenings = events.filter(kind=EventKind.NOVEMBER_25, held_on__year=year).exclude(pk=march.pk)
            assert evenings.exclude(commune__name="Les Herbiers").exists()
    # School talks at the collège, with the collège among the organisations; pupils counted.
    talks = events.filter(kind=EventKind.SCHOOL_TALK, held_on__lt=today - datetime.timedelta(days=1))
    assert talks.count() >= 4
    for talk in talks.prefetch_related("organisations"):
        assert "Collège public du Pays des Herbiers" in {o.name for o in talk.organisations.all()}
        assert talk.audience == "pupils" and 100 <= talk.people_reached <= 150
    # Public evenings in several communes; stands at the market; the press; the violentomètre campaign.
    evenings = events.filter(kind=EventKind.PUBLIC_EVENT, audience="general_public")
    communes = set(evenings.values_list("commune__name", flat=True))
    assert len(communes) >= 3 and "Les Herbiers" not in communes
    assert events.filter(kind=EventKind.STAND, commune__name="Les Herbiers").count() >= 4
    assert events.filter(kind=EventKind.PRESS, commune__isnull=True).count() >= 2
    campaigns = events.filter(kind=EventKind.CAMPAIGN)
    assert campaigns.count() >= 2 and not campaigns.filter(ends_on__isnull=True).exists()
    assert all("violentomètre" in c.materials for c in campaigns)
    # Every past event has its count; one coming soon is already planned, without one.
    assert (
        not events.filter(people_reached__isnull=True, held_on__lt=today - datetime.timedelta(days=1))
        .filter(ends_on__isnull=True)
        .exists()
    )
    (upcoming,) = events.filter(held_on__gt=today)
    assert upcoming.people_reached is None and upcoming.audience == "parents"
    assert 7 <= (upcoming.held_on - today).days <= 21
    assert "Prévention : " in output and f"{events.count()} actions" in output


def test_trainings_with_attendees_per_organisation(demo):
    trainings = Training.objects.filter(territory__name="Pays des Herbiers")
    topics = Counter(trainings.values_list("topic", flat=True))
    for topic in (TrainingTopic.DETECTION, TrainingTopic.RECEPTION, TrainingTopic.DANGER_ASSESSMENT):
        assert topics[topic] >= 2, topic
    assert not trainings.filter(held_on__gt=timezone.localdate()).exists()
    detection = trainings.filter(topic=TrainingTopic.DETECTION).first()
    attended = set(detection.attendances.values_list("organisation__name", flat=True))
    assert {"Mairie de Mouchamps", "Mairie de Vendrennes", "Mairie des Herbiers"} <= attended
    assert set(detection.trainer_organisations.values_list("name", flat=True)) == {
        "CIDFF de la Vendée",
        "Gendarmerie — brigade des Herbiers",
    }
    attendance = TrainingAttendance.objects.filter(training__in=trainings)
    assert attendance.values("organisation").distinct().count() >= 12
    assert attendance.aggregate(total=Sum("attendees"))["total"] >= 60
    for training in trainings:
        assert training.attendances.exists() and 0 < training.hours <= 6


def test_recorded_by_the_members_who_ran_them_through_the_services(demo):
    events = herbiers_events()
    # The collège's talks by its CPE, each planned ahead then completed with its count (a second version).
    talks = events.filter(kind=EventKind.SCHOOL_TALK).select_related("created_by__user")
    assert {t.created_by.user.email for t in talks} == {"sebastien.martin@exemple.fr"}
    assert talks.filter(version=2).count() >= talks.count() - 1
    evenings = events.filter(kind=EventKind.PUBLIC_EVENT, audience="general_public").select_related(
        "created_by__organisation", "commune"
    )
    for evening in evenings:
        # Recorded by a referent of the commune, whose organisation is then among the event's.
        assert evening.commune in {r.commune for r in evening.created_by.referent_of.all()}
        assert evening.organisations.filter(pk=evening.created_by.organisation_id).exists()
    recorded = AuditEntry.objects.filter(action=AuditAction.PREVENTION_EVENT_RECORDED)
    assert recorded.count() == events.count()
    for entry in recorded.order_by("sequence")[:5]:
        event = events.get(public_id=entry.object_public_id)
        # Recorded on the day, or ahead of it (planned), never long after.
        assert timezone.localtime(entry.created_at).date() <= event.held_on + datetime.timedelta(days=1)
    trainings = AuditEntry.objects.filter(action=AuditAction.TRAINING_RECORDED)
    assert trainings.count() == Training.objects.count()


def test_members_read_the_figures_and_a_referent_records_in_their_commune(demo, client):
    _output, _accounts = demo
    from maillage.network.models import Membership

    observer = Membership.objects.get(user__email="gerard.pineau@exemple.fr")
    page = sign_in(client, observer.user, observer).get("/prevention/").content.decode()
    assert "25 novembre : marche et stand place du Champ de Foire" in page
    assert "Enregistrer une action" not in page
    page = client.get("/formations/").content.decode()
    assert "Repérer les violences conjugales" in page
