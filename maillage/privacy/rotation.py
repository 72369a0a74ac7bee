"""Key rotation: re-encrypt values and recompute blind indexes under the active keys, batch by batch.

Every model with encrypted fields is found through the app registry. A row is *pending* when one of its
encrypted values is not under the active data key, or one of its blind indexes is not under the active
index key (or is missing, or left over from a value since emptied). Each batch is one transaction that
locks its rows (`select_for_update`), decrypts them, and writes them back under the active keys: an
interruption loses at most the batch in progress, which rolls back, and a new run picks up the rows still
pending.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.apps import apps
from django.db import connections, models, router, transaction
from django.db.models import Count, ExpressionWrapper, F, Q

from maillage.privacy import mfa_adapter
from maillage.privacy.crypto import VERSION, token_key_id
from maillage.privacy.fields import BlindIndexField, EncryptedFieldMixin
from maillage.privacy.keys import DATA, INDEX, keyring

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedModel:
    model: type[models.Model]
    encrypted: tuple[models.Field, ...]
    indexes: tuple[BlindIndexField, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def fields(self) -> tuple[models.Field, ...]:
        return (*self.encrypted, *self.indexes)

    def rows(self) -> models.QuerySet:
        """Every row, with each encrypted or index column also readable as stored (`stored_<attname>`)."""
        return self.model._base_manager.alias(**{_stored(field): _raw(field) for field in self.fields})


@dataclass(frozen=True)
class FieldUsage:
    label: str  # "testapp.Person.last_name"
    family: str  # keys.DATA or keys.INDEX
    counts: dict[str, int]  # key id → number of values under it
    unknown: int  # values under a key the keyring does not have
    plaintext: int = 0  # second-factor secrets written before they were encrypted


def encrypted_models() -> list[EncryptedModel]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = model._meta.local_concrete_fields
        encrypted = tuple(f for f in fields if isinstance(f, EncryptedFieldMixin))
        indexes = tuple(f for f in fields if isinstance(f, BlindIndexField))
        if encrypted or indexes:
            found.append(EncryptedModel(model=model, encrypted=encrypted, indexes=indexes))
    return found


def _stored(field: models.Field) -> str:
    return f"stored_{field.attname}"


def _raw(field: models.Field) -> ExpressionWrapper:
    # Read the column as plain text: no decryption, and lookups that encrypted fields refuse become possible.
    return ExpressionWrapper(F(field.attname), output_field=models.TextField())


def _filled(field: models.Field) -> Q:
    return Q(**{f"{_stored(field)}__isnull": False}) & ~Q(**{_stored(field): ""})


def _under(field: models.Field, prefix: str) -> Q:
    return Q(**{f"{_stored(field)}__startswith": prefix})


def _data_prefix(key_id: str) -> str:
    return f"{VERSION}:{key_id}:"


def _index_prefix(key_id: str) -> str:
    return f"{key_id}:"


def pending(spec: EncryptedModel) -> Q:
    ring = keyring()
    condition = Q(pk__in=[])
    for field in spec.encrypted:
        condition |= _filled(field) & ~_under(field, _data_prefix(ring.active_id(DATA)))
    for index in spec.indexes:
        source = spec.model._meta.get_field(index.source)
        stale = _filled(index) & ~_under(index, _index_prefix(ring.active_id(INDEX)))
        missing = Q(**{f"{_stored(index)}__isnull": True}) & _filled(source)
        orphan = _filled(index) & ~_filled(source)
        condition |= stale | missing | orphan
    return condition


def pending_count(spec: EncryptedModel) -> int:
    return spec.rows().filter(pending(spec)).count()


def rewrite(spec: EncryptedModel, rows: list[models.Model], *, using: str) -> None:
    """Write rows back: values under the active data key, indexes recomputed with the active index key."""
    for row in rows:
        for index in spec.indexes:
            setattr(row, index.attname, index.index_of(row))
    # One statement run for the whole batch: QuerySet.bulk_update() builds CASE expressions costing seconds
    # per thousand rows, and one update() per row costs a round trip each. Values go through each field's
    # get_db_prep_save(), which encrypts exactly as save() does.
    connection = connections[using]
    quote = connection.ops.quote_name
    pk = spec.model._meta.pk
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in spec.fields)
    sql = f"UPDATE {quote(spec.model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in spec.fields]
        + [pk.get_db_prep_save(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rotate_batch(spec: EncryptedModel, *, after_pk, batch_size: int) -> list[models.Model]:
    """Bring up to `batch_size` pending rows (primary key above `after_pk`) under the active keys at once."""
    using = router.db_for_write(spec.model)
    with transaction.atomic(using=using):
        rows = spec.rows().using(using).select_for_update().filter(pending(spec))
        if after_pk is not None:
            rows = rows.filter(pk__gt=after_pk)
        batch = list(rows.order_by("pk").only(*(field.name for field in spec.fields))[:batch_size])
        if batch:
            rewrite(spec, batch, using=using)
    return batch


def rotate_model(
    spec: EncryptedModel,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Rotate every pending row of one model; returns how many rows were rewritten."""
    total = pending_count(spec)
    done = 0
    after_pk = None
    if progress:
        progress(spec.label, done, total)
    while batch := rotate_batch(spec, after_pk=after_pk, batch_size=batch_size):
        after_pk = batch[-1].pk
        done += len(batch)
        if progress:
            progress(spec.label, done, max(total, done))
    return done


def key_usage() -> Iterator[FieldUsage]:
    """How many values of each encrypted field and blind index each key holds (one query per model)."""
    ring = keyring()
    for spec in encrypted_models():
        aggregates: dict[str, Count] = {}
        plan = []
        for field in spec.fields:
            family = INDEX if isinstance(field, BlindIndexField) else DATA
            prefix = _index_prefix if family == INDEX else _data_prefix
            total_name = f"n{len(aggregates)}"
            aggregates[total_name] = Count("pk", filter=_filled(field))
            per_key = {}
            for key_id in ring.ids(family):
                name = f"n{len(aggregates)}"
                aggregates[name] = Count("pk", filter=_filled(field) & _under(field, prefix(key_id)))
                per_key[key_id] = name
            plan.append((field, family, total_name, per_key))
        result = spec.rows().aggregate(**aggregates)
        for field, family, total_name, per_key in plan:
            counts = {key_id: result[name] for key_id, name in per_key.items() if result[name]}
            yield FieldUsage(
                label=f"{spec.label}.{field.name}",
                family=family,
                counts=counts,
                unknown=result[total_name] - sum(counts.values()),
            )
    if mfa_adapter.secrets_encrypted():
        yield _mfa_usage()


MFA_LABEL = "mfa.Authenticator.data"
MFA_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


def _mfa_pending(data: dict, active: str) -> bool:
    return any(token_key_id(value) != active for value in mfa_adapter.stored_secrets(data))


def rotate_mfa_secrets(
    *, batch_size: int = DEFAULT_BATCH_SIZE, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Second-factor secrets under the active data key (and out of clear text), when the adapter seals them.

    Authenticators are few (one or two per account) and their secrets sit inside JSON: pending ones are
    picked in Python, batch by batch, each batch in its own transaction.
    """
    if not mfa_adapter.secrets_encrypted():
        return 0
    authenticators = Authenticator.objects.filter(type__in=MFA_TYPES)
    active = keyring().active_id(DATA)
    total = sum(_mfa_pending(data, active) for data in authenticators.values_list("data", flat=True))
    done = 0
    after_pk = 0
    if progress:
        progress(MFA_LABEL, done, total)
    while True:
        with transaction.atomic():
            batch = list(
                authenticators.select_for_update().filter(pk__gt=after_pk).order_by("pk")[:batch_size]
            )
            active = keyring().active_id(DATA)
            changed = [row for row in batch if _mfa_pending(row.data, active)]
            for row in changed:
                row.data = mfa_adapter.reencrypt_secrets(row.data)
            Authenticator.objects.bulk_update(changed, ["data"])
        if not batch:
            return done
        after_pk = batch[-1].pk
        done += len(changed)
        if progress and changed:
            progress(MFA_LABEL, done, max(total, done))


def _mfa_usage() -> FieldUsage:
    ring = keyring()
    counts: dict[str, int] = {}
    unknown = plaintext = 0
    for data in Authenticator.objects.filter(type__in=MFA_TYPES).values_list("data", flat=True):
        for value in mfa_adapter.stored_secrets(data):
            key_id = token_key_id(value)
            if key_id is None:
                plaintext += 1
            elif key_id in ring.keys[DATA]:
                counts[key_id] = counts.get(key_id, 0) + 1
            else:
                unknown += 1
    return FieldUsage(label=MFA_LABEL, family=DATA, counts=counts, unknown=unknown, plaintext=plaintext)


def values_using(key_id: str) -> dict[str, int]:
    """Field label → number of values under `key_id` (either family), for fields that still use it."""
    return {usage.label: usage.counts[key_id] for usage in key_usage() if usage.counts.get(key_id)}
