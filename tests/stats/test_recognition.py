"""Each partner's figures on a small world whose every number is counted by hand below (the comments), for
2025, 2026 and all years; another territory's activity never counts; the pages show them to every member
of the territory and to nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, Axis, Contribution
from maillage.housing.enums import StayStatus
from maillage.housing.models import Stay
from maillage.meetings.enums import Attendance, MeetingStatus
from maillage.meetings.models import Meeting, MeetingParticipant
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import LegalGround, ParticipationReason
from maillage.situations.models import Participation, Situation
from maillage.stats.recognition import Period, network_totals, organisations_figures
from tests.helpers import sign_in
from tests.housing.factories import HousingUnitFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import SituationFactory
from tests.spreadsheets.worlds import assert_neutralised
from tests.territories.factories import CommuneFactory, TerritoryFactory


def moment(year, month, day):
    return datetime.datetime(year, month, day, 10, 0, tzinfo=timezone.get_current_timezone())


class World:
    def __init__(self):
        self.territory = TerritoryFactory(name="Territoire reconnu")
        self.commune = CommuneFactory(territory=self.territory)
        t = self.territory
        self.gendarmerie = OrganisationFactory(name="Brigade de test", territories=[t])
        self.association = OrganisationFactory(name="Association de test", territories=[t])
        self.housing = OrganisationFactory(name="Bailleur de test", territories=[t])
        self.silent = OrganisationFactory(name="Partenaire silencieux", territories=[t])
        self.a = MembershipFactory(territory=t, organisation=self.gendarmerie, roles=["coordinator"])
        self.b = MembershipFactory(territory=t, organisation=self.association)
        self.b2 = MembershipFactory(territory=t, organisation=self.association)
        self.c = MembershipFactory(territory=t, organisation=self.housing, roles=["housing_manager"])
        self.build_situations()
        self.build_housing_and_meetings()
        self.build_plan()
        self.build_prevention()
        self.build_elsewhere()

    def situation(self, membership, created, closed=None):
        situation = SituationFactory(territory=self.territory, commune=self.commune, created_by=membership)
        Situation.objects.filter(pk=situation.pk).update(created_at=created, closed_at=closed)
        return situation

    def participation(self, situation, organisation, added, by):
        participation = Participation.objects.create(
            situation=situation,
            organisation=organisation,
            reason=ParticipationReason.ADDED,
            legal_ground=LegalGround.CONSENT,
            added_by=by,
        )
        Participation.objects.filter(pk=participation.pk).update(added_at=added)

    def referral(self, situation, sender, receiver, created, status):
        Referral.objects.create(
            situation=situation,
            sender=sender,
            sent_by=self.a,
            receiver=receiver,
            reason="Besoin d'un accompagnement",
            legal_ground=LegalGround.CONSENT,
            status=status,
            created_at=created,
        )

    def build_situations(self):
        # Reported: gendarmerie 2 in 2025 (s1, s2) and 1 in 2026 (s3); association 1 in 2026 (s4).
        s1 = self.situation(self.a, moment(2025, 3, 1))
        s2 = self.situation(self.a, moment(2025, 4, 1), closed=moment(2025, 6, 1))
        s3 = self.situation(self.a, moment(2026, 2, 1))
        self.situation(self.b, moment(2026, 5, 1))
        # Followed: s1 by the gendarmerie (2025) and the association (2026); s2 (closed in 2025) by the
        # gendarmerie; s3 by the association, added in 2027 (not yet in 2026).
        self.participation(s1, self.gendarmerie, moment(2025, 3, 1), self.a)
        self.participation(s1, self.association, moment(2026, 2, 1), self.a)
        self.participation(s2, self.gendarmerie, moment(2025, 4, 1), self.a)
        self.participation(s3, self.association, moment(2027, 1, 2), self.a)
        # Referrals: 2025 gendarmerie → association accepted; 2026 gendarmerie → housing declined and
        # association → housing done (accepted, then done).
        self.referral(s1, self.gendarmerie, self.association, moment(2025, 5, 1), ReferralStatus.ACCEPTED)
        self.referral(s1, self.gendarmerie, self.housing, moment(2026, 1, 10), ReferralStatus.DECLINED)
        self.referral(s3, self.association, self.housing, moment(2026, 3, 1), ReferralStatus.DONE)
        self.s1, self.s3 = s1, s3

    def build_housing_and_meetings(self):
        unit = HousingUnitFactory(territory=self.territory, organisation=self.housing)

        def stay(starts, ends, status):
            Stay.objects.create(
                unit=unit,
                situation=self.s1,
                starts_on=starts,
                ends_on=ends,
                status=status,
                allocated_by=self.c,
                created_at=moment(2025, 1, 1),
            )

        # 2025-12-20 → 2026-01-05: 12 nights in 2025, 4 in 2026; 2026-02-01 → 02-11: 10 nights in 2026.
        stay(datetime.date(2025, 12, 20), datetime.date(2026, 1, 5), StayStatus.ENDED)
        stay(datetime.date(2026, 2, 1), datetime.date(2026, 2, 11), StayStatus.IN_PROGRESS)
        # Neither counts: cancelled, or not yet begun.
        stay(datetime.date(2026, 3, 1), datetime.date(2026, 3, 5), StayStatus.CANCELLED)
        stay(datetime.date(2026, 4, 1), datetime.date(2026, 4, 5), StayStatus.PLANNED)

        def meeting(starts, present, absent=()):
            held = Meeting.objects.create(
                territory=self.territory,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                status=MeetingStatus.CLOSED,
                created_by=self.a,
            )
            for membership in present:
                MeetingParticipant.objects.create(
                    meeting=held, membership=membership, attendance=Attendance.PRESENT
                )
            for membership in absent:
                MeetingParticipant.objects.create(
                    meeting=held, membership=membership, attendance=Attendance.ABSENT
                )

        # 2025: the gendarmerie; 2026: the gendarmerie and the association (two members: one meeting).
        meeting(moment(2025, 11, 4), [self.a])
        meeting(moment(2026, 3, 10), [self.a, self.b, self.b2], absent=[self.c])

    def build_plan(self):
        axis = Axis.objects.create(territory=self.territory, number=1, title="Repérer")

        def action(title, lead, partners, starts=None, ends=None):
            created = Action.objects.create(
                territory=self.territory,
                axis=axis,
                title=title,
                lead_organisation=lead,
                starts_on=starts,
                ends_on=ends,
                created_by=self.a,
            )
            created.partners.set(partners)
            return created

        # 2025 and 2026: X (gendarmerie; partners association and housing), Y (association, no dates);
        # Z ended in 2024: counts for all years only.
        x = action(
            "X",
            self.gendarmerie,
            [self.association, self.housing],
            datetime.date(2025, 1, 1),
            datetime.date(2026, 12, 31),
        )
        action("Y", self.association, [])
        action("Z", self.gendarmerie, [self.housing], datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))

        def give(organisation, year, kind, amount=None, hours=None):
            Contribution.objects.create(
                action=x,
                organisation=organisation,
                year=year,
                kind=kind,
                amount=amount,
                hours=hours,
                recorded_by=self.a,
            )

        give(self.gendarmerie, 2026, ContributionKind.MONEY, amount=Decimal("1000"))
        give(self.gendarmerie, 2025, ContributionKind.MONEY, amount=Decimal("500"))
        give(self.association, 2026, ContributionKind.STAFF_HOURS, hours=Decimal("12.5"))
        give(self.housing, 2026, ContributionKind.PREMISES, amount=Decimal("300"))
        give(self.housing, 2026, ContributionKind.IN_KIND)  # no value given

    def build_prevention(self):
        def event(day, organisations, reached):
            created = PreventionEvent.objects.create(
                territory=self.territory,
                title=f"Action du {day}",
                kind=EventKind.SCHOOL_TALK,
                held_on=day,
                commune=self.commune,
                audience=Audience.PUPILS,
                people_reached=reached,
                created_by=self.a,
            )
            created.organisations.set(organisations)

        event(datetime.date(2026, 11, 25), [self.gendarmerie, self.association], 120)
        event(datetime.date(2026, 5, 12), [self.association], None)
        event(datetime.date(2025, 5, 12), [self.gendarmerie], 30)

        def training(day, hours, trainers, attendance):
            created = Training.objects.create(
                territory=self.territory,
                title=f"Formation du {day}",
                topic=TrainingTopic.DETECTION,
                held_on=day,
                hours=Decimal(hours),
                created_by=self.a,
            )
            created.trainer_organisations.set(trainers)
            for organisation, attendees in attendance:
                TrainingAttendance.objects.create(
                    training=created, organisation=organisation, attendees=attendees
                )

        # 2026: T1 by the association, 6 h: gendarmerie 5, housing 2; T2 by gendarmerie and association,
        # 3.5 h: gendarmerie 3. 2025: T3 by the association, 2 h: housing 4.
        training(
            datetime.date(2026, 4, 2), "6", [self.association], [(self.gendarmerie, 5), (self.housing, 2)]
        )
        training(
            datetime.date(2026, 6, 2), "3.5", [self.gendarmerie, self.association], [(self.gendarmerie, 3)]
        )
        training(datetime.date(2025, 6, 2), "2", [self.association], [(self.housing, 4)])

    def build_elsewhere(self):
        """Another territory where the gendarmerie also works: none of this counts here."""
        other = TerritoryFactory(name="Autre territoire")
        self.gendarmerie.territories.add(other)
        here_and_there = MembershipFactory(
            territory=other, organisation=self.gendarmerie, roles=["coordinator"]
        )
        SituationFactory(territory=other, commune=CommuneFactory(territory=other), created_by=here_and_there)
        PreventionEvent.objects.create(
            territory=other,
            title="Ailleurs",
            kind=EventKind.STAND,
            held_on=datetime.date(2026, 3, 3),
            audience=Audience.GENERAL_PUBLIC,
            people_reached=999,
            created_by=here_and_there,
        ).organisations.set([self.gendarmerie])
        self.other = other
        self.outsider = MembershipFactory(territory=other, roles=["coordinator"])


@pytest.fixture
def world(db):
    return World()


def figures_of(world, year):
    return {f.organisation.name: f.values for f in organisations_figures(world.territory, Period(year))}


def nonzero(values):
    return {name: value for name, value in values.items() if value}


def test_partners_figures_for_2026(world):
    figures = figures_of(world, 2026)
    assert nonzero(figures["Brigade de test"]) == {
        "situations_reported": 1,
        "situations_followed": 1,  # s1 (s2 was closed in 2025)
        "referrals_sent": 1,
        "meetings": 1,
        "actions_led": 1,  # X (Z ended in 2024)
        "events": 1,
        "people_reached": 120,
        "trainings_given": 1,
        "training_hours_given": Decimal("3.5"),
        "trainings_attended": 2,
        "attendees": 8,
        "training_person_hours": Decimal("40.5"),  # 5 × 6 + 3 × 3.5
        "money": Decimal("1000"),
    }
    assert nonzero(figures["Association de test"]) == {
        "situations_reported": 1,
        "situations_followed": 1,  # s1 (s3 joined in 2027)
        "referrals_sent": 1,
        "meetings": 1,  # two members, one meeting
        "actions_led": 1,
        "actions_partner": 1,
        "events": 2,
        "people_reached": 120,
        "trainings_given": 2,
        "training_hours_given": Decimal("9.5"),
        "staff_hours": Decimal("12.5"),
    }
    assert nonzero(figures["Bailleur de test"]) == {
        "referrals_received": 2,
        "referrals_accepted": 1,  # the done one; the declined one is not
        "stays": 2,
        "nights": 14,  # 4 + 10
        "actions_partner": 1,
        "trainings_attended": 1,
        "attendees": 2,
        "training_person_hours": Decimal("12"),
        "in_kind_value": Decimal("300"),
    }
    assert nonzero(figures["Partenaire silencieux"]) == {}


def test_partners_figures_for_2025_and_all_years(world):
    figures = figures_of(world, 2025)
    assert nonzero(figures["Brigade de test"]) == {
        "situations_reported": 2,
        "situations_followed": 2,
        "referrals_sent": 1,
        "meetings": 1,
        "actions_led": 1,
        "events": 1,
        "people_reached": 30,
        "money": Decimal("500"),
    }
    assert figures["Bailleur de test"]["nights"] == 12
    assert figures["Bailleur de test"]["stays"] == 1
    assert figures["Association de test"]["referrals_accepted"] == 1
    everything = figures_of(world, None)
    assert everything["Brigade de test"]["situations_reported"] == 3
    assert everything["Brigade de test"]["actions_led"] == 2  # X and Z
    assert everything["Bailleur de test"]["nights"] == 26  # 16 + 10
    assert everything["Bailleur de test"]["actions_partner"] == 2
    assert everything["Brigade de test"]["money"] == Decimal("1500")
    # The other territory's situation and event (999 people) are not the network's here.
    assert everything["Brigade de test"]["people_reached"] == 150


def test_network_totals_count_each_thing_once(world):
    totals = network_totals(world.territory, Period(2026))
    assert nonzero(totals) == {
        "situations_reported": 2,
        "situations_followed": 1,
        "referrals_sent": 2,
        "referrals_received": 2,
        "referrals_accepted": 1,
        "stays": 2,
        "nights": 14,
        "meetings": 1,
        "actions_led": 2,
        "actions_partner": 1,
        "events": 2,
        "people_reached": 120,  # the shared event once
        "trainings_given": 2,
        "training_hours_given": Decimal("9.5"),
        "trainings_attended": 2,
        "attendees": 10,
        "training_person_hours": Decimal("52.5"),
        "staff_hours": Decimal("12.5"),
        "money": Decimal("1000"),
        "in_kind_value": Decimal("300"),
    }


@pytest.mark.parametrize("role", MEMBERSHIP_ROLES)
def test_every_member_of_the_territory_reads_both_pages(client, world, role):
    membership = MembershipFactory(territory=world.territory, organisation=world.silent, roles=[role])
    sign_in(client, membership.user, membership)
    page = client.get(reverse("recognition:network"), {"annee": 2026})
    assert page.status_code == 200
    assert "Brigade de test" in page.text
    page = client.get(reverse("recognition:organisation", args=[world.housing.public_id]), {"annee": 2026})
    assert page.status_code == 200
    if role == Role.COORDINATOR:
        assert 'data-figure="nights">14<' in page.text  # exact, « diffusion restreinte »
    elif timezone.localdate().year == 2026:
        # The running year: the figures about situations, referrals and stays are not published to the
        # other members (recognition_disclosure.py; tests/stats/test_recognition_disclosure.py).
        assert 'data-figure="nights"' not in page.text
        assert 'data-figure="meetings">' in page.text


def test_another_territory_sees_neither_its_figures_nor_its_partners(client, world):
    sign_in(client, world.outsider.user, world.outsider)
    page = client.get(reverse("recognition:network"), {"annee": 2026})
    assert page.status_code == 200
    assert "Association de test" not in page.text
    # An organisation of another territory is missing, like one that does not exist.
    assert (
        client.get(reverse("recognition:organisation", args=[world.association.public_id])).status_code == 404
    )


def test_the_platform_admin_and_strangers_are_refused(platform_client, world):
    assert platform_client.get(reverse("recognition:network")).status_code == 403
    # Without an account: the sign-in page.
    assert Client().get(reverse("recognition:network")).status_code == 302


def test_the_year_defaults_to_this_one_and_all_years_is_a_choice(client, world):
    sign_in(client, world.a.user, world.a)
    page = client.get(reverse("recognition:network"))
    assert f"en {timezone.localdate().year}" in page.text
    page = client.get(reverse("recognition:network"), {"annee": ""})
    assert "toutes années confondues" in page.text
    # A year out of the list falls back to this year instead of failing.
    assert client.get(reverse("recognition:network"), {"annee": "1890"}).status_code == 200


def test_the_network_page_reads_in_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    sign_in(client, world.a.user, world.a)
    client.get(reverse("recognition:network"), {"annee": 2026})
    with django_assert_max_num_queries(40) as first:
        client.get(reverse("recognition:network"), {"annee": 2026})
    for index in range(5):
        OrganisationFactory(name=f"Partenaire {index}", territories=[world.territory])
        SituationFactory(territory=world.territory, commune=world.commune, created_by=world.b)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("recognition:network"), {"annee": 2026})


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_download_holds_the_page_and_runs_no_formula(client, world, file_format):
    world.silent.name = '=HYPERLINK("http://x";"Cliquez")'
    world.silent.save()
    member = MembershipFactory(territory=world.territory, organisation=world.housing, roles=["observer"])
    sign_in(client, member.user, member)
    response = client.get(reverse("recognition:export"), {"annee": 2026, "format": file_format})
    assert response.status_code == 200
    assert "reconnaissance-2026" in response["Content-Disposition"]
    rows = [[str(value) for value in row] for row in assert_neutralised(response.content, file_format)]
    header, *partners, network = rows
    by_name = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in partners}
    # The other territory's partners are not listed; the planted name is text, every figure zero.
    assert set(by_name) == {
        "Brigade de test",
        "Association de test",
        "Bailleur de test",
        "'" + world.silent.name,
    }
    assert set(by_name["'" + world.silent.name].values()) == {"0"}
    assert header[0] == "Partenaire" and network[0].startswith("Réseau")
    network = dict(zip(header[1:], network[1:], strict=True))
    assert by_name["Bailleur de test"]["Formations suivies"] == "1"
    if timezone.localdate().year == 2026:
        # The file is protected whoever downloads it: the running year's figures about situations,
        # referrals and stays are not published (recognition_disclosure.py).
        assert len(header) == 21 - 7 and "Nuitées" not in header
    else:
        assert len(header) == 21
        assert by_name["Bailleur de test"]["Nuitées"] == "14"
        assert network["Situations signalées"] == "< 11"  # 2, each once


def test_a_wrong_download_request_says_what_to_fix(client, world):
    sign_in(client, world.a.user, world.a)
    page = client.get(reverse("recognition:export"), {"annee": "deux mille", "format": "pdf"})
    assert page.status_code == 400
    assert "Erreur" in page.text


def test_an_event_of_the_whole_territory_reads_as_such(client, world):
    PreventionEvent.objects.create(
        territory=world.territory,
        title="Article dans la presse locale",
        kind=EventKind.PRESS,
        held_on=datetime.date(2026, 11, 20),
        audience=Audience.GENERAL_PUBLIC,
        people_reached=3000,
        created_by=world.a,
    ).organisations.set([world.gendarmerie])
    sign_in(client, world.a.user, world.a)
    page = client.get(
        reverse("recognition:organisation", args=[world.gendarmerie.public_id]), {"annee": 2026}
    )
    assert page.status_code == 200
    assert "Article dans la presse locale</th><td>Tout le territoire</td>" in page.text
