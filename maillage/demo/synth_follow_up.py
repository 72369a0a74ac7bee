"""The follow-up of synthetic situations (maillage.demo.synth): referrals to partners, with the receiving
participation when accepted; protective measures; emergency stays in the territory's units, never two on a
night of a unit. Each with its audit entries when the history is written."""

import bisect
import datetime

from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.housing.enums import ExitSolution, StayStatus
from maillage.housing.models import Stay
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.enums import ReferralNeed, ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import ConsentAnswer as OK
from maillage.situations.enums import LegalGround, ParticipationReason
from maillage.situations.models import Participation

R = ReferralStatus
REFERRAL_WEIGHTS = {
    True: {R.DONE: 65, R.DECLINED: 20, R.CANCELLED: 15},  # closed situation
    False: {R.PROPOSED: 15, R.ACCEPTED: 30, R.DONE: 35, R.DECLINED: 12, R.CANCELLED: 8},
}
REFERRAL_REASONS = (
    "Besoin d'informations sur ses droits et la procédure.",
    "Accompagnement dans les démarches après le dépôt de plainte.",
    "Mise à l'abri à prévoir avec les enfants.",
    "Soutien psychologique proposé, la victime est d'accord.",
)
K, A = MeasureKind, Authority
# kind: (weight, authority, months in force or None)
MEASURES = {
    K.COMPLAINT: (50, A.GENDARMERIE, None),
    K.TGD: (12, A.PARQUET, 6),
    K.BAR: (5, A.CRIMINAL_COURT, 6),
    K.PROTECTION_ORDER: (18, A.JAF, 12),
    K.PROVISIONAL_ORDER: (5, A.JAF, 1),
    K.EVICTION: (10, A.PARQUET, 6),
}
MEASURE_WEIGHTS = {k: spec[0] for k, spec in MEASURES.items()}


def is_free(nights: list[tuple], starts_on: datetime.date, ends_on: datetime.date) -> bool:
    """Whether [starts_on, ends_on) shares no night with the sorted, disjoint `nights`: only the last stay
    arriving before `ends_on` may reach into it."""
    before = bisect.bisect_left(nights, (ends_on,))
    return before == 0 or nights[before - 1][1] <= starts_on


class FollowUps:
    """Mixed into Synth: draws with its `rng`, rows into its `rows`, events into its `audit`."""

    def referral(self, situation, reporter, reported_at, end, answer, following: set[int], closed) -> None:
        rng = self.rng
        if answer == OK.REFUSED and not situation["urgent"]:
            return  # neither consent nor danger: nothing may be shared
        receivers = [o for o in self.partners if o.pk not in following]
        created_at = reported_at + datetime.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 5))
        if not receivers or created_at >= end:
            return
        receiver = rng.choice(receivers)
        status = self.weighted(REFERRAL_WEIGHTS[closed])
        ground = LegalGround.CONSENT if answer == OK.GIVEN else LegalGround.IMMEDIATE_DANGER
        answered_at = closed_at = answered_by = participation = None
        if status != R.PROPOSED:
            answered_at = min(created_at + datetime.timedelta(days=rng.randint(1, 7)), end)
            if status in (R.DONE, R.DECLINED, R.CANCELLED):
                closed_at = min(answered_at + datetime.timedelta(days=rng.randint(0, 60)), end)
            if status != R.CANCELLED:
                answered_by = rng.choice(self.by_organisation.get(receiver.pk) or [self.coordinator])
            else:
                answered_at = None
        if status in (R.ACCEPTED, R.DONE):
            participation = {
                "situation": situation,
                "organisation": receiver,
                "reason": ParticipationReason.REFERRAL,
                "legal_ground": ground,
                "added_by": answered_by,
                "added_at": answered_at,
            }
            self.rows[Participation].append(participation)
        referral = {
            "public_id": self.public_id(),
            "situation": situation,
            "sender": reporter.organisation,
            "sent_by": reporter,
            "receiver": receiver,
            "needs": rng.sample(ReferralNeed.values, rng.randint(1, 2)),
            "reason": rng.choice(REFERRAL_REASONS),
            "legal_ground": ground,
            "status": status,
            "decline_reason": "Pas de place disponible avant plusieurs semaines."
            if status == R.DECLINED
            else "",
            "participation": participation,
            "answered_by": answered_by,
            "created_at": created_at,
            "answered_at": answered_at,
            "closed_at": closed_at,
        }
        self.rows[Referral].append(referral)
        if self.audit:
            self.referral_history(situation, reporter, referral)

    def referral_history(self, situation, reporter, referral) -> None:
        facts = {"referral": str(referral["public_id"]), "receiver": referral["receiver"].name}
        audit, status = self.audit, referral["status"]
        audit.add(
            referral["created_at"],
            reporter,
            AuditAction.REFERRAL_PROPOSED,
            situation,
            {**facts, "needs": referral["needs"], "legal_ground": str(referral["legal_ground"])},
        )
        if status == R.CANCELLED:
            audit.add(referral["closed_at"], reporter, AuditAction.REFERRAL_CANCELLED, situation, facts)
        elif status == R.DECLINED:
            audit.add(
                referral["answered_at"],
                referral["answered_by"],
                AuditAction.REFERRAL_DECLINED,
                situation,
                facts,
            )
        elif status in (R.ACCEPTED, R.DONE):
            audit.add(
                referral["answered_at"],
                referral["answered_by"],
                AuditAction.REFERRAL_ACCEPTED,
                situation,
                facts,
            )
            if status == R.DONE:
                audit.add(
                    referral["closed_at"],
                    referral["answered_by"],
                    AuditAction.REFERRAL_DONE,
                    situation,
                    facts,
                )

    def measure(self, situation, reporter, day) -> None:
        rng = self.rng
        kind = self.weighted(MEASURE_WEIGHTS)
        _weight, authority, months = MEASURES[kind]
        requested_on = day + datetime.timedelta(days=rng.randint(0, 10))
        if requested_on > self.today:
            return
        decided_on = requested_on + datetime.timedelta(days=rng.randint(0, 15))
        measure = {
            "public_id": self.public_id(),
            "situation": situation,
            "kind": kind,
            "authority": authority,
            "requested_on": requested_on,
            "recorded_by": reporter,
            "recorded_at": self.moment(requested_on),
        }
        if kind == K.COMPLAINT:
            measure["status"], measure["decided_on"] = MeasureStatus.IN_FORCE, None
            measure["starts_on"] = requested_on
        elif decided_on > self.today or rng.random() < 0.05:
            measure["status"] = MeasureStatus.REQUESTED
        elif rng.random() < 0.12:
            measure["status"], measure["decided_on"] = MeasureStatus.REFUSED, decided_on
        else:
            measure["decided_on"] = measure["starts_on"] = decided_on
            measure["ends_on"] = decided_on + datetime.timedelta(days=30 * months - 1)
            measure["status"] = (
                MeasureStatus.ENDED if measure["ends_on"] < self.today else MeasureStatus.IN_FORCE
            )
        measure["updated_at"] = measure["recorded_at"]
        self.rows[ProtectiveMeasure].append(measure)
        if self.audit:
            self.audit.add(
                measure["recorded_at"],
                reporter,
                AuditAction.MEASURE_RECORDED,
                situation,
                {"measure": str(measure["public_id"]), "kind": str(kind), "status": str(measure["status"])},
            )

    def stay(self, situation, day, children, end) -> None:
        """In a unit free on all its nights, if any: every stay's nights are kept per unit (`unit_nights`), so
        that no two stays share a night of a unit, with the database's stays or with each other."""
        starts_on, last_day = day, timezone.localdate(end)
        ends_on = starts_on + datetime.timedelta(days=self.rng.randint(5, 45))
        if starts_on >= last_day:
            return
        if end < self.now:  # a closed situation's stay ended by then
            ends_on = min(ends_on, last_day)
        free = [unit for unit, nights in self.unit_nights.items() if is_free(nights, starts_on, ends_on)]
        if not free:
            return
        unit = self.rng.choice(free)
        bisect.insort(self.unit_nights[unit], (starts_on, ends_on))
        stay = {
            "public_id": self.public_id(),
            "unit": unit,
            "situation": situation,
            "adults": 1,
            "children": children,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "allocated_by": self.rng.choice(self.unit_staff[unit.pk]),
            "created_at": self.moment(starts_on - datetime.timedelta(days=1)),
        }
        if ends_on <= self.today:
            stay["status"] = StayStatus.ENDED
            stay["checked_in_at"] = self.moment(starts_on)
            stay["checked_out_at"] = self.moment(ends_on, 10)
            stay["exit_solution"] = self.pick(ExitSolution.values)
        elif starts_on <= self.today:
            stay["status"] = StayStatus.IN_PROGRESS
            stay["checked_in_at"] = self.moment(starts_on)
        self.rows[Stay].append(stay)
        if self.audit:
            self.audit.add(
                stay["created_at"],
                stay["allocated_by"],
                AuditAction.STAY_ALLOCATED,
                situation,
                {"stay": str(stay["public_id"]), "unit": unit.name, "starts_on": str(starts_on)},
            )
