"""Recognition on the demonstration (issue 14, item 3): each partner's figures checked against subsets of the
demo computed by hand — the contributions summed from the action plan's fixture file, everything else counted
row by row in Python, the slow obvious way, independently of the aggregate queries of stats/recognition.py.
The demo is loaded once for the module (tests/db.py), with a few situations."""

import datetime
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.actionplan.models import Action, Contribution
from maillage.demo import actionplan as demo_actionplan
from maillage.housing.models import Stay
from maillage.meetings.models import MeetingParticipant
from maillage.network.models import Membership, Organisation
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.referrals.models import Referral
from maillage.situations.models import Participation, Situation
from maillage.stats import recognition_disclosure
from maillage.stats.recognition import FIGURES, Period, network_totals, organisations_figures
from maillage.territories.models import Territory
from tests.demo.loading import HERBIERS, demo_loaded
from tests.helpers import sign_in

pytestmark = pytest.mark.whole_app


@pytest.fixture(scope="module")
def loaded(built_once, tmp_path_factory):
    with demo_loaded(built_once, tmp_path_factory, situations=12):
        yield


@pytest.fixture
def herbiers(loaded, db):
    return Territory.objects.get(name=HERBIERS)


def years():
    this_year = timezone.localdate().year
    return [this_year, this_year - 1, this_year - 2, None]


def test_contributions_match_the_action_plan_file(herbiers):
    """Summed by hand from demo_action_plan.json: each contribution repeats for the years it lists (0 = this
    year, -1 = last year)."""
    plan = json.loads(demo_actionplan.ACTION_PLAN_FILE.read_text(encoding="utf-8"))
    this_year = timezone.localdate().year
    expected = defaultdict(Decimal)
    for action in plan["actions"]:
        for given in action.get("contributions", []):
            for offset in given["years"]:
                year = this_year + offset
                if given["kind"] == "staff_hours":
                    expected[(given["organisation"], year, "staff_hours")] += Decimal(str(given["hours"]))
                elif given["kind"] == "money":
                    expected[(given["organisation"], year, "money")] += Decimal(str(given["amount"]))
                elif given.get("amount") is not None:
                    expected[(given["organisation"], year, "in_kind_value")] += Decimal(str(given["amount"]))
    assert expected, "the fixture holds contributions"
    for year in (this_year, this_year - 1):
        figures = {f.organisation.name: f for f in organisations_figures(herbiers, Period(year))}
        for name, partner in figures.items():
            for figure in ("staff_hours", "money", "in_kind_value"):
                assert partner[figure] == expected.get((name, year, figure), Decimal(0)), (name, year, figure)


def _in(period: Period, day: datetime.date | None) -> bool:
    return period.year is None or (day is not None and day.year == period.year)


def _local(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _overlaps(period: Period, starts, ends) -> bool:
    if period.year is None:
        return True
    return (starts is None or starts < period.end) and (ends is None or ends >= period.start)


def counted_by_hand(territory, period: Period) -> dict[int, dict[str, object]]:
    """Every figure of every partner, row by row."""
    figures: dict[int, dict[str, object]] = defaultdict(lambda: defaultdict(int))
    organisation_of = dict(Membership.objects.values_list("pk", "organisation_id"))
    for situation in Situation.objects.filter(territory=territory):
        if _in(period, _local(situation.created_at)):
            figures[organisation_of[situation.created_by_id]]["situations_reported"] += 1
    followed = defaultdict(set)
    for participation in Participation.objects.filter(situation__territory=territory).select_related(
        "situation"
    ):
        closed = participation.situation.closed_at
        if period.year is None or (
            _local(participation.added_at) < period.end and (closed is None or _local(closed) >= period.start)
        ):
            followed[participation.organisation_id].add(participation.situation_id)
    for organisation, situations in followed.items():
        figures[organisation]["situations_followed"] = len(situations)
    for referral in Referral.objects.filter(situation__territory=territory):
        if _in(period, _local(referral.created_at)):
            figures[referral.sender_id]["referrals_sent"] += 1
            figures[referral.receiver_id]["referrals_received"] += 1
            if referral.status in ("accepted", "done"):
                figures[referral.receiver_id]["referrals_accepted"] += 1
    for stay in Stay.objects.filter(unit__territory=territory).select_related("unit"):
        if stay.status not in ("in_progress", "ended"):
            continue
        first, last = stay.starts_on, stay.ends_on
        if period.year is not None:
            first, last = max(first, period.start), min(last, period.end)
        if last > first:
            figures[stay.unit.organisation_id]["stays"] += 1
            figures[stay.unit.organisation_id]["nights"] += (last - first).days
    attended = defaultdict(set)
    for participant in MeetingParticipant.objects.filter(meeting__territory=territory).select_related(
        "meeting"
    ):
        if participant.attendance == "present" and _in(period, _local(participant.meeting.starts_at)):
            attended[organisation_of[participant.membership_id]].add(participant.meeting_id)
    for organisation, meetings in attended.items():
        figures[organisation]["meetings"] = len(meetings)
    for action in Action.objects.filter(territory=territory).prefetch_related("partners"):
        if _overlaps(period, action.starts_on, action.ends_on):
            figures[action.lead_organisation_id]["actions_led"] += 1
            for partner in action.partners.all():
                figures[partner.pk]["actions_partner"] += 1
    for given in Contribution.objects.filter(action__territory=territory):
        if period.year is None or given.year == period.year:
            if given.kind == "staff_hours":
                figures[given.organisation_id]["staff_hours"] += given.hours
            elif given.kind == "money":
                figures[given.organisation_id]["money"] += given.amount
            elif given.amount is not None:
                figures[given.organisation_id]["in_kind_value"] += given.amount
    for event in PreventionEvent.objects.filter(territory=territory).prefetch_related("organisations"):
        if _in(period, event.held_on):
            for organisation in event.organisations.all():
                figures[organisation.pk]["events"] += 1
                figures[organisation.pk]["people_reached"] += event.people_reached or 0
    for training in Training.objects.filter(territory=territory).prefetch_related("trainer_organisations"):
        if _in(period, training.held_on):
            for organisation in training.trainer_organisations.all():
                figures[organisation.pk]["trainings_given"] += 1
                figures[organisation.pk]["training_hours_given"] += training.hours
    for row in TrainingAttendance.objects.filter(training__territory=territory).select_related("training"):
        if _in(period, row.training.held_on):
            figures[row.organisation_id]["trainings_attended"] += 1
            figures[row.organisation_id]["attendees"] += row.attendees
            figures[row.organisation_id]["training_person_hours"] += row.attendees * row.training.hours
    return figures


@pytest.mark.parametrize("year", years())
def test_every_partners_figures_match_a_count_by_hand(herbiers, year):
    period = Period(year)
    by_hand = counted_by_hand(herbiers, period)
    computed = organisations_figures(herbiers, period)
    assert len(computed) == Organisation.objects.filter(territories=herbiers).count()
    for partner in computed:
        expected = by_hand.get(partner.organisation.pk, {})
        for name, label in FIGURES:
            assert partner[name] == expected.get(name, 0), (partner.organisation.name, year, label)
    # Last year is not empty: the partners reported, followed, housed, met, acted and trained (with 12
    # situations, the demo may hold no referral).
    if year == timezone.localdate().year - 1:
        busy = {name for partner in computed for name, _ in FIGURES if partner[name]}
        assert busy >= {
            "situations_reported",
            "situations_followed",
            "stays",
            "nights",
            "meetings",
            "actions_led",
            "actions_partner",
            "events",
            "people_reached",
            "trainings_given",
            "attendees",
            "staff_hours",
            "money",
        }


@pytest.mark.parametrize("year", years())
def test_the_network_counts_each_thing_once(herbiers, year):
    period = Period(year)
    totals = network_totals(herbiers, period)
    situations = Situation.objects.filter(territory=herbiers)
    assert totals["situations_reported"] == sum(1 for s in situations if _in(period, _local(s.created_at)))
    events = [e for e in PreventionEvent.objects.filter(territory=herbiers) if _in(period, e.held_on)]
    assert totals["events"] == len(events)
    assert totals["people_reached"] == sum(e.people_reached or 0 for e in events)
    trainings = [t for t in Training.objects.filter(territory=herbiers) if _in(period, t.held_on)]
    assert totals["trainings_given"] == len(trainings)
    assert totals["attendees"] == sum(row.attendees for t in trainings for row in t.attendances.all())


@pytest.mark.parametrize("year", years())
def test_the_additive_figures_add_up_to_the_networks(herbiers, year):
    """recognition_disclosure.py protects each additive figure as a series whose total is the network's:
    on the demo, the partners' counts do add up to it (else the total would be hidden)."""
    period = Period(year)
    totals = network_totals(herbiers, period)
    computed = organisations_figures(herbiers, period)
    for name, additive in recognition_disclosure.SENSITIVE.items():
        if additive:
            assert totals[name] == sum(partner[name] for partner in computed), (name, year)


def test_a_referent_reads_the_network_page_of_the_demo(herbiers, client):
    referent = Membership.objects.filter(territory=herbiers, role_set__role="referent").first()
    sign_in(client, referent.user, referent)
    year = timezone.localdate().year - 1
    page = client.get(reverse("recognition:network"), {"annee": year})
    assert page.status_code == 200
    assert "Gendarmerie — brigade des Herbiers" in page.text
    # Nothing nominative: no pseudonym of a situation on the page.
    assert not any(s.pseudonym in page.text for s in Situation.objects.filter(territory=herbiers))
