"""Three years of situations for the demonstration territory, written through the real services.

The network's history is replayed in order: every step (report, referent, participants, notes, tasks,
closure, break-the-glass, reading alerts) runs through its service at the moment it happens, under a demo
clock. Pseudonyms, closure dates, overdue tasks, alerts and the audit trail therefore read as if the
partners had used Maillage for three years. Nothing is written around the services.

Distributions follow DOMAIN.md §6: about 50 situations a year, 84 % women victims, 1.55 children per
situation, communes in proportion to their population, sources and violence types in plausible shares,
some immediate dangers. Two situations are written by hand: a restricted one and the canary, whose
victim's unique name must never be shown to anyone without the right (tests/situations/test_canary.py).
Names are fictional (situations/fixtures/demo_situations.json). Draws come from a fixed seed and do not
depend on the date: only which steps already happened does.
"""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

from django.db.models import Prefetch
from django.utils import timezone

import maillage
from maillage.accounts.actor import Actor
from maillage.network.enums import OrganisationKind, Role
from maillage.network.models import CommuneReferent, Membership, Organisation
from maillage.notifications import selectors as notification_selectors
from maillage.notifications import services as notification_services
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    LegalGround,
    NoteVisibility,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
    ViolenceType,
)
from maillage.situations.models import EmergencyAccess, Situation
from maillage.territories.models import Territory

DATA_FILE = Path(maillage.__file__).resolve().parent / "situations" / "fixtures" / "demo_situations.json"
SEED = 20220628  # the day the Pays des Herbiers signed its local contract
YEARS = 3
DEFAULT_COUNT = 150
SPECIAL_COUNT = 2  # the restricted situation and the canary
CHILDREN_SHARES = {0: 20, 1: 30, 2: 30, 3: 15, 4: 5}  # in %: 1.55 children per situation
WOMEN_SHARE = 0.84
URGENT_SHARE = 0.12
REOPENED = 3
READ_ALERTS_UNTIL_DAYS_AGO = 21
VISIBILITY_WEIGHTS = {
    NoteVisibility.ORGANISATION: 20,
    NoteVisibility.PARTICIPANTS: 55,
    NoteVisibility.COORDINATION: 25,
}
TASK_DONE_SHARE = 0.85


@contextmanager
def demo_clock(moment: datetime.datetime):
    """Services, models and the audit trail read the time from `django.utils.timezone.now`."""
    with mock.patch.object(timezone, "now", return_value=moment.astimezone(datetime.UTC)):
        yield


def history_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The morning the demonstration network starts: three years and a day before `now`."""
    day = timezone.localdate(now or timezone.now()) - datetime.timedelta(days=365 * YEARS + 1)
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())


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


@dataclass
class Step:
    moment: datetime.datetime
    order: int
    run: Callable[[], None]


class History:
    """The planned steps of the network's history, replayed in time order up to now."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.steps: list[Step] = []

    def at(self, moment: datetime.datetime, run: Callable[[], None]) -> None:
        self.steps.append(Step(moment, len(self.steps), run))

    def replay(self) -> None:
        for step in sorted(self.steps, key=lambda s: (s.moment, s.order)):
            if step.moment >= self.now:
                continue  # has not happened yet
            with demo_clock(step.moment):
                step.run()


def deck(rng: random.Random, shares: dict, count: int) -> list:
    """`count` values in the given proportions (largest remainders), shuffled: exact shares, random order."""
    total = sum(shares.values())
    exact = {key: share * count / total for key, share in shares.items()}
    counts = {key: int(value) for key, value in exact.items()}
    for key in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[
        : count - sum(counts.values())
    ]:
        counts[key] += 1
    values = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(values)
    return values


class DemoSituations:
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

    # -------------------------------------------------------------------------------------- helpers

    def moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        hour = self.rng.randint(8, 18) if hour is None else hour
        return datetime.datetime.combine(day, datetime.time(hour, self.rng.randint(0, 59)), tzinfo=self.tz)

    def pick(self, values):
        return self.rng.choice(list(values))

    def weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def phone(self) -> str:
        return "06 " + " ".join(f"{self.rng.randint(0, 99):02d}" for _ in range(4))

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
        self.history.replay()
        situations = Situation.objects.filter(territory=self.territory)
        self.summary["situations"] = situations.count()
        self.summary["open"] = situations.exclude(status=SituationStatus.CLOSED).count()
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

    def victim(self, woman: bool) -> dict:
        names = self.data["names"]
        person = {
            "role": PersonRole.VICTIM,
            "sex": Sex.FEMALE if woman else Sex.MALE,
            "first_name": self.pick(names["female" if woman else "male"]),
            "last_name": self.pick(names["last"]),
            "phone": self.phone(),
        }
        if self.rng.random() < 0.5:
            age = self.rng.randint(19, 67)
            person["birth_date"] = datetime.date(
                self.now.year - age, self.rng.randint(1, 12), self.rng.randint(1, 28)
            )
        if self.rng.random() < 0.3:
            address = f"{self.rng.randint(1, 60)} {self.pick(names['streets'])}"
            person["address"] = address
        if self.rng.random() < 0.25:
            person["email"] = (
                f"{person['first_name'][0].lower()}.{self.rng.randint(100, 999)}@courriel.invalid"
            )
        return person

    def persons(self, woman: bool, children: int) -> list[dict]:
        names = self.data["names"]
        victim = self.victim(woman)
        persons = [victim]
        for _ in range(children):
            persons.append(
                {
                    "role": PersonRole.CHILD,
                    "first_name": self.pick(names["children"]),
                    "age": self.rng.randint(0, 17),
                    "last_name": victim["last_name"] if self.rng.random() < 0.5 else "",
                }
            )
        # Most alleged perpetrators are men; some are not named (unknown to the reporter).
        perpetrator = {"role": PersonRole.PERPETRATOR, "sex": Sex.MALE if woman else Sex.FEMALE}
        if self.rng.random() < 0.05:
            perpetrator["sex"] = Sex.FEMALE if woman else Sex.MALE
        if self.rng.random() < 0.8:
            perpetrator["first_name"] = self.pick(
                names["male" if perpetrator["sex"] == Sex.MALE else "female"]
            )
            perpetrator["last_name"] = self.pick(names["last"])
        persons.append(perpetrator)
        return persons

    def safe_contacts(self) -> list[dict]:
        rates = {
            ContactChannel.PHONE: 0.55,
            ContactChannel.SMS: 0.7,
            ContactChannel.VOICEMAIL: 0.15,
            ContactChannel.EMAIL: 0.3,
            ContactChannel.POST: 0.1,
        }
        contacts = []
        for channel, rate in rates.items():
            allowed = self.rng.random() < rate
            contacts.append(
                {
                    "channel": channel,
                    "allowed": allowed,
                    "safe_hours": self.pick(self.data["safe_hours"])
                    if allowed and self.rng.random() < 0.5
                    else "",
                    "code_word": self.pick(self.data["code_words"])
                    if allowed and self.rng.random() < 0.15
                    else "",
                }
            )
        return contacts

    def sources(self) -> list[str]:
        first = self.weighted(self.data["source_weights"])
        second = self.data["second_source"].get(first)
        return [first, second] if second and self.rng.random() < 0.3 else [first]

    def violence_types(self, children: int) -> list[str]:
        types = [t for t, rate in self.data["violence_rates"].items() if self.rng.random() < rate]
        if children and self.rng.random() < 0.7:
            types.append(ViolenceType.CHILDREN_EXPOSED)
        return types or [ViolenceType.PSYCHOLOGICAL]

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

    # -------------------------------------------------------------------------- written by hand

    def plan_canary(self) -> None:
        spec = self.data["special"]["canary"]
        names = self.data["names"]
        commune = self.territory.communes.get(name=spec["commune"])
        reporter = self.cast.by_email[spec["reporter"]]
        referent = self.cast.by_email[spec["referent"]]
        reported_at = self.moment(self.now.date() - datetime.timedelta(days=spec["days_ago"]), hour=10)
        report = {
            "commune": commune,
            "detected_on": reported_at.date(),
            "sources": [DetectionSource.LAW_ENFORCEMENT, DetectionSource.ISCG],
            "violence_types": [
                ViolenceType.PHYSICAL,
                ViolenceType.PSYCHOLOGICAL,
                ViolenceType.CHILDREN_EXPOSED,
            ],
            "urgent": False,
            "persons": [
                {
                    "role": PersonRole.VICTIM,
                    "sex": Sex.FEMALE,
                    "first_name": spec["first_name"],
                    "last_name": spec["last_name"],
                    "phone": spec["phone"],
                    "birth_date": datetime.date(1991, 4, 17),
                    "address": f"12 {names['streets'][0]}, {commune.postal_code} {commune.name}",
                },
                {"role": PersonRole.CHILD, "first_name": "Alix", "age": 9},
                {"role": PersonRole.CHILD, "first_name": "Noah", "age": 4},
                {
                    "role": PersonRole.PERPETRATOR,
                    "sex": Sex.MALE,
                    "first_name": "Erwan",
                    "last_name": "Brethomé",
                },
            ],
            "consent": {
                "answer": ConsentAnswer.GIVEN,
                "organisations": [self.cast.organisations[n] for n in spec["participants"]],
            },
            "safe_contacts": [
                {
                    "channel": ContactChannel.SMS,
                    "allowed": True,
                    "safe_hours": "9 h – 12 h en semaine",
                    "code_word": "",
                },
                {
                    "channel": ContactChannel.PHONE,
                    "allowed": True,
                    "safe_hours": "9 h – 12 h en semaine",
                    "code_word": "Hortensia",
                },
                {"channel": ContactChannel.VOICEMAIL, "allowed": False, "safe_hours": "", "code_word": ""},
            ],
        }

        def run_report():
            self.situations["canary"] = services.situation_report(actor=reporter, **report)
            self.summary["canary"] = self.situations["canary"].pseudonym

        self.history.at(reported_at, run_report)
        hour = datetime.timedelta(hours=1)
        day = datetime.timedelta(days=1)
        self.plan_note(
            "canary",
            reported_at + hour,
            reporter,
            TimelineKind.NOTE,
            self.data["notes"]["law_enforcement"][1][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_referent("canary", reported_at + 3 * hour, referent)
        for name in spec["participants"]:
            self.plan_participant("canary", reported_at + day + hour, name, LegalGround.CONSENT)
        cidff = self.cast.professionals[spec["participants"][0]][0]
        self.plan_note(
            "canary",
            reported_at + 6 * day,
            cidff,
            TimelineKind.NOTE,
            self.data["notes"]["association"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "canary",
            reported_at + 9 * day,
            referent,
            TimelineKind.CONTACT,
            self.data["notes"]["contact"][0],
            NoteVisibility.COORDINATION,
            channel=ContactChannel.SMS,
        )
        self.plan_note(
            "canary",
            reported_at + 14 * day,
            self.coordinator,
            TimelineKind.DECISION,
            self.data["notes"]["local_authority"][1][1],
            NoteVisibility.PARTICIPANTS,
        )

        def tasks():
            situation = self.situation("canary")
            services.task_add(
                actor=self.coordinator,
                situation=situation,
                title="Faire le point avec la victime",
                owner=referent.membership,
                due_on=(reported_at + 20 * day).date(),
            )
            services.task_add(
                actor=self.coordinator,
                situation=situation,
                title="Informer la victime de ses droits",
                owner=cidff.membership,
                due_on=(self.now + 10 * day).date(),
            )

        self.history.at(reported_at + 14 * day + hour, tasks)

    def plan_restricted(self) -> None:
        spec = self.data["special"]["restricted"]
        commune = self.territory.communes.get(name=spec["commune"])
        reporter = self.cast.by_email[spec["reporter"]]
        named = [self.cast.by_email[email] for email in spec["named_users"]]
        reported_at = self.moment(self.now.date() - datetime.timedelta(days=spec["days_ago"]), hour=9)
        victim = self.victim(woman=True)
        partners = [actor.membership.organisation for actor in named]
        report = {
            "commune": commune,
            "detected_on": reported_at.date(),
            "sources": [DetectionSource.VICTIM],
            "violence_types": [ViolenceType.PSYCHOLOGICAL, ViolenceType.ECONOMIC, ViolenceType.CYBER],
            "urgent": False,
            "persons": [victim, {"role": PersonRole.PERPETRATOR, "sex": Sex.MALE}],
            "consent": {"answer": ConsentAnswer.GIVEN, "organisations": partners},
            "safe_contacts": [
                {"channel": ContactChannel.EMAIL, "allowed": True, "safe_hours": "", "code_word": ""}
            ],
        }

        def run():
            situation = services.situation_report(actor=reporter, **report)
            situation = services.situation_restrict(
                actor=self.coordinator,
                situation=situation,
                named_users=[a.user for a in named],
                reason=spec["reason"],
            )
            for organisation in partners:
                services.participant_add(
                    actor=self.coordinator, situation=situation, organisation=organisation
                )
            self.situations["restricted"] = situation
            self.summary["restricted"] = situation.pseudonym
            self.summary["restricted_named"] = [a.user.get_full_name() for a in named]

        self.history.at(reported_at, run)
        day = datetime.timedelta(days=1)
        self.plan_note(
            "restricted",
            reported_at + 2 * day,
            named[0],
            TimelineKind.NOTE,
            self.data["notes"]["association"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "restricted",
            reported_at + 5 * day,
            named[1],
            TimelineKind.NOTE,
            self.data["notes"]["social"][0][1],
            NoteVisibility.PARTICIPANTS,
        )
        self.plan_note(
            "restricted",
            reported_at + 8 * day,
            self.coordinator,
            TimelineKind.DECISION,
            "Suivi assuré hors des réunions plénières, en cellule restreinte.",
            NoteVisibility.COORDINATION,
        )

    def plan_emergency_accesses(self) -> None:
        """One break-the-glass access reviewed long ago, one recent still awaiting review."""
        requester = self.cast.by_email[self.data["special"]["emergency_requester"]]
        reason = (
            "La victime appelle notre permanence en détresse un samedi ; la référente de la commune "
            "est injoignable et nous devons vérifier la mise à l'abri déjà engagée."
        )
        for days_ago, reviewed in ((160, True), (12, False)):
            when = self.moment(self.now.date() - datetime.timedelta(days=days_ago), hour=11)
            granted: dict = {}

            def request(granted=granted):
                situation = self.emergency_target(requester)
                if situation is not None:
                    granted["access"] = services.emergency_access_request(
                        actor=requester, pseudonym=situation.pseudonym, reason=reason
                    )

            self.history.at(when, request)
            if reviewed:
                self.history.at(
                    when + datetime.timedelta(days=2), lambda granted=granted: self.review(granted)
                )

    def review(self, granted: dict) -> None:
        if "access" in granted:
            services.emergency_access_review(
                actor=self.coordinator,
                access=EmergencyAccess.objects.select_related("situation").get(pk=granted["access"].pk),
                justified=True,
                comment="Accès justifié : la victime était en danger et la référente absente.",
            )

    def emergency_target(self, requester: Actor) -> Situation:
        """An open situation the requester does not see (never the canary nor the restricted one)."""
        special = [s.pk for k, s in self.situations.items() if k in ("canary", "restricted")]
        seen = Situation.objects.visible_to(requester).values("pk")
        return (
            Situation.objects.filter(territory=self.territory, restricted=False)
            .exclude(status=SituationStatus.CLOSED)
            .exclude(pk__in=special)
            .exclude(pk__in=seen)
            .order_by("-pk")
            .first()
        )

    def plan_alerts_read(self) -> None:
        """People read their alerts: only those of the last three weeks are still unread."""
        when = self.moment(self.now.date() - datetime.timedelta(days=READ_ALERTS_UNTIL_DAYS_AGO), hour=8)

        def run():
            for actor in self.cast.by_email.values():
                if notification_selectors.receives_notifications(actor):
                    notification_services.notifications_mark_all_read(actor=actor)

        self.history.at(when, run)


def load_situations(
    territory: Territory, count: int = DEFAULT_COUNT, now: datetime.datetime | None = None
) -> dict:
    """Writes `count` situations (two of them special) in the territory; returns a summary to print."""
    if count and count < SPECIAL_COUNT + 1:
        raise ValueError(f"At least {SPECIAL_COUNT + 1} situations, or none.")
    return DemoSituations(territory, count, now).load()
