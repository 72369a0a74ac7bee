"""Three years of situations for the demonstration territory, written through the real services.

The network's history is replayed in order: every step (report, referent, participants, notes, tasks,
closure, break-the-glass, reading alerts) runs through its service at the moment it happens, under a demo
clock. Pseudonyms, closure dates, overdue tasks, alerts and the audit trail therefore read as if the
partners had used Maillage for three years. Nothing is written around the services.

Distributions follow DOMAIN.md §6: about 50 situations a year, 84 % women victims, 1.55 children per
situation, communes in proportion to their population, sources and violence types in plausible shares,
some immediate dangers. Two situations are written by hand: a restricted one and the canary, whose
victim's unique name must never be shown to anyone without the right (tests/situations/test_canary.py).
Names are fictional (demo/fixtures/demo_situations.json). Draws come from a fixed seed and do not
depend on the date: only which steps already happened does.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Prefetch
from django.utils import timezone

from maillage.demo.actionplan import DemoActionPlan
from maillage.demo.assessments import Planned, plan_assessments
from maillage.demo.clock import history_start
from maillage.demo.draws import Draws, deck
from maillage.demo.history import History
from maillage.demo.housing import DemoHousing
from maillage.demo.meetings import DemoMeetings
from maillage.demo.prevention import DemoPrevention
from maillage.demo.referrals import DemoReferrals
from maillage.demo.special import HandWritten
from maillage.network.actor import Actor
from maillage.network.enums import OrganisationKind, Role
from maillage.network.models import CommuneReferent, Membership, Organisation
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    LegalGround,
    NoteVisibility,
    SituationStatus,
    TimelineKind,
)
from maillage.situations.models import Situation
from maillage.territories.models import Territory

DATA_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_situations.json"
SEED = 20220628  # the day the Pays des Herbiers signed its local contract
DEFAULT_COUNT = 150
SPECIAL_COUNT = 2  # the restricted situation and the canary
CHILDREN_SHARES = {0: 20, 1: 30, 2: 30, 3: 15, 4: 5}  # in %: 1.55 children per situation
WOMEN_SHARE = 0.84
URGENT_SHARE = 0.12
REOPENED = 3
VISIBILITY_WEIGHTS = {
    NoteVisibility.ORGANISATION: 20,
    NoteVisibility.PARTICIPANTS: 55,
    NoteVisibility.COORDINATION: 25,
}
TASK_DONE_SHARE = 0.85


@dataclass
class Cast:
    """Who acts in the demo: actors by e-mail, professionals by organisation, referents by commune."""

    territory: Territory
    by_email: dict[str, Actor] = field(default_factory=dict)
    professionals: dict[str, list[Actor]] = field(default_factory=dict)
    referents: dict[int, list[Actor]] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)

    @classmethod
    def of(cls, territory: Territory) -> Cast:
        cast = cls(territory=territory)
        memberships = (
            Membership.objects.active()
            .filter(territory=territory)
            .with_details()
            .prefetch_related(
                Prefetch("referent_of", queryset=CommuneReferent.objects.order_by("pk")),
            )
            .order_by("pk")
        )
        for membership in memberships:
            actor = Actor.from_membership(membership.user, membership, [membership])
            # A person with two memberships here (gendarmerie and ISCG) acts as her first one by e-mail.
            cast.by_email.setdefault(membership.user.email, actor)
            if actor.has_role(Role.PROFESSIONAL):
                cast.professionals.setdefault(membership.organisation.name, []).append(actor)
            for referent in membership.referent_of.all():
                cast.referents.setdefault(referent.commune_id, []).append(actor)
        cast.organisations = {o.name: o for o in Organisation.objects.filter(territories=territory)}
        return cast


class DemoSituations(
    HandWritten, DemoReferrals, DemoHousing, DemoMeetings, DemoActionPlan, DemoPrevention, Draws
):
    def __init__(self, territory: Territory, count: int, now: datetime.datetime | None = None):
        self.data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        self.rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
        self.cast = Cast.of(territory)
        self.territory = territory
        self.count = count
        self.now = now or timezone.now()
        self.tz = timezone.get_current_timezone()
        self.history = History(self.now)
        self.situations: dict[str, Situation] = {}
        self.coordinator = self.cast.by_email[self.data["coordinator"]]
        self.summary: dict = {}
        self.planned: dict[str, Planned] = {}  # what the danger assessments' plan reads (demo/assessments.py)

    # -------------------------------------------------------------------------------------- helpers

    def situation(self, key: str) -> Situation:
        # Reread: a step changes the row (version, status) and the next one must not hold a stale copy.
        return Situation.objects.get(pk=self.situations[key].pk)

    # ----------------------------------------------------------------------------------------- plan

    def load(self) -> dict:
        ordinary = max(self.count - SPECIAL_COUNT, 0)
        if ordinary:
            self.plan_ordinary(ordinary)
            self.plan_canary()
            self.plan_restricted()
            self.plan_emergency_accesses()
            self.plan_alerts_read()
            self.plan_referrals()
            plan_assessments(self, self.planned)
            self.plan_housing()
            self.plan_meetings()
            self.plan_action_plan()
            self.plan_prevention()
        self.history.replay()
        situations = Situation.objects.filter(territory=self.territory)
        self.summary["situations"] = situations.count()
        self.summary["open"] = situations.exclude(status=SituationStatus.CLOSED).count()
        self.summary["housing"] = self.housing_summary()
        self.summary["meetings"] = self.meetings_summary()
        self.summary["action_plan"] = self.action_plan_summary()
        self.summary["prevention"] = self.prevention_summary()
        canary = self.data["special"]["canary"]
        self.summary["canary_name"] = f"{canary['first_name']} {canary['last_name']}"
        return self.summary

    def plan_ordinary(self, count: int) -> None:
        communes = list(self.territory.communes.order_by("name"))
        commune_deck = deck(self.rng, {c: c.population for c in communes}, count)
        children_deck = deck(self.rng, CHILDREN_SHARES, count)
        women_deck = deck(self.rng, {True: WOMEN_SHARE, False: 1 - WOMEN_SHARE}, count)
        urgent_deck = deck(self.rng, {True: URGENT_SHARE, False: 1 - URGENT_SHARE}, count)
        start = history_start(self.now).date() + datetime.timedelta(days=1)
        span = (self.now.date() - datetime.timedelta(days=3) - start).days
        reopen = set(self.rng.sample(range(count), REOPENED))
        for index in range(count):
            # Spread evenly over the three years (one slot each), at a random day inside its slot.
            day = start + datetime.timedelta(days=int((index + self.rng.random()) * span / count))
            self.plan_situation(
                key=f"s{index}",
                day=day,
                commune=commune_deck[index],
                children=children_deck[index],
                woman=women_deck[index],
                urgent=urgent_deck[index],
                reopen=index in reopen,
            )

    def reporter(self, source: str, commune) -> Actor:
        organisations = self.data["reporters"][source]
        if not organisations:  # the mayor or a town-hall agent: a referent of the commune
            return self.pick(self.cast.referents[commune.pk])
        return self.pick(self.cast.professionals[self.pick(organisations)])

    def plan_situation(self, *, key, day, commune, children, woman, urgent, reopen) -> None:
        rng = self.rng
        sources = self.sources()
        reporter = self.reporter(sources[0], commune)
        reported_at = self.moment(day)
        detected_on = day - datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
        answer = self.weighted(
            {ConsentAnswer.GIVEN: 68, ConsentAnswer.REFUSED: 12, ConsentAnswer.NOT_ASKED: 20}
            if not urgent
            else {ConsentAnswer.GIVEN: 40, ConsentAnswer.REFUSED: 10, ConsentAnswer.NOT_ASKED: 50}
        )
        reporter_org = reporter.membership.organisation.name
        candidates = [name for name in self.data["partners"] if name != reporter_org]
        consented = rng.sample(candidates, rng.randint(1, 3)) if answer == ConsentAnswer.GIVEN else []
        report = {
            "commune": commune,
            "detected_on": detected_on,
            "sources": sources,
            "violence_types": self.violence_types(children),
            "urgent": urgent,
            "persons": self.persons(woman, children),
            "consent": {"answer": answer, "organisations": [self.cast.organisations[n] for n in consented]},
            "safe_contacts": self.safe_contacts(),
        }
        safe = [c["channel"] for c in report["safe_contacts"] if c["allowed"]]
        # Follow-up length: a few weeks to more than a year.
        length = rng.choice(
            [rng.randint(30, 120), rng.randint(120, 300), rng.randint(120, 300), rng.randint(300, 600)]
        )
        closing = reported_at + datetime.timedelta(days=length)
        self.planned[key] = Planned(reported_at, closing, reporter, urgent)

        def run_report():
            self.situations[key] = services.situation_report(actor=reporter, **report)

        self.history.at(reported_at, run_report)

        # Who follows it, and from when: the reporter's organisation from the start.
        followers: list[tuple[datetime.datetime, Actor]] = [(reported_at, reporter)]
        coordination: list[tuple[datetime.datetime, Actor]] = [(reported_at, self.coordinator)]
        local = self.cast.referents.get(commune.pk, [])
        coordination += [(reported_at, r) for r in local]
        if local and rng.random() < 0.75:
            referent = rng.choice(local)
            self.plan_referent(
                key, reported_at + datetime.timedelta(days=rng.randint(0, 3), hours=2), referent
            )
        joined = []
        if answer == ConsentAnswer.GIVEN:
            joined = [
                (name, LegalGround.CONSENT) for name in rng.sample(consented, rng.randint(1, len(consented)))
            ]
        elif urgent or answer == ConsentAnswer.NOT_ASKED and rng.random() < 0.5:
            partners = [name for name in self.data["danger_partners"] if name != reporter_org]
            joined = [(rng.choice(partners), LegalGround.IMMEDIATE_DANGER)]
        for name, ground in joined:
            when = reported_at + datetime.timedelta(days=rng.randint(1, 10), hours=1)
            self.plan_participant(key, when, name, ground)
            followers += [(when, actor) for actor in self.cast.professionals.get(name, [])]

        self.plan_notes(key, reported_at, closing, reporter, followers, coordination, safe)
        self.plan_tasks(key, reported_at, closing, followers, coordination)
        reason = self.weighted(self.data["closure_weights"])
        self.history.at(closing, lambda: self.close(key, reason))
        if reopen:
            reopened = closing + datetime.timedelta(days=rng.randint(30, 90))
            self.history.at(
                reopened,
                lambda: services.situation_reopen(actor=self.coordinator, situation=self.situation(key)),
            )
            body = "La victime reprend contact : la situation est rouverte et réexaminée en cellule de suivi."
            self.plan_note(
                key,
                reopened + datetime.timedelta(hours=1),
                self.coordinator,
                TimelineKind.DECISION,
                body,
                NoteVisibility.PARTICIPANTS,
            )

    def plan_referent(self, key: str, when: datetime.datetime, referent: Actor) -> None:
        self.history.at(
            when,
            lambda: services.referent_assign(
                actor=self.coordinator, situation=self.situation(key), membership=referent.membership
            ),
        )

    def plan_participant(self, key: str, when: datetime.datetime, name: str, ground: str) -> None:
        organisation = self.cast.organisations[name]
        self.history.at(
            when,
            lambda: services.participant_add(
                actor=self.coordinator,
                situation=self.situation(key),
                organisation=organisation,
                legal_ground=ground,
            ),
        )

    def plan_note(
        self, key, when, author: Actor, kind, body, visibility, *, medical=False, channel=""
    ) -> None:
        occurred_on = when.date() + (
            datetime.timedelta(days=7) if kind == TimelineKind.APPOINTMENT else datetime.timedelta()
        )

        def run():
            services.timeline_add(
                actor=author,
                situation=self.situation(key),
                kind=kind,
                visibility=visibility,
                body=body,
                medical=medical,
                channel=channel,
                occurred_on=occurred_on,
            )

        self.history.at(when, run)

    def plan_notes(self, key, reported_at, closing, reporter, followers, coordination, safe) -> None:
        rng, notes = self.rng, self.data["notes"]
        reporter_kind = reporter.membership.organisation.kind
        kind, body = rng.choice(notes[reporter_kind])
        self.plan_note(
            key,
            reported_at + datetime.timedelta(minutes=20),
            reporter,
            kind,
            body,
            NoteVisibility.PARTICIPANTS,
            medical=reporter_kind == OrganisationKind.HEALTH,
        )
        span = (closing - reported_at).days
        writers = followers + coordination
        for _ in range(rng.randint(1, 4)):
            since, author = rng.choice(writers)
            when = since + datetime.timedelta(days=rng.randint(1, max(span - 1, 1)), hours=rng.randint(0, 3))
            if when >= closing:
                continue
            organisation_kind = author.membership.organisation.kind
            coordinating = author is self.coordinator or author.has_role(Role.REFERENT)
            if coordinating:
                kind, body = rng.choice(notes[OrganisationKind.LOCAL_AUTHORITY])
                visibility = self.weighted({NoteVisibility.COORDINATION: 60, NoteVisibility.PARTICIPANTS: 40})
            else:
                kind, body = rng.choice(notes[organisation_kind])
                visibility = self.weighted(VISIBILITY_WEIGHTS)
            medical = organisation_kind == OrganisationKind.HEALTH and rng.random() < 0.8
            if safe and not medical and rng.random() < 0.3:
                kind, body, channel = TimelineKind.CONTACT, rng.choice(notes["contact"]), rng.choice(safe)
            else:
                channel = ""
            self.plan_note(key, when, author, kind, body, visibility, medical=medical, channel=channel)

    def plan_tasks(self, key, reported_at, closing, followers, coordination) -> None:
        rng = self.rng
        owners = followers + coordination
        for _ in range(rng.randint(0, 2)):
            since, owner = rng.choice(owners)
            created = since + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 4))
            if created >= closing:
                continue
            due_on = created.date() + datetime.timedelta(days=rng.randint(5, 30))
            title = rng.choice(self.data["tasks"])
            ref: dict = {}

            def add(owner=owner, due_on=due_on, title=title, ref=ref):
                ref["task"] = services.task_add(
                    actor=self.coordinator,
                    situation=self.situation(key),
                    title=title,
                    owner=owner.membership,
                    due_on=due_on,
                )

            self.history.at(created, add)
            done = created + datetime.timedelta(
                days=rng.randint(1, max((due_on - created.date()).days + 3, 2))
            )
            if done < closing and rng.random() < TASK_DONE_SHARE:
                self.history.at(
                    done, lambda owner=owner, ref=ref: services.task_done(actor=owner, task=ref["task"])
                )

    def close(self, key: str, reason: str) -> None:
        """The coordinator settles what is still pending, then closes the situation."""
        situation = self.situation(key)
        for task in situation.tasks.filter(done_at__isnull=True).select_related("situation"):
            services.task_done(actor=self.coordinator, task=task)
        services.situation_close(actor=self.coordinator, situation=situation, reason=reason)


def load_situations(
    territory: Territory, count: int = DEFAULT_COUNT, now: datetime.datetime | None = None
) -> dict:
    """Writes `count` situations (two of them special) in the territory; returns a summary to print."""
    if count and count < SPECIAL_COUNT + 1:
        raise ValueError(f"At least {SPECIAL_COUNT + 1} situations, or none.")
    return DemoSituations(territory, count, now).load()
