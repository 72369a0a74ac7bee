"""The annual report (PDF): its text holds the year's key figures, the action plan, the partners'
contributions, prevention and trainings — and no identity of any situation (the canary's name and
pseudonym); every count of people is protected whoever downloads it; ended years only; coordinator and
observer only; each download audited."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, Axis, Contribution, Indicator
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.network.actor import Actor
from maillage.network.enums import MEMBERSHIP_ROLES, Role
from maillage.network.models import Organisation
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.situations.enums import PersonRole, Sex
from maillage.situations.models import Situation
from maillage.stats import report
from maillage.stats.selectors import threshold_for
from tests.documents import readable_text
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.situations.factories import PersonFactory, SituationFactory
from tests.stats.worlds import DashboardWorld, last_year
from tests.territories.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

CANARY_FIRST, CANARY_LAST = "Ombeline", "Quérazinsky"


class ReportWorld(DashboardWorld):
    """The dashboard's world (3 situations in the small commune, 12 in the large one, last year) with a
    canary situation in the small commune, an action plan, a prevention event and a training."""

    def __init__(self):
        super().__init__()
        year = last_year()
        moment = datetime.datetime(year, 9, 1, 10, tzinfo=timezone.get_current_timezone())
        self.canary = SituationFactory(
            territory=self.territory, commune=self.small, created_by=self.coordinator
        )
        Situation.objects.filter(pk=self.canary.pk).update(created_at=moment)
        self.canary.refresh_from_db()
        PersonFactory(
            situation=self.canary,
            role=PersonRole.VICTIM,
            sex=Sex.FEMALE,
            age=41,
            first_name=CANARY_FIRST,
            last_name=CANARY_LAST,
        )
        organisation = self.coordinator.organisation
        self.partner = Organisation.objects.create(name="Association Relais Bocage")
        self.partner.territories.add(self.territory)
        axis = Axis.objects.create(territory=self.territory, number=1, title="Repérer et orienter")
        action = Action.objects.create(
            territory=self.territory,
            axis=axis,
            title="Former les secrétaires de mairie au repérage",
            lead_organisation=organisation,
            starts_on=datetime.date(year, 1, 1),
            created_by=self.coordinator,
        )
        Indicator.objects.create(
            action=action, label="Secrétaires formées", unit="personnes", target=40, actual=32
        )
        Contribution.objects.create(
            action=action,
            organisation=self.partner,
            year=year,
            kind=ContributionKind.MONEY,
            amount=Decimal("2500"),
            recorded_by=self.coordinator,
        )
        event = PreventionEvent.objects.create(
            territory=self.territory,
            title="Violentomètre au collège",
            kind=EventKind.SCHOOL_TALK,
            held_on=datetime.date(year, 3, 8),
            commune=self.large,
            audience=Audience.PUPILS,
            people_reached=240,
            created_by=self.coordinator,
        )
        event.organisations.set([self.partner])
        # No commune: the whole territory (a campaign).
        PreventionEvent.objects.create(
            territory=self.territory,
            title="Campagne d'affichage du 25 novembre",
            kind=EventKind.CAMPAIGN,
            held_on=datetime.date(year, 11, 25),
            audience=Audience.GENERAL_PUBLIC,
            created_by=self.coordinator,
        )
        training = Training.objects.create(
            territory=self.territory,
            title="Repérer les violences au guichet",
            topic=TrainingTopic.DETECTION,
            held_on=datetime.date(year, 5, 4),
            hours=Decimal("3"),
            trainers="Intervenante nommée",
            created_by=self.coordinator,
        )
        training.trainer_organisations.set([self.partner])
        TrainingAttendance.objects.create(training=training, organisation=organisation, attendees=14)


@pytest.fixture
def world():
    return ReportWorld()


def text_of(response) -> str:
    return " ".join(readable_text(response).split())


@pytest.mark.parametrize("who", ["coordinator", "observer"])
def test_the_report_holds_the_key_figures_and_no_identity(client, world, who):
    member = getattr(world, who)
    sign_in(client, member.user, member)
    response = client.get(reverse("statistics:report"), {"annee": last_year()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="rapport-annuel-{last_year()}.pdf"'
    text = text_of(response)
    assert f"Rapport annuel {last_year()}" in text
    # 16 new situations (3 + 1 in the small commune, 12 in the large one), all of them active.
    assert re.search(r"Situations nouvelles 16\b", text)
    assert re.search(r"Situations suivies dans l'année 16\b", text)
    # The small commune's 4 are below the threshold, whoever downloads; the large one's 12 is hidden with
    # them, or the total of 16 would give them away.
    assert re.search(r"Petite-Commune < 11", text)
    assert re.search(r"Grande-Ville secret", text)
    # The action plan, the partners' contributions, prevention and trainings.
    assert "Former les secrétaires de mairie au repérage" in text
    assert "Secrétaires formées : 32 / 40 personnes" in text
    assert "Association Relais Bocage" in text and "2 500" in text
    assert "Violentomètre au collège" in text and "240" in text
    assert "Campagne d'affichage du 25 novembre Campagne d'information Tout le territoire" in text
    assert "Repérer les violences au guichet" in text
    # No identity: the canary's name, its pseudonym, the trainers' free text.
    for secret in (CANARY_FIRST, CANARY_LAST, world.canary.pseudonym, "Intervenante nommée"):
        assert secret not in text
    assert AuditEntry.objects.filter(
        action=AuditAction.STATISTICS_REPORT_EXPORTED, actor_membership_id=member.pk
    ).exists()


def test_the_reports_counts_of_people_are_all_protected(world):
    actor = Actor.from_membership(world.coordinator.user, world.coordinator)
    threshold = threshold_for(world.territory)
    context = report.annual_report(actor, last_year(), threshold=threshold)
    values = []
    for section in context["sections"]:
        for _label, cells, total in section.table.rows:
            values.extend([*cells, total])
        if section.table.total_row:
            values.extend([*section.table.total_row[0], section.table.total_row[1]])
        if section.chart:
            values.extend(value for series in section.chart.plotted for value in series)
    values.extend(value for _label, value in context["key_figures"])
    assert not [v for v in values if isinstance(v, int) and 1 <= v < threshold]
    assert "< 11" in values
    assert not any(section.table.restricted for section in context["sections"])


def test_the_running_year_has_no_report(client, world):
    sign_in(client, world.coordinator.user, world.coordinator)
    response = client.get(reverse("statistics:report"), {"annee": timezone.localdate().year})
    assert response.status_code == 400
    assert "année terminée" in response.text
    assert client.get(reverse("statistics:report"), {"annee": "1900"}).status_code == 400
    assert client.get(reverse("statistics:report"), {"annee": "deux-mille"}).status_code == 400


def test_without_a_year_the_report_is_the_last_ended_year(client, world):
    sign_in(client, world.observer.user, world.observer)
    response = client.get(reverse("statistics:report"))
    assert response.status_code == 200
    assert f"rapport-annuel-{last_year()}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("role", [r for r in MEMBERSHIP_ROLES if r not in (Role.COORDINATOR, Role.OBSERVER)])
def test_other_roles_get_no_report(client, world, role):
    member = MembershipFactory(territory=world.territory, roles=[role])
    sign_in(client, member.user, member)
    assert client.get(reverse("statistics:report"), {"annee": last_year()}).status_code == 403


def test_another_territorys_report_counts_nothing_of_this_one(client, world):
    elsewhere = MembershipFactory(territory=TerritoryFactory(), roles=[Role.COORDINATOR])
    sign_in(client, elsewhere.user, elsewhere)
    # That territory has no activity: no ended year to report on.
    assert client.get(reverse("statistics:report"), {"annee": last_year()}).status_code == 400


def test_the_dashboard_links_to_the_report(client, world):
    sign_in(client, world.observer.user, world.observer)
    page = client.get(reverse("statistics:dashboard"), {"annee": last_year()})
    assert f"{reverse('statistics:report')}?annee={last_year()}" in page.text
