"""Assessing a situation: scores stored with every answer, the danger flag and its alert (to the coordinator
and the referent only, once), overrides, refusals, double submissions."""

import datetime
import uuid

import pytest
from django.utils import timezone

from maillage.assessments.enums import Level, NotificationKind
from maillage.assessments.models import Assessment
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.notifications.models import Notification
from maillage.situations import services as situation_services
from maillage.situations.models import Exclusion
from tests.assessments.helpers import DASH, FRENCH, answers, assess
from tests.network.factories import MembershipFactory

pytestmark = pytest.mark.django_db

REASON = "Menaces répétées depuis la séparation, la victime minimise."


def alerted(situation) -> set[int]:
    return set(
        Notification.objects.filter(
            kind=NotificationKind.DANGER_ASSESSED,
            target_id__in=Assessment.objects.filter(situation=situation).values("public_id"),
        ).values_list("recipient", flat=True)
    )


def test_the_shipped_grids(grids):
    french, dash = grids[FRENCH], grids[DASH]
    assert french.questions.count() == 23 and french.questions.filter(red=True).count() == 5
    assert len(set(french.questions.values_list("block", flat=True))) == 3
    assert (french.high_at_yes, french.high_at_red, french.medium_at_yes) == (12, 2, None)
    assert dash.questions.count() == 24 and (dash.high_at_yes, dash.medium_at_yes) == (14, 10)
    assert french.provisional and dash.provisional


def test_every_answer_and_the_score_are_stored(net, situation, grids):
    grid = grids[FRENCH]
    given = answers(grid, yes=11, red=1)
    assessment = assess(net.actor("gendarme"), situation, grid, answers=given)
    assert assessment.answers == {str(n): a for n, a in given.items()}
    assert (assessment.yes_count, assessment.red_count) == (11, 1)
    assert assessment.computed_level == assessment.final_level == Level.LOW
    assert assessment.assessor == net["gendarme"] and assessment.assessed_on == timezone.localdate()
    situation.refresh_from_db()
    assert not situation.high_danger and situation.proposed_for_meeting is None
    assert alerted(situation) == set()


def test_a_danger_result_marks_proposes_and_alerts_the_coordinator_and_the_referent_only_once(
    net, situation, grids
):
    grid = grids[FRENCH]
    excluded = MembershipFactory(territory=net.territory, organisation=net.epci, roles=["coordinator"])
    Exclusion.objects.create(
        situation=situation, user=excluded.user, reason="Voisine", excluded_by=net["coordinator"]
    )
    first = assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=2, red=2))
    assert first.final_level == Level.HIGH
    situation.refresh_from_db()
    assert situation.high_danger and situation.proposed_for_meeting == timezone.localdate()
    # Not the gendarme who assessed, not a referent of another commune, not the excluded coordinator.
    assert alerted(situation) == {net["coordinator"].pk, net["referent"].pk}
    # Still in danger at the re-assessment: nobody is alerted again.
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=12))
    assert Notification.objects.filter(kind=NotificationKind.DANGER_ASSESSED).count() == 2


def test_without_an_assigned_referent_the_referents_of_the_commune_are_alerted(net, grids):
    from maillage.situations.services import referent_assign
    from tests.assessments.helpers import situation_of

    situation = situation_of(net)
    referent_assign(actor=net.actor("coordinator"), situation=situation, membership=None)
    situation.refresh_from_db()
    grid = grids[DASH]
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=14))
    assert alerted(situation) == {net["coordinator"].pk, net["referent"].pk}


def test_a_later_lower_result_clears_the_flag_and_a_new_danger_alerts_again(net, situation, grids):
    grid = grids[DASH]
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=14))
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=13))
    situation.refresh_from_db()
    assert not situation.high_danger
    assert situation.proposed_for_meeting is not None  # the meetings app takes it up, not a new score
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=20))
    assert Notification.objects.filter(kind=NotificationKind.DANGER_ASSESSED).count() == 4


def test_a_back_dated_assessment_does_not_change_the_current_flag(net, situation, grids):
    grid = grids[DASH]
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=3))
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    assess(net.actor("gendarme"), situation, grid, answers=answers(grid, yes=20), assessed_on=last_month)
    situation.refresh_from_db()
    assert not situation.high_danger and alerted(situation) == set()


class TestOverride:
    def test_raised_by_professional_judgement_with_its_reason(self, net, situation, grids):
        grid = grids[FRENCH]
        assessment = assess(
            net.actor("gendarme"), situation, grid, override_level=Level.HIGH, override_reason=REASON
        )
        assert (assessment.computed_level, assessment.override_level, assessment.final_level) == (
            Level.LOW,
            Level.HIGH,
            Level.HIGH,
        )
        assert assessment.override_reason == REASON
        situation.refresh_from_db()
        assert situation.high_danger

    def test_needs_a_reason(self, net, situation, grids):
        with pytest.raises(DomainError, match="Motivez"):
            assess(net.actor("gendarme"), situation, grids[FRENCH], override_level=Level.HIGH)
        assert not Assessment.objects.exists()

    def test_only_the_coordinator_may_lower_the_level(self, net, situation, grids):
        grid = grids[FRENCH]
        danger = answers(grid, yes=2, red=2)
        for name in ("gendarme", "referent"):
            with pytest.raises(PermissionDeniedError, match="coordination"):
                assess(
                    net.actor(name),
                    situation,
                    grid,
                    answers=danger,
                    override_level=Level.MEDIUM,
                    override_reason=REASON,
                )
        assert not Assessment.objects.exists()
        lowered = assess(
            net.actor("coordinator"),
            situation,
            grid,
            answers=danger,
            override_level=Level.MEDIUM,
            override_reason=REASON,
        )
        assert (lowered.computed_level, lowered.final_level) == (Level.HIGH, Level.MEDIUM)
        situation.refresh_from_db()
        assert not situation.high_danger

    def test_the_trail_says_there_was_an_override_but_not_its_reason(self, net, situation, grids):
        assess(
            net.actor("gendarme"), situation, grids[FRENCH], override_level=Level.HIGH, override_reason=REASON
        )
        entry = AuditEntry.objects.get(
            object_public_id=situation.public_id, action=AuditAction.ASSESSMENT_RECORDED
        )
        assert entry.changes["override"] is True and entry.changes["final_level"] == Level.HIGH
        assert REASON not in str(entry.changes)
        assert AuditEntry.objects.filter(
            object_public_id=situation.public_id, action=AuditAction.SITUATION_DANGER_SET
        ).exists()


class TestRefusals:
    def test_every_question_must_be_answered(self, net, situation, grids):
        grid = grids[FRENCH]
        partial = answers(grid)
        del partial[7], partial[23]
        with pytest.raises(DomainError, match="sans réponse : 7, 23"):
            assess(net.actor("gendarme"), situation, grid, answers=partial)

    @pytest.mark.parametrize(
        "name", ["cidff", "referent_elsewhere", "observer", "dpo", "housing_manager", "org_admin"]
    )
    def test_who_does_not_see_the_situation_cannot_assess_it(self, net, situation, grids, name):
        with pytest.raises(PermissionDeniedError):
            assess(net.actor(name), situation, grids[FRENCH])
        assert not Assessment.objects.exists()

    def test_reading_through_an_emergency_access_does_not_allow_assessing(self, net, situation, grids):
        situation_services.emergency_access_request(
            actor=net.actor("cidff"),
            pseudonym=situation.pseudonym,
            reason="La victime est à l'accueil, urgence",
        )
        with pytest.raises(PermissionDeniedError):
            assess(net.actor("cidff"), situation, grids[FRENCH])

    def test_a_closed_situation_is_not_assessed(self, net, situation, grids):
        situation_services.situation_close(
            actor=net.actor("coordinator"), situation=situation, reason="resolved"
        )
        with pytest.raises(PermissionDeniedError):
            assess(net.actor("coordinator"), situation, grids[FRENCH])

    def test_a_future_date_is_refused(self, net, situation, grids):
        with pytest.raises(DomainError, match="futur"):
            assess(
                net.actor("gendarme"),
                situation,
                grids[FRENCH],
                assessed_on=timezone.localdate() + datetime.timedelta(days=1),
            )

    def test_a_double_submission_records_one_assessment(self, net, situation, grids):
        submission = uuid.uuid4()
        assess(net.actor("gendarme"), situation, grids[FRENCH], submission=submission)
        with pytest.raises(ConflictError, match="déjà été enregistrée"):
            assess(net.actor("gendarme"), situation, grids[FRENCH], submission=submission)
        assert Assessment.objects.count() == 1
