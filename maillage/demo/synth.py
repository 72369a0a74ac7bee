"""Synthetic volume for benchmarks (`maillage synth --situations N`): years of situations in one territory,
written in batches as plain rows (maillage.demo.bulk: COPY on PostgreSQL), around the services, with the
audit history each situation would have (maillage.demo.synth_audit) unless told not to.

What the rows hold follows the demo's shares (DOMAIN.md §6, demo/situations.py): communes in proportion to
their population, 84 % women victims, 1.55 children per situation, 12 % immediate dangers, the demo's
detection sources and violence types, follow-ups of a few weeks to more than a year (closed ones with their
date and reason), rare restricted situations. Each situation has its persons, whose identities are encrypted
and blind-indexed with the model fields' keys and contexts as on any save (bulk.Table), the words of
their names for the name search, the consent, the participations of its organisations with their legal
ground, a few timeline entries, and sometimes referrals, protective measures and emergency stays (in the
territory's units, one after the other per unit: never two on a night; synth_follow_up.py).

Pseudonyms follow the application's scheme `S-<year>-<number>`: the numbers of each year are reserved at
once from `SituationCounter`, so later reports carry on after them. Running again adds more situations: the
draws depend on the seed and on how many situations the territory already holds (same database, same seed:
same data). Each batch is committed on its own: an interrupted run keeps the batches written, and leaves
the numbers reserved for the others unused.
"""

import datetime
import functools
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from itertools import accumulate

from django.db import connection, transaction
from django.utils import timezone

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.demo.bulk import Table, analyse_after_bulk_load, number, reserve_ids
from maillage.demo.bulk_indexes import indexes_deferred
from maillage.demo.draws import Draws, deck
from maillage.demo.situations import CHILDREN_SHARES, DATA_FILE, URGENT_SHARE, VISIBILITY_WEIGHTS, WOMEN_SHARE
from maillage.demo.synth_audit import AuditHistory, AuditPipe, ChainWriter
from maillage.demo.synth_follow_up import FollowUps
from maillage.housing.enums import HOLDING, UnitStatus
from maillage.housing.models import HousingUnit, Stay
from maillage.network.enums import OrganisationKind as Kind
from maillage.network.enums import Role
from maillage.network.models import CommuneReferent, Membership
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.models import Referral
from maillage.situations.enums import (
    ConsentAnswer,
    LegalGround,
    ParticipationReason,
    PersonRole,
    SituationStatus,
)
from maillage.situations.models import (
    Consent,
    Participation,
    Person,
    PersonNameToken,
    Situation,
    SituationCounter,
    TimelineEntry,
)
from maillage.situations.names import NAME_PARTS, name_words
from maillage.situations.services.report import reporter_legal_ground
from maillage.territories.models import Territory

BATCH_SIZE = 2000
DEFAULT_YEARS = 3
RESTRICTED_SHARE = 0.003
PERPETRATOR_SHARE = 0.85
REFERENT_SHARE = 0.75
REFERRAL_SHARE = 0.3
MEASURE_SHARE = 0.2
STAY_SHARE = {True: 0.3, False: 0.02}  # urgent or not
OK = ConsentAnswer
CONSENT_WEIGHTS = {
    False: {OK.GIVEN: 68, OK.REFUSED: 12, OK.NOT_ASKED: 20},
    True: {OK.GIVEN: 40, OK.REFUSED: 10, OK.NOT_ASKED: 50},
}
# Which kinds of organisation report a situation detected by each source (the demo names its partners).
REPORTING_KINDS = {
    "law_enforcement": [Kind.LAW_ENFORCEMENT],
    "iscg": [Kind.SOCIAL, Kind.LAW_ENFORCEMENT],
    "health": [Kind.HEALTH],
    "social_services": [Kind.SOCIAL, Kind.LOCAL_AUTHORITY],
    "school": [Kind.EDUCATION],
    "mayor_agent": [Kind.LOCAL_AUTHORITY],
    "association": [Kind.ASSOCIATION],
    "victim": [Kind.SOCIAL, Kind.ASSOCIATION, Kind.LAW_ENFORCEMENT],
    "relative": [Kind.LAW_ENFORCEMENT, Kind.SOCIAL],
}
DANGER_KINDS = (Kind.ASSOCIATION, Kind.HOUSING, Kind.JUSTICE)
RESTRICTION_REASON = "La victime travaille dans une organisation du réseau."


def reserve_pseudonyms(territory: Territory, years: list[int]) -> dict[int, int]:
    """Reserves as many numbers as `years` holds each year; returns the first number reserved per year."""
    first, counts = {}, Counter(years)
    with transaction.atomic():
        for year in sorted(counts):
            counter, _ = SituationCounter.objects.select_for_update().get_or_create(
                territory=territory, year=year
            )
            first[year] = counter.last_number + 1
            counter.last_number += counts[year]
            counter.save(update_fields=["last_number"])
    return first


class Synth(FollowUps, Draws):
    """Writes `count` situations in `territory`, spread over the last `years` years, with their audit history
    unless `audit` is False."""

    def __init__(self, territory: Territory, *, seed: int, years: int = DEFAULT_YEARS, now=None, audit=True):
        self.territory = territory
        self.data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        existing = Situation.objects.filter(territory=territory).count()
        self.rng = random.Random(f"{seed}/{existing}")  # noqa: S311 — fictional data, not security
        self.years = years
        self.now = now or timezone.now()
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate(self.now)
        self.read_network()
        self.audit = AuditHistory(self.rng) if audit else None
        self.tables = {model: Table(model) for model in WRITTEN if model is not AuditEntry}
        self.cumulated: dict[int, tuple] = {}

    def read_network(self) -> None:
        memberships = list(
            Membership.objects.active()
            .filter(territory=self.territory)
            .select_related("organisation", "user")
            .prefetch_related("role_set")
            .order_by("pk")
        )
        self.memberships = memberships
        roles = {m.pk: {r.role for r in m.role_set.all()} for m in memberships}
        coordinators = [m for m in memberships if Role.COORDINATOR in roles[m.pk]]
        if not coordinators:
            raise ValueError(f"Le territoire « {self.territory.name} » n'a pas de coordination.")
        self.coordinator = coordinators[0]
        self.professionals = [m for m in memberships if Role.PROFESSIONAL in roles[m.pk]] or coordinators
        self.by_kind: dict[str, list[Membership]] = {}
        self.by_organisation: dict[int, list[Membership]] = {}
        for membership in self.professionals:
            self.by_kind.setdefault(membership.organisation.kind, []).append(membership)
            self.by_organisation.setdefault(membership.organisation_id, []).append(membership)
        self.partners = sorted({m.organisation for m in self.professionals}, key=lambda o: o.pk)
        self.referents: dict[int, list[Membership]] = {}
        by_pk = {m.pk: m for m in memberships}
        for commune_id, membership_id in CommuneReferent.objects.filter(
            commune__territory=self.territory, membership_id__in=by_pk
        ).values_list("commune_id", "membership_id"):
            self.referents.setdefault(commune_id, []).append(by_pk[membership_id])
        self.communes = list(self.territory.communes.order_by("name"))
        units = HousingUnit.objects.filter(territory=self.territory, status=UnitStatus.AVAILABLE)
        # The nights each unit is taken, [arrival, departure) sorted, stays written before this run included.
        self.unit_nights = {unit: [] for unit in units.order_by("pk")}
        unit_by_pk = {unit.pk: unit for unit in self.unit_nights}
        for stay in Stay.objects.filter(unit__in=units, status__in=HOLDING).order_by("starts_on"):
            self.unit_nights[unit_by_pk[stay.unit_id]].append((stay.starts_on, stay.ends_on))
        self.unit_staff = {
            unit.pk: self.by_organisation.get(unit.organisation_id) or [self.coordinator]
            for unit in self.unit_nights
        }

    # ------------------------------------------------------------------------------------------- run

    def run(
        self,
        count: int,
        *,
        batch_size: int = BATCH_SIZE,
        progress: Callable | None = None,
        defer_indexes: bool | None = None,
        log: Callable | None = None,
    ) -> dict:
        """`defer_indexes` (PostgreSQL): drop the big tables' secondary indexes and constraints for the load
        and rebuild them after (bulk_indexes.py); by default from DEFER_FROM situations on, where it pays."""
        start = time.perf_counter()
        first_day = self.today - datetime.timedelta(days=365 * self.years)
        span = (self.today - first_day).days
        days = sorted(first_day + datetime.timedelta(days=self.rng.randrange(span)) for _ in range(count))
        next_number = reserve_pseudonyms(self.territory, [day.year for day in days])
        self.summary = dict.fromkeys(
            (
                "situations",
                "persons",
                "timeline",
                "participations",
                "audit",
                "stays",
                "referrals",
                "measures",
            ),
            0,
        )
        if defer_indexes is None:
            defer_indexes = count >= DEFER_FROM and not connection.in_atomic_block
        forked = connection.vendor == "postgresql" and not connection.in_atomic_block and count >= FORK_FROM
        with indexes_deferred(DEFERRED if defer_indexes else [], log=log):
            pipe = (
                AuditPipe(ChainWriter(self.territory.pk, self.memberships), forked=forked)
                if self.audit
                else None
            )
            for offset in range(0, count, batch_size):
                batch_days = days[offset : offset + batch_size]
                with transaction.atomic():
                    self.write_batch(batch_days, next_number)
                if pipe:
                    pipe.send(self.audit.flush())
                self.summary["situations"] += len(batch_days)
                if progress:
                    progress(self.summary["situations"], count, time.perf_counter() - start)
            self.summary["audit"] = pipe.close() if pipe else 0
            loaded = time.perf_counter()
        self.summary["index_seconds"] = time.perf_counter() - loaded
        analysed = time.perf_counter()
        analyse_after_bulk_load()
        self.summary["analyse_seconds"] = time.perf_counter() - analysed
        self.summary["seconds"] = time.perf_counter() - start
        return self.summary

    def write_batch(self, days: list[datetime.date], next_number: dict[int, int]) -> None:
        n = len(days)
        communes = deck(self.rng, {c: c.population for c in self.communes}, n)
        children = deck(self.rng, CHILDREN_SHARES, n)
        women = deck(self.rng, {True: WOMEN_SHARE, False: 1 - WOMEN_SHARE}, n)
        urgent = deck(self.rng, {True: URGENT_SHARE, False: 1 - URGENT_SHARE}, n)
        self.rows: dict[type, list] = {model: [] for model in WRITTEN}
        self.next_situation = reserve_ids(Situation, n)
        self.next_consent = reserve_ids(Consent, n)
        for i, day in enumerate(days):
            pseudonym = f"S-{day.year}-{next_number[day.year]:04d}"
            next_number[day.year] += 1
            self.situation(day, pseudonym, communes[i], children[i], women[i], urgent[i])
        rows = self.rows
        number(rows[Person], Person)
        rows[PersonNameToken] = [
            {"person": person, "situation": person["situation"], "part": part, "token": word}
            for person in rows[Person]
            for part in NAME_PARTS
            for word in words_of(person.get(part, ""))
        ]
        for model, table in self.tables.items():
            if model not in (Situation, Consent, Person):
                number(rows[model], model)
            table.write(rows[model])
        for key, model in (
            ("persons", Person),
            ("timeline", TimelineEntry),
            ("participations", Participation),
            ("stays", Stay),
            ("referrals", Referral),
            ("measures", ProtectiveMeasure),
        ):
            self.summary[key] += len(rows[model])

    def weighted(self, weights: dict):
        """Draws.weighted, the cumulated weights of each (constant) table computed once: the same draws."""
        cached = self.cumulated.get(id(weights))
        if cached is None or cached[0] is not weights:
            cached = self.cumulated[id(weights)] = (
                weights,
                list(weights),
                list(accumulate(weights.values())),
            )
        return self.rng.choices(cached[1], cum_weights=cached[2])[0]

    def public_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    # ---------------------------------------------------------------------------------- one situation

    def reporter(self, source: str, commune) -> Membership:
        if source == "mayor_agent" and self.referents.get(commune.pk):
            return self.rng.choice(self.referents[commune.pk])
        for kind in self.rng.sample(REPORTING_KINDS[source], len(REPORTING_KINDS[source])):
            if kind in self.by_kind:
                return self.rng.choice(self.by_kind[kind])
        return self.rng.choice(self.professionals)

    def situation(self, day, pseudonym, commune, children, woman, urgent) -> None:
        rng = self.rng
        reported_at = self.moment(day)
        sources = self.sources()
        reporter = self.reporter(sources[0], commune)
        length = rng.choice([rng.randint(30, 120), rng.randint(120, 300), rng.randint(120, 300)])
        closing = reported_at + datetime.timedelta(days=rng.choice([length, rng.randint(300, 600)]))
        closed = closing < self.now
        local = self.referents.get(commune.pk, [])
        referent = rng.choice(local) if local and rng.random() < REFERENT_SHARE else None
        restricted = rng.random() < RESTRICTED_SHARE
        situation = {
            "id": self.next_situation,
            "public_id": self.public_id(),
            "territory": self.territory,
            "pseudonym": pseudonym,
            "commune": commune,
            "detected_on": day - datetime.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5])),
            "sources": sources,
            "violence_types": self.violence_types(children),
            "urgent": urgent,
            "high_danger": urgent and rng.random() < 0.4,
            "referent": referent,
            "restricted": restricted,
            "restriction_reason": RESTRICTION_REASON if restricted else "",
            "created_by": reporter,
            "created_at": reported_at,
            "updated_at": closing if closed else reported_at,
            "version": rng.randint(1, 6),
        }
        self.next_situation += 1
        if closed:
            situation["status"] = SituationStatus.CLOSED
            situation["closed_at"] = closing
            situation["closure_reason"] = self.weighted(self.data["closure_weights"])
        elif referent or (self.now - reported_at).days > 14:
            situation["status"] = SituationStatus.FOLLOWED
        self.rows[Situation].append(situation)
        persons = self.write_persons(situation, woman, children, day)
        end = min(closing, self.now)
        answer, following = self.consent_and_participations(situation, reporter, reported_at, urgent, persons)
        self.timeline(situation, reporter, reported_at, end)
        if rng.random() < REFERRAL_SHARE:
            self.referral(situation, reporter, reported_at, end, answer, following, closed)
        if rng.random() < MEASURE_SHARE:
            self.measure(situation, reporter, day)
        if self.unit_nights and rng.random() < STAY_SHARE[urgent]:
            self.stay(situation, day, children, end)
        if self.audit:
            self.history(situation, reporter, reported_at, end, following)

    def history(self, situation, reporter, reported_at, end, following: set[int]) -> None:
        """What the trail holds besides the writes recorded as they were drawn: the referent's appointment,
        the closure and reads by the members following the situation."""
        audit, referent = self.audit, situation["referent"]
        if referent:
            audit.add(
                reported_at + datetime.timedelta(days=1),
                self.coordinator,
                AuditAction.SITUATION_REFERENT_ASSIGNED,
                situation,
                {"fields": ["referent"], "referent": [None, str(referent.public_id)]},
            )
        if situation.get("closed_at"):
            audit.add(
                situation["closed_at"],
                self.coordinator,
                AuditAction.SITUATION_CLOSED,
                situation,
                {"closure_reason": situation["closure_reason"]},
            )
        readers = [reporter, self.coordinator] + ([referent] if referent else [])
        for organisation in sorted(following):
            readers += self.by_organisation.get(organisation, [])
        audit.reads(situation, readers, reported_at + datetime.timedelta(hours=1), end)

    def write_persons(self, situation, woman, children, day) -> list[dict]:
        written = []
        for data in self.persons(woman, children):
            if data["role"] == PersonRole.VICTIM:
                birth = data.get("birth_date")
                data["age"] = day.year - birth.year if birth else self.rng.randint(18, 75)
            elif data["role"] == PersonRole.PERPETRATOR and self.rng.random() >= PERPETRATOR_SHARE:
                continue
            data["situation"] = situation
            data["public_id"] = self.public_id()
            written.append(data)
        self.rows[Person] += written
        return written

    def consent_and_participations(
        self, situation, reporter, reported_at, urgent, persons
    ) -> tuple[str, set[int]]:
        rng = self.rng
        answer = self.weighted(CONSENT_WEIGHTS[urgent])
        others = [o for o in self.partners if o.pk != reporter.organisation_id]
        consented = rng.sample(others, min(len(others), rng.randint(1, 3))) if answer == OK.GIVEN else []
        consent = {
            "id": self.next_consent,
            "situation": situation,
            "answer": answer,
            "recorded_on": reported_at.date(),
            "recorded_by": reporter,
            "recorded_at": reported_at,
        }
        self.next_consent += 1
        self.rows[Consent].append(consent)
        self.rows[CONSENTED] += [{"consent": consent, "organisation": o} for o in consented]
        ground = reporter_legal_ground(consent_answer=answer, urgent=urgent)
        participations = [(reporter.organisation, ParticipationReason.REPORTER, ground)]
        if consented:
            joined = rng.sample(consented, rng.randint(1, len(consented)))
            participations += [(o, ParticipationReason.ADDED, LegalGround.CONSENT) for o in joined]
        elif urgent or answer == OK.NOT_ASKED and rng.random() < 0.5:
            danger = [o for o in others if o.kind in DANGER_KINDS]
            if danger:
                participations.append(
                    (rng.choice(danger), ParticipationReason.ADDED, LegalGround.IMMEDIATE_DANGER)
                )
        if self.audit:
            self.audit.reported(
                situation, reporter, reported_at, persons, answer, [o.name for o in consented], ground
            )
        for number_, (organisation, reason, legal_ground) in enumerate(participations):
            added_at = reported_at + datetime.timedelta(days=rng.randint(1, 10) if number_ else 0)
            self.rows[Participation].append(
                {
                    "situation": situation,
                    "organisation": organisation,
                    "reason": reason,
                    "legal_ground": legal_ground,
                    "added_by": reporter if number_ == 0 else self.coordinator,
                    "added_at": added_at,
                }
            )
            if number_ and self.audit:
                self.audit.add(
                    added_at,
                    self.coordinator,
                    AuditAction.PARTICIPANT_ADDED,
                    situation,
                    {"organisation": organisation.name, "legal_ground": str(legal_ground)},
                )
        return answer, {organisation.pk for organisation, _reason, _ground in participations}

    def timeline(self, situation, reporter, reported_at, end) -> None:
        rng, notes = self.rng, self.data["notes"]
        writers = [reporter, self.coordinator] + ([situation["referent"]] if situation["referent"] else [])
        moments = [reported_at + datetime.timedelta(minutes=20)]
        span = max((end - reported_at).days - 1, 1)
        moments += sorted(
            reported_at + datetime.timedelta(days=rng.randint(1, span)) for _ in range(rng.randint(0, 3))
        )
        for number_, moment in enumerate(moments):
            if moment >= end:
                break
            author = reporter if number_ == 0 else rng.choice(writers)
            kind_key = author.organisation.kind if author.organisation.kind in notes else Kind.LOCAL_AUTHORITY
            kind, body = rng.choice(notes[kind_key])
            entry = {
                "public_id": self.public_id(),
                "situation": situation,
                "kind": kind,
                "visibility": self.weighted(VISIBILITY_WEIGHTS),
                "medical": author.organisation.kind == Kind.HEALTH,
                "body": body,
                "author": author,
                "organisation": author.organisation,
                "occurred_on": timezone.localdate(moment),
                "created_at": moment,
            }
            self.rows[TimelineEntry].append(entry)
            if self.audit:
                self.audit.add(
                    moment,
                    author,
                    AuditAction.TIMELINE_ADDED,
                    situation,
                    {
                        "entry": str(entry["public_id"]),
                        "kind": str(kind),
                        "visibility": str(entry["visibility"]),
                        "medical": entry["medical"],
                        "channel": "",
                    },
                )


CONSENTED = Consent.organisations.through
# In writing order: a row's foreign keys point to rows written before it.
WRITTEN = (
    Situation,
    Person,
    PersonNameToken,
    Consent,
    CONSENTED,
    Participation,
    Referral,
    TimelineEntry,
    ProtectiveMeasure,
    Stay,
    AuditEntry,
)
# The words of a name (situations.names), computed once per name: synthetic names come from short lists.
words_of = functools.lru_cache(maxsize=100_000)(name_words)
# The tables that grow by millions, whose indexes are rebuilt after a large load (bulk_indexes.py).
DEFERRED = (Situation, Person, PersonNameToken, Consent, CONSENTED, Participation, TimelineEntry, AuditEntry)
DEFER_FROM = 50_000
# From how many situations the audit trail is written by a second process (PostgreSQL, outside a transaction).
FORK_FROM = 10_000
