"""The yearly indicators (stats/indicators, ADR 0040) on a small world whose every table is written by hand
below: 2026 mostly, 2025 for the comparison, the year's edges in Paris time (a situation reported at 23:30 on
31 December belongs to that year, one at 00:30 on 1 January to the next), one commune chosen, and another
territory whose activity never counts. The number of queries of each indicator does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.housing.enums import ExitSolution, StayStatus
from maillage.housing.models import Stay
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import AgendaItem, Meeting
from maillage.network.enums import OrganisationKind, ReferentKind
from maillage.network.models import CommuneReferent
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import LegalGround, PersonRole, Sex
from maillage.situations.models import Situation
from maillage.stats.indicators import BY_NAME, INDICATORS, Scope, compute, compute_all
from tests.housing.factories import HousingUnitFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import PersonFactory, SituationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

D = datetime.date


def paris(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


LAST_MINUTES_2025 = paris(2025, 12, 31, 23, 30)  # 22:30 UTC: still 2025
FIRST_MINUTES_2026 = paris(2026, 1, 1, 0, 30)  # 23:30 UTC on 31 December: already 2026
LAST_MINUTES_2026 = paris(2026, 12, 31, 23, 30)


class World:
    def __init__(self):
        self.territory = t = TerritoryFactory(name="Territoire des indicateurs")
        self.a = CommuneFactory(territory=t, name="Aubigny")
        self.b = CommuneFactory(territory=t, name="Belleville")
        self.c = CommuneFactory(territory=t, name="Chantonnay")
        self.gendarmerie = OrganisationFactory(
            name="Brigade de test", kind=OrganisationKind.LAW_ENFORCEMENT, territories=[t]
        )
        self.association = OrganisationFactory(
            name="Association de test", kind=OrganisationKind.ASSOCIATION, territories=[t]
        )
        self.housing = OrganisationFactory(
            name="Bailleur de test", kind=OrganisationKind.HOUSING, territories=[t]
        )
        self.coordinator = MembershipFactory(
            territory=t, organisation=self.gendarmerie, roles=["coordinator"]
        )
        self.manager = MembershipFactory(territory=t, organisation=self.housing, roles=["housing_manager"])
        self.build_situations()
        self.build_referrals_and_stays()
        self.build_measures_and_meetings()
        self.build_prevention()
        self.build_referents()
        self.build_elsewhere()

    def situation(self, commune, created, closed=None, sources=("law_enforcement",), territory=None):
        territory = territory or self.territory
        situation = SituationFactory(
            territory=territory,
            commune=commune,
            created_by=self.coordinator if territory == self.territory else None,
            sources=list(sources),
        )
        Situation.objects.filter(pk=situation.pk).update(created_at=created, closed_at=closed)
        return situation

    def build_situations(self):
        a, b = self.a, self.b
        # 2025: s1, s2, s3 new; s2 closed. 2026: s4, s5 new; s1, s3, s4, s5 active; s3 and s5 closed.
        self.s1 = self.situation(a, paris(2025, 3, 1), sources=["law_enforcement", "iscg"])
        self.s2 = self.situation(a, paris(2025, 4, 1), closed=paris(2025, 6, 1), sources=["victim"])
        self.s3 = self.situation(b, LAST_MINUTES_2025, closed=FIRST_MINUTES_2026, sources=["health"])
        self.s4 = self.situation(b, FIRST_MINUTES_2026, sources=["law_enforcement", "school"])
        self.s5 = self.situation(a, paris(2026, 5, 1), closed=LAST_MINUTES_2026, sources=["iscg"])
        self.situation(a, paris(2027, 1, 1, 0, 30))  # next year's
        victim, child = PersonRole.VICTIM, PersonRole.CHILD
        for situation, role, sex, age in [
            (self.s1, victim, Sex.FEMALE, 30),
            (self.s1, child, Sex.UNKNOWN, 5),
            (self.s1, child, Sex.MALE, 8),
            (self.s1, PersonRole.PERPETRATOR, Sex.MALE, 40),
            (self.s2, victim, Sex.FEMALE, 45),
            (self.s3, victim, Sex.FEMALE, 17),
            (self.s3, victim, Sex.MALE, None),
            (self.s4, victim, Sex.FEMALE, 70),
            (self.s4, child, Sex.FEMALE, 3),
            (self.s4, child, Sex.FEMALE, 4),
            (self.s4, child, Sex.MALE, 12),
            (self.s5, victim, Sex.OTHER, 24),
        ]:
            PersonFactory(situation=situation, role=role, sex=sex, age=age)

    def referral(self, situation, receiver, created, status):
        Referral.objects.create(
            situation=situation,
            sender=self.gendarmerie,
            sent_by=self.coordinator,
            receiver=receiver,
            reason="Besoin d'un accompagnement",
            legal_ground=LegalGround.CONSENT,
            status=status,
            created_at=created,
        )

    def build_referrals_and_stays(self):
        self.referral(self.s1, self.association, paris(2026, 2, 1), ReferralStatus.ACCEPTED)
        self.referral(self.s4, self.association, paris(2026, 3, 1), ReferralStatus.DECLINED)
        self.referral(self.s1, self.housing, paris(2026, 4, 1), ReferralStatus.DONE)
        self.referral(self.s3, self.housing, LAST_MINUTES_2025, ReferralStatus.PROPOSED)
        self.unit = HousingUnitFactory(territory=self.territory, organisation=self.housing)

        def stay(situation, starts, ends, status, adults, children, exit_solution=""):
            Stay.objects.create(
                unit=self.unit,
                situation=situation,
                starts_on=starts,
                ends_on=ends,
                status=status,
                adults=adults,
                children=children,
                exit_solution=exit_solution,
                allocated_by=self.manager,
                created_at=paris(2025, 1, 1),
            )

        # 12 nights in 2025, 4 in 2026 (3 people); 10 in 2026 (4 people); a cancelled one never counts.
        stay(self.s1, D(2025, 12, 20), D(2026, 1, 5), StayStatus.ENDED, 1, 2, ExitSolution.RELATIVES)
        stay(self.s4, D(2026, 2, 1), D(2026, 2, 11), StayStatus.IN_PROGRESS, 1, 3)
        stay(self.s4, D(2026, 3, 1), D(2026, 3, 5), StayStatus.CANCELLED, 1, 3)

    def measure(self, situation, kind, status, recorded, starts=None, ends=None):
        created = ProtectiveMeasure.objects.create(
            situation=situation,
            kind=kind,
            authority=Authority.JAF,
            status=status,
            starts_on=starts,
            ends_on=ends,
            recorded_by=self.coordinator,
        )
        ProtectiveMeasure.objects.filter(pk=created.pk).update(recorded_at=recorded)

    def build_measures_and_meetings(self):
        m = MeasureKind
        self.measure(self.s1, m.COMPLAINT, MeasureStatus.REQUESTED, paris(2026, 3, 1))
        self.measure(self.s1, m.TGD, MeasureStatus.IN_FORCE, paris(2024, 5, 1), D(2024, 5, 1))
        self.measure(
            self.s4,
            m.PROTECTION_ORDER,
            MeasureStatus.ENDED,
            paris(2025, 1, 10),
            D(2025, 1, 10),
            D(2025, 12, 31),
        )
        self.measure(self.s4, m.BAR, MeasureStatus.ENDED, paris(2025, 2, 1), D(2025, 2, 1), D(2026, 1, 1))
        self.measure(self.s1, m.EVICTION, MeasureStatus.REFUSED, LAST_MINUTES_2025)

        def meeting(starts, status, items):
            held = Meeting.objects.create(
                territory=self.territory,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                status=status,
                created_by=self.coordinator,
            )
            for situation, reviewed in items:
                AgendaItem.objects.create(
                    meeting=held,
                    situation=situation,
                    reviewed_at=starts if reviewed else None,
                    added_by=self.coordinator,
                )

        meeting(
            paris(2026, 3, 10), MeetingStatus.CLOSED, [(self.s1, True), (self.s4, True), (self.s5, False)]
        )
        meeting(paris(2026, 6, 10), MeetingStatus.CLOSED, [(self.s1, True)])
        meeting(paris(2026, 9, 10), MeetingStatus.CANCELLED, [(self.s3, False)])
        meeting(LAST_MINUTES_2025, MeetingStatus.CLOSED, [(self.s3, True)])

    def build_prevention(self):
        def event(day, kind, commune, reached, territory=None):
            PreventionEvent.objects.create(
                territory=territory or self.territory,
                title=f"Action du {day}",
                kind=kind,
                held_on=day,
                commune=commune,
                audience=Audience.GENERAL_PUBLIC,
                people_reached=reached,
                created_by=self.coordinator,
            )

        event(D(2026, 11, 25), EventKind.NOVEMBER_25, self.a, 120)
        event(D(2026, 5, 12), EventKind.SCHOOL_TALK, self.b, None)
        event(D(2026, 6, 1), EventKind.CAMPAIGN, None, 500)
        event(D(2025, 12, 31), EventKind.SCHOOL_TALK, self.a, 30)
        self.event = event

        def training(day, topic, trainers, attendance):
            created = Training.objects.create(
                territory=self.territory,
                title=f"Formation du {day}",
                topic=topic,
                held_on=day,
                hours=Decimal("3"),
                created_by=self.coordinator,
            )
            created.trainer_organisations.set(trainers)
            for organisation, attendees in attendance:
                TrainingAttendance.objects.create(
                    training=created, organisation=organisation, attendees=attendees
                )

        training(
            D(2026, 4, 2),
            TrainingTopic.DETECTION,
            [self.association],
            [(self.gendarmerie, 5), (self.housing, 2)],
        )
        training(
            D(2026, 6, 2),
            TrainingTopic.CHILDREN,
            [self.gendarmerie, self.association],
            [(self.gendarmerie, 3)],
        )
        training(D(2025, 6, 2), TrainingTopic.DETECTION, [self.association], [(self.housing, 4)])

    def build_referents(self):
        CommuneReferent.objects.create(commune=self.a, membership=self.coordinator, kind=ReferentKind.ELECTED)
        agent = MembershipFactory(territory=self.territory)
        CommuneReferent.objects.create(commune=self.a, membership=agent, kind=ReferentKind.AGENT)
        gone = MembershipFactory(territory=self.territory, is_active=False)
        CommuneReferent.objects.create(commune=self.b, membership=gone, kind=ReferentKind.AGENT)

    def build_elsewhere(self):
        """Another territory with the same partners: none of it counts here."""
        other = TerritoryFactory(name="Autre territoire")
        commune = CommuneFactory(territory=other, name="Ailleurs")
        for organisation in (self.gendarmerie, self.association, self.housing):
            organisation.territories.add(other)
        there = MembershipFactory(territory=other, organisation=self.gendarmerie, roles=["coordinator"])
        situation = SituationFactory(territory=other, commune=commune, created_by=there, sources=["school"])
        Situation.objects.filter(pk=situation.pk).update(created_at=paris(2026, 3, 1))
        PersonFactory(situation=situation, age=30)
        PersonFactory(situation=situation, role=PersonRole.CHILD, age=3)
        Referral.objects.create(
            situation=situation,
            sender=self.gendarmerie,
            sent_by=there,
            receiver=self.association,
            reason="Ailleurs",
            legal_ground=LegalGround.CONSENT,
            status=ReferralStatus.ACCEPTED,
            created_at=paris(2026, 3, 1),
        )
        unit = HousingUnitFactory(territory=other, organisation=self.housing)
        Stay.objects.create(
            unit=unit,
            situation=situation,
            starts_on=D(2026, 3, 1),
            ends_on=D(2026, 3, 9),
            status=StayStatus.ENDED,
            exit_solution=ExitSolution.SIAO,
            allocated_by=there,
            created_at=paris(2026, 3, 1),
        )
        ProtectiveMeasure.objects.create(
            situation=situation,
            kind=MeasureKind.TGD,
            authority=Authority.PARQUET,
            status=MeasureStatus.IN_FORCE,
            starts_on=D(2026, 3, 1),
            recorded_by=there,
        )
        Meeting.objects.create(
            territory=other,
            starts_at=paris(2026, 3, 3),
            ends_at=paris(2026, 3, 3, 12),
            status=MeetingStatus.CLOSED,
            created_by=there,
        )
        self.event(D(2026, 3, 3), EventKind.STAND, None, 999, territory=other)
        Training.objects.create(
            territory=other,
            title="Ailleurs",
            topic=TrainingTopic.LEGAL,
            held_on=D(2026, 3, 3),
            hours=Decimal("2"),
            created_by=there,
        )
        CommuneReferent.objects.create(commune=commune, membership=there, kind=ReferentKind.ELECTED)


@pytest.fixture
def world(db):
    return World()


def table(world, name, year=2026, communes=None):
    return compute(name, Scope.of(world.territory, year, communes))


def nonzero(table):
    """{row key: {column key: count}} without the zeros (what the hand counts below list)."""
    result = {}
    for row, cells in table.as_dict().items():
        kept = {column: n for column, n in cells.items() if n}
        if kept:
            result[row] = kept
    return result


def test_situations_new_active_closed_at_the_years_edges(world):
    assert table(world, "situations").as_dict() == {
        "new": {"situations": 2},  # s4 (00:30 on 1 January) and s5
        "active": {"situations": 4},  # s1, s3, s4, s5 (s2 closed in 2025)
        "closed": {"situations": 2},  # s3 (00:30 on 1 January) and s5 (23:30 on 31 December)
    }
    assert table(world, "situations", 2025).as_dict() == {
        "new": {"situations": 3},  # s1, s2, s3 (23:30 on 31 December)
        "active": {"situations": 3},
        "closed": {"situations": 1},  # s2
    }


def test_situations_by_commune_lists_every_commune(world):
    result = table(world, "situations_by_commune")
    assert [line.label for line in result.rows] == ["Aubigny", "Belleville", "Chantonnay"]
    assert result.cells == ((1, 2, 1), (1, 2, 1), (0, 0, 0))
    assert result.column_total_values == (2, 4, 2)  # the situations table's figures
    assert result.row_total_values is None
    assert result.grand_total is None


def test_victims_by_age_band_and_sex(world):
    result = table(world, "victims")
    assert nonzero(result) == {
        "under_18": {"female": 1},  # s3
        "18_24": {"other": 1},  # s5
        "25_34": {"female": 1},  # s1 (its perpetrator and children are no victims)
        "65_plus": {"female": 1},  # s4
        "unknown": {"male": 1},  # s3's second victim, age not given
    }
    assert result.grand_total == 5
    assert result.column_total_values == (3, 1, 1, 0)  # female, male, other, unknown
    assert nonzero(table(world, "victims", 2025)) == {
        "under_18": {"female": 1},
        "25_34": {"female": 1},
        "45_54": {"female": 1},  # s2, closed in 2025
        "unknown": {"male": 1},
    }


def test_children_co_victims_per_situation(world):
    result = table(world, "children")
    assert result.as_dict() == {
        "0": {"situations": 2, "children": 0},  # s3, s5
        "1": {"situations": 0, "children": 0},
        "2": {"situations": 1, "children": 2},  # s1
        "3": {"situations": 1, "children": 3},  # s4
    }
    assert result.column_total_values == (4, 5)


def test_sources_count_each_source_of_the_new_situations(world):
    assert nonzero(table(world, "sources")) == {
        "law_enforcement": {"situations": 1},  # s4
        "school": {"situations": 1},  # s4 (the other territory's does not count)
        "iscg": {"situations": 1},  # s5
    }
    assert nonzero(table(world, "sources", 2025)) == {
        "law_enforcement": {"situations": 1},
        "iscg": {"situations": 1},
        "victim": {"situations": 1},
        "health": {"situations": 1},
    }
    assert table(world, "sources").column_total_values is None  # a situation counts for each source


def test_referrals_by_destination_and_outcome(world):
    assert nonzero(table(world, "referrals_by_kind")) == {
        "association": {"accepted": 1, "declined": 1},
        "housing": {"done": 1},
    }
    by_organisation = table(world, "referrals_by_organisation")
    assert [line.label for line in by_organisation.rows] == ["Association de test", "Bailleur de test"]
    assert nonzero(by_organisation) == {
        str(world.association.public_id): {"accepted": 1, "declined": 1},
        str(world.housing.public_id): {"done": 1},
    }
    assert by_organisation.grand_total == 3
    assert nonzero(table(world, "referrals_by_kind", 2025)) == {"housing": {"proposed": 1}}


def test_stays_and_exit_solutions(world):
    result = table(world, "stays")
    assert result.as_dict() == {
        "stays": {"count": 2},
        "adults": {"count": 2},
        "children": {"count": 5},
        "nights": {"count": 14},  # 4 + 10
        "people_nights": {"count": 52},  # 4 × 3 + 10 × 4
        "available_nights": {"count": 365},  # one unit (the other territory's is not ours)
    }
    assert result.rate(result.rates[0]) == pytest.approx(14 / 365)
    assert nonzero(table(world, "stay_exits")) == {"relatives": {"stays": 1}}
    assert table(world, "stays", 2025).cell("nights") == 12
    assert nonzero(table(world, "stay_exits", 2025)) == {}


def test_measures_recorded_or_in_force(world):
    assert nonzero(table(world, "measures")) == {
        "complaint": {"requested": 1},  # recorded in 2026
        "tgd": {"in_force": 1},  # in force since 2024
        "bar": {"ended": 1},  # ended on 1 January 2026: still in force that day
    }
    assert nonzero(table(world, "measures", 2025)) == {
        "tgd": {"in_force": 1},
        "protection_order": {"ended": 1},  # ended on 31 December 2025
        "bar": {"ended": 1},
        "eviction": {"refused": 1},  # recorded at 23:30 on 31 December
    }


def test_meetings_held_and_situations_reviewed(world):
    assert table(world, "meetings").as_dict() == {
        "meetings": {"count": 2},  # the cancelled one was not held
        "items": {"count": 3},  # s1 twice, s4 (s5 was not reached)
        "situations": {"count": 2},
    }
    assert table(world, "meetings", 2025).as_dict() == {
        "meetings": {"count": 1},
        "items": {"count": 1},
        "situations": {"count": 1},
    }


def test_prevention_and_trainings(world):
    assert nonzero(table(world, "prevention")) == {
        "school_talk": {"events": 1},  # no count of people given
        "campaign": {"events": 1, "reached": 500},
        "november_25": {"events": 1, "reached": 120},
    }
    assert nonzero(table(world, "prevention", 2025)) == {"school_talk": {"events": 1, "reached": 30}}
    assert nonzero(table(world, "trainings")) == {
        "detection": {"sessions": 1, "people": 7},
        "children": {"sessions": 1, "people": 3},
    }
    assert table(world, "training_organisations").as_dict() == {
        "trainers": {"organisations": 2},
        "attending": {"organisations": 2},
    }
    assert table(world, "training_organisations", 2025).as_dict() == {
        "trainers": {"organisations": 1},
        "attending": {"organisations": 1},
    }


def test_referents_named_today(world):
    result = table(world, "referents")
    assert [line.label for line in result.rows] == ["Aubigny", "Belleville", "Chantonnay"]
    assert result.cells == ((1, 1), (0, 0), (0, 0))  # Belleville's agent left
    assert result.grand_total == 2
    assert table(world, "referents", 2020).cells == result.cells  # whatever the year


def test_one_commune_chosen(world):
    def of_b(name):
        return table(world, name, communes=[world.b])

    assert of_b("situations").cells == ((1,), (2,), (1,))  # s4 new; s3, s4 active; s3 closed
    assert [line.label for line in of_b("situations_by_commune").rows] == ["Belleville"]
    assert nonzero(of_b("victims")) == {
        "under_18": {"female": 1},
        "65_plus": {"female": 1},
        "unknown": {"male": 1},
    }
    assert of_b("children").column_total_values == (2, 3)
    assert nonzero(of_b("sources")) == {"law_enforcement": {"situations": 1}, "school": {"situations": 1}}
    assert nonzero(of_b("referrals_by_kind")) == {"association": {"declined": 1}}
    assert of_b("stays").as_dict() == {
        "stays": {"count": 1},
        "adults": {"count": 1},
        "children": {"count": 3},
        "nights": {"count": 10},
        "people_nights": {"count": 40},
        "available_nights": {"count": 365},
    }
    assert nonzero(of_b("stay_exits")) == {}  # the ended stay was s1's, in Aubigny
    assert nonzero(of_b("measures")) == {"bar": {"ended": 1}}
    assert nonzero(of_b("prevention")) == {"school_talk": {"events": 1}}  # not the territory-wide campaign
    assert nonzero(of_b("referents")) == {}
    meetings = of_b("meetings")
    assert meetings.whole_territory and meetings.cell("meetings") == 2


def test_the_registry_titles_every_table_in_display_order(world):
    scope = Scope.of(world.territory, 2026)
    tables = compute_all(scope)
    assert [t.name for t in tables] == [i.name for i in INDICATORS] == list(BY_NAME)
    assert all(t.title == i.title and t.title for t, i in zip(tables, INDICATORS, strict=True))
    assert scope.previous() == Scope.of(world.territory, 2025)
    assert [t.cells for t in compute_all(scope.previous())] == [
        t.cells for t in compute_all(Scope.of(world.territory, 2025))
    ]
    with pytest.raises(ValueError):
        Scope.of(world.territory, None)


# Queries of each indicator: a fixed number, whatever the data.
QUERIES = {
    "situations_by_commune": 2,
    "stays": 2,
    "trainings": 2,
    "referents": 2,
}


def add_more_of_everything(world):
    """Twice as many of every kind of thing, in more communes."""
    for n in range(3):
        commune = CommuneFactory(territory=world.territory, name=f"Commune ajoutée {n}")
        situation = world.situation(commune, paris(2026, 7, 1 + n), sources=["victim", "relative"])
        PersonFactory(situation=situation, age=20 + 10 * n)
        PersonFactory(situation=situation, role=PersonRole.CHILD, age=n)
        receiver = OrganisationFactory(territories=[world.territory], kind=OrganisationKind.HEALTH)
        world.referral(situation, receiver, paris(2026, 7, 2), ReferralStatus.PROPOSED)
        world.measure(situation, MeasureKind.COMPLAINT, MeasureStatus.REQUESTED, paris(2026, 7, 3))
        unit = HousingUnitFactory(territory=world.territory, organisation=receiver)
        Stay.objects.create(
            unit=unit,
            situation=situation,
            starts_on=D(2026, 7, 1),
            ends_on=D(2026, 7, 9),
            status=StayStatus.ENDED,
            exit_solution=ExitSolution.SIAO,
            allocated_by=world.manager,
            created_at=paris(2026, 7, 1),
        )
        world.event(D(2026, 8, 1 + n), EventKind.STAND, commune, 10)
        CommuneReferent.objects.create(
            commune=commune, membership=MembershipFactory(territory=world.territory), kind=ReferentKind.AGENT
        )


@pytest.mark.parametrize("communes", [False, True], ids=["territory", "one-commune"])
def test_queries_do_not_grow_with_the_data(world, django_assert_max_num_queries, communes):
    def counts():
        scope = Scope.of(world.territory, 2026, [world.a, world.b] if communes else None)
        result = {}
        for indicator in INDICATORS:
            with CaptureQueriesContext(connection) as queries:
                with django_assert_max_num_queries(QUERIES.get(indicator.name, 1)):
                    indicator.compute(scope)
            result[indicator.name] = len(queries)
        return result

    before = counts()
    add_more_of_everything(world)
    assert counts() == before
    assert table(world, "situations").cell("new") == 5  # the data did grow


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's just-in-time compilation")
def test_postgresql_connections_compile_no_query_just_in_time(db):
    """ADR 0041: the application's connections run without JIT (it took 1.2 s of a statistics query of
    2.6 s), whatever the server's default."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
