"""Protective measures of the demonstration: complaints, TGDs, bracelets, protection orders (one provisional),
an eviction — some ending within the reminder period, so that `maillage worker` reminds them on the first
day. Written through the real services once the situations' history is replayed, by the coordination or
the organisation that reported the situation, on open situations only (a closed one keeps its record
unchanged). Draws come from a fixed seed."""

import datetime
import random

from django.utils import timezone

from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.protection import services
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.situations import policies
from maillage.situations.enums import DetectionSource, SituationStatus
from maillage.situations.models import Situation
from maillage.territories.models import Territory

SEED = 20221125  # 25 November: the day against violence against women
DAY = datetime.timedelta(days=1)

K, A, S = MeasureKind, Authority, MeasureStatus
# (kind, authority, status, days since it started or was asked for, days until its end or None, detected
# at least this many days ago). The first five end within the reminder period (30 days by default).
PLAN = [
    (K.TGD, A.PARQUET, S.IN_FORCE, 170, None, 175),
    (K.TGD, A.PARQUET, S.IN_FORCE, 160, None, 165),
    (K.PROTECTION_ORDER, A.JAF, S.IN_FORCE, 350, None, 355),
    (K.BAR, A.CRIMINAL_COURT, S.IN_FORCE, 150, 12, 155),
    (K.EVICTION, A.PARQUET, S.IN_FORCE, 60, 21, 65),
    (K.BAR, A.JAF, S.IN_FORCE, 40, 140, 45),
    (K.PROTECTION_ORDER, A.JAF, S.IN_FORCE, 90, None, 95),
    (K.PROVISIONAL_ORDER, A.JAF, S.ENDED, 20, -14, 25),
    (K.PROTECTION_ORDER, A.JAF, S.REQUESTED, 6, None, 10),
    (K.TGD, A.PARQUET, S.REFUSED, 45, None, 50),
    (K.TGD, A.PARQUET, S.REQUESTED, 3, None, 5),
]
COMPLAINT_SHARE = 0.6  # of open situations detected by law enforcement


def load_measures(territory: Territory) -> int:
    """Records the demo's measures on the open situations of `territory`; returns how many."""
    rng = random.Random(SEED)  # noqa: S311 — fictional demo data, not security
    today = timezone.localdate()
    open_situations = list(
        Situation.objects.filter(territory=territory)
        .exclude(status=SituationStatus.CLOSED)
        .exclude(restricted=True)
        .select_related("created_by__user", "created_by__organisation")
        .order_by("detected_on", "pk")
    )
    recorded = 0
    used: set[int] = set()
    for kind, authority, status, since, until, detected_before in PLAN:
        candidates = [
            s
            for s in open_situations
            if s.pk not in used and s.detected_on <= today - datetime.timedelta(days=detected_before)
        ]
        if not candidates:
            continue
        situation = rng.choice(candidates)
        used.add(situation.pk)
        start = today - datetime.timedelta(days=since)
        values = {"requested_on": start - 2 * DAY}
        if status in (S.IN_FORCE, S.ENDED):
            values.update(decided_on=start, starts_on=start)
            if until is not None:
                values["ends_on"] = today + datetime.timedelta(days=until)
        elif status == S.REFUSED:
            values.update(requested_on=start, decided_on=start + 3 * DAY)
        else:
            values["requested_on"] = start
        services.measure_record(
            actor=_recorder(situation),
            situation=situation,
            kind=kind,
            authority=authority,
            status=status,
            **values,
        )
        recorded += 1
    for situation in open_situations:
        if DetectionSource.LAW_ENFORCEMENT in situation.sources and rng.random() < COMPLAINT_SHARE:
            filed = min(situation.detected_on + datetime.timedelta(days=rng.randint(0, 3)), today)
            services.measure_record(
                actor=_recorder(situation),
                situation=situation,
                kind=K.COMPLAINT,
                authority=rng.choice([A.GENDARMERIE, A.GENDARMERIE, A.POLICE]),
                status=S.IN_FORCE,
                requested_on=filed,
                starts_on=filed,
            )
            recorded += 1
    return recorded


def _recorder(situation: Situation) -> Actor:
    """The member who reported the situation when they still see it, else a coordinator who sees it."""
    members = {
        m.pk: m
        for m in policies.memberships_seeing(situation)
        .select_related("user", "organisation")
        .prefetch_related("role_set", "referent_of")
    }
    membership = members.get(situation.created_by_id) or next(
        m for m in members.values() if Role.COORDINATOR in m.roles
    )
    return Actor.from_membership(membership.user, membership, [membership])
