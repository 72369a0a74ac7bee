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
import multiprocessing
import queue
import random
from json import dumps

from django.db import connection, transaction

from maillage.audit.benchmark import BROWSERS
from maillage.audit.enums import AuditAction as A
from maillage.audit.models import HASHED_FIELDS, HEAD_PK, AuditChainHead, AuditEntry, chained_hash
from maillage.audit.services import LOCK_HEAD, MOVE_HEAD
from maillage.demo.bulk import Table, reserve_ids

OBJECT_TYPE = "situations.situation"
IDENTITY_FIELDS = ("first_name", "last_name", "birth_name", "birth_date", "phone", "email", "address")
READ_PARTS = ("", "", "", "tasks", "history")


class AuditHistory:
    """Collects the events of a batch (`add`, and a situation's life), for a ChainWriter (`flush`)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.events: list[tuple] = []

    def add(self, at: datetime.datetime, membership, action: str, situation: dict, changes: dict) -> None:
        self.events.append(
            (at, len(self.events), membership.pk, str(action), situation["public_id"], changes)
        )

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
        for _ in range(rng.randint(1, 3)):
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

    def flush(self) -> list[tuple]:
        """The batch's events, handed to a ChainWriter; the next batch starts empty."""
        events, self.events = self.events, []
        return events


class ChainWriter:
    """Chains events after the head and writes them (PostgreSQL's COPY, else INSERT), in the caller's
    transaction. Holds only plain values, so that it can work in another process (`AuditPipe`)."""

    def __init__(self, territory_id: int, memberships):
        self.territory_id = territory_id
        # Who acts, as the trail records them: account, label, membership, organisation; and from where (by
        # the member's rank, not the ids: the same seed draws the same addresses and browsers).
        self.who = {
            m.pk: (m.user_id, m.user.email, m.pk, m.organisation_id, f"10.{rank // 250 % 250}.{rank % 250}.")
            for rank, m in enumerate(memberships)
        }
        self.browser = {m.pk: BROWSERS[rank % len(BROWSERS)] for rank, m in enumerate(memberships)}

    def write(self, events: list[tuple]) -> int:
        events = sorted(events)
        if not events:
            return 0
        lock = LOCK_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
        AuditChainHead.objects.get_or_create(pk=HEAD_PK)
        with connection.cursor() as cursor:
            cursor.execute(lock, [HEAD_PK])
            sequence, previous = cursor.fetchone()
        first_id = reserve_ids(AuditEntry, len(events))
        rows = []
        territory, who, browser = self.territory_id, self.who, self.browser
        for at, _order, membership, action, public_id, changes in events:
            user_id, label, membership_id, organisation_id, ip = who[membership]
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
                action,
                OBJECT_TYPE,
                public_id,
                f"{ip}{sequence % 250 + 1}",
                browser[membership],
                changes,
                previous,
            )
            previous = chained_hash(values)
            rows.append((first_id + len(rows), *values, previous))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(COPY_ENTRIES) as copy:
                for row in rows:
                    copy.write_row((*row[:CHANGES], dumps(row[CHANGES]), *row[CHANGES + 1 :]))
        else:
            Table(AuditEntry).write([dict(zip(ENTRY_COLUMNS, row, strict=True)) for row in rows])
        with connection.cursor() as cursor:
            cursor.execute(MOVE_HEAD, [sequence, previous, HEAD_PK])
        return len(rows)


class AuditPipe:
    """Hands each batch's events to a ChainWriter: in this process, or, for large loads on PostgreSQL, in a
    forked one with its own connection, so that hashing and writing the trail run beside the generation of
    the next batch (the chain stays one: a single writer takes the batches in order)."""

    def __init__(self, writer: ChainWriter, *, forked: bool):
        self.writer, self.process, self.written = writer, None, 0
        if forked:
            context = multiprocessing.get_context("fork")
            self.queue, self.results = context.Queue(maxsize=2), context.Queue()
            connection.close()  # each process opens its own
            self.process = context.Process(
                target=_serve, args=(writer, self.queue, self.results), daemon=True
            )
            self.process.start()

    def send(self, events: list[tuple]) -> None:
        if self.process is None:
            with transaction.atomic():  # the head locked from its reading to its move
                self.written += self.writer.write(events)
            return
        while True:
            try:
                self.queue.put(events, timeout=5)
                return
            except queue.Full:
                if not self.process.is_alive():
                    raise RuntimeError(self._failure()) from None

    def close(self) -> int:
        """Waits for the batches sent; returns how many entries were written."""
        if self.process is not None:
            if self.process.is_alive():
                self.queue.put(None)
            outcome = self._failure()
            self.process.join()
            self.process = None
            if isinstance(outcome, str):
                raise RuntimeError(outcome)
            self.written = outcome
        return self.written

    def _failure(self):
        try:
            return self.results.get(timeout=3600)
        except queue.Empty:
            return "Le processus d'écriture du journal d'audit ne répond plus."


def _serve(writer: ChainWriter, batches, results) -> None:
    written = 0
    try:
        while (events := batches.get()) is not None:
            with transaction.atomic():
                written += writer.write(events)
    except Exception as error:  # noqa: BLE001 — reported to the parent, which raises it
        results.put(f"Écriture du journal d'audit interrompue : {error!r}")
        return
    finally:
        connection.close()
    results.put(written)


ENTRY_COLUMNS = ("id", *HASHED_FIELDS, "hash")
CHANGES = ENTRY_COLUMNS.index("changes")
# The model's own column names, in the order of ENTRY_COLUMNS; every value travels as data.
COPY_ENTRIES = "COPY {} ({}) FROM STDIN".format(
    AuditEntry._meta.db_table, ", ".join(AuditEntry._meta.get_field(name).column for name in ENTRY_COLUMNS)
)
