"""The audit history of synthetic situations: what the services and the pages would have recorded over each
situation's life (the report, its persons, the organisations added, the notes, the referrals, measures and
stays, the closure, and reads of the situation and its identities), as real chained `AuditEntry` rows.

Each batch's events are sorted by their moment and chained after the head, which is locked for the batch
and moved as `record()` does; every hash is the model's own (`chained_hash`). The moments are those of the
events, years ago: a backfilled history, so from one batch to the next the times go back. Entries carry the
situation's public id, its territory and the member who acted (account, membership, organisation); their
`changes` hold facts and public ids, never an identity (names, dates of birth, phones stay encrypted in the
persons' rows)."""

import datetime
import random

from django.db import connection

from maillage.audit.benchmark import BROWSERS
from maillage.audit.enums import AuditAction as A
from maillage.audit.models import HASHED_FIELDS, HEAD_PK, AuditChainHead, AuditEntry, chained_hash
from maillage.audit.services import LOCK_HEAD, MOVE_HEAD
from maillage.demo.bulk import Table, number

OBJECT_TYPE = "situations.situation"
IDENTITY_FIELDS = ("first_name", "last_name", "birth_name", "birth_date", "phone", "email", "address")
READ_PARTS = ("", "", "", "tasks", "history")


class AuditHistory:
    """Collects the events of a batch (`add`), then writes them chained (`write`)."""

    def __init__(self, rng: random.Random, territory_id: int, memberships):
        self.rng = rng
        self.territory_id = territory_id
        # Who acts, as the trail records them: account, label, membership, organisation; and from where.
        self.who = {
            m.pk: (
                m.user_id,
                m.user.email,
                m.pk,
                m.organisation_id,
                f"10.{m.organisation_id % 250}.{m.pk % 250}.",
            )
            for m in memberships
        }
        self.browser = {m.pk: BROWSERS[m.pk % len(BROWSERS)] for m in memberships}
        self.events: list[tuple] = []
        self.table = Table(AuditEntry)
        self.written = 0

    def add(self, at: datetime.datetime, membership, action: str, situation: dict, changes: dict) -> None:
        self.events.append((at, len(self.events), membership.pk, action, situation["public_id"], changes))

    # ------------------------------------------------------------------------------- a situation's life

    def reported(self, situation, reporter, at, persons, consent, consent_names, ground) -> None:
        self.add(
            at,
            reporter,
            A.SITUATION_REPORTED,
            situation,
            {
                "pseudonym": situation["pseudonym"],
                "urgent": situation["urgent"],
                "sources": situation["sources"],
                "violence_types": situation["violence_types"],
                "persons": {
                    role: sum(p["role"] == role for p in persons)
                    for role in ("victim", "child", "perpetrator")
                },
                "consent": str(consent),
                "consent_organisations": sorted(consent_names),
                "legal_ground": str(ground),
                "safe_channels": [],
            },
        )
        for number_, person in enumerate(persons):
            self.add(
                at + datetime.timedelta(seconds=30 * (number_ + 1)),
                reporter,
                A.PERSON_ADDED,
                situation,
                {
                    "person": str(person["public_id"]),
                    "role": str(person["role"]),
                    "fields": sorted(n for n in IDENTITY_FIELDS if person.get(n) not in (None, "")),
                },
            )

    def reads(self, situation, readers: list, start: datetime.datetime, end: datetime.datetime) -> None:
        """A few reads by the members following it: the page, sometimes the identities."""
        rng = self.rng
        span = max(int((end - start).total_seconds()), 60)
        for _ in range(rng.randint(2, 4)):
            reader = rng.choice(readers)
            at = start + datetime.timedelta(seconds=rng.randrange(span))
            part = rng.choice(READ_PARTS)
            self.add(
                at,
                reader,
                A.SITUATION_VIEWED,
                situation,
                {"emergency": False, **({"part": part} if part else {})},
            )
            if not part and rng.random() < 0.35:
                self.add(at, reader, A.SITUATION_IDENTITY_VIEWED, situation, {"emergency": False})

    # ---------------------------------------------------------------------------------------- writing

    def write(self) -> int:
        """Chains the batch's events after the head and writes them, in the caller's transaction."""
        events, self.events = sorted(self.events), []
        if not events:
            return 0
        lock = LOCK_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
        AuditChainHead.objects.get_or_create(pk=HEAD_PK)
        with connection.cursor() as cursor:
            cursor.execute(lock, [HEAD_PK])
            sequence, previous = cursor.fetchone()
        rows = []
        territory = self.territory_id
        for at, _order, membership, action, public_id, changes in events:
            user_id, label, membership_id, organisation_id, ip = self.who[membership]
            sequence += 1
            values = (
                sequence,
                at,
                user_id,
                label,
                membership_id,
                organisation_id,
                territory,
                None,
                str(action),
                OBJECT_TYPE,
                public_id,
                f"{ip}{sequence % 250 + 1}",
                self.browser[membership],
                changes,
                previous,
            )
            previous = chained_hash(values)
            row = dict(zip(HASHED_FIELDS, values, strict=True))
            row["hash"] = previous
            rows.append(row)
        number(rows, AuditEntry)
        self.table.write(rows)
        with connection.cursor() as cursor:
            cursor.execute(MOVE_HEAD, [sequence, previous, HEAD_PK])
        self.written += len(rows)
        return len(rows)
