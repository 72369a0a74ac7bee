"""`backup_create` and `backup_restore`: the manifest, and every check a restore makes before it writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.audit.verify import Verification, parse_expected_head, verify_chain
from maillage.backup import archive
from maillage.backup.archive import ArchiveDamaged, ArchiveError
from maillage.backup.engines import (
    ENGINE_NAMES,
    EngineError,
    check_source,
    describe,
    dump,
    engine,
    is_empty,
    load,
)
from maillage.privacy.keys import BACKUP, DATA, FAMILIES, INDEX, Keyring, KeyUnavailable, keyring
from maillage.privacy.rotation import key_usage


class BackupError(Exception):
    """A backup or a restore refused. The message is in French."""


# Every refusal, each with its French message: the commands turn them into an exit status of 1. A database
# that cannot be reached (DatabaseError) is one too: its driver's message says why.
REFUSALS = (BackupError, ArchiveError, EngineError, KeyUnavailable, DatabaseError)


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int  # bytes of the archive
    manifest: dict
    unknown_values: int  # values under a key the keyring lacks: already unreadable, said in the summary


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict
    target: str
    verification: Verification
    unapplied_migrations: list[str]


def backup_create(*, output: Path, force: bool = False) -> BackupReport:
    connection = connections[DEFAULT_DB_ALIAS]
    output = output.absolute()
    if output.exists() and not force:
        raise BackupError(f"{output} existe déjà : choisissez un autre nom, ou --force pour le remplacer.")
    if not output.parent.is_dir():
        raise BackupError(f"Le répertoire {output.parent} n'existe pas.")
    ring = keyring()
    backup_id = ring.active_backup_id()
    source_engine = engine(connection)
    check_source(connection)
    with transaction.atomic():
        # The entry is in the backup, and it is the head the manifest names.
        audit.record(
            actor=audit.console_actor(),
            action=AuditAction.BACKUP_CREATED,
            changes={"engine": source_engine, "backup_key": backup_id},
        )
    # Read before the dump: the trail only grows, so the dump holds this head; keys as well, plus the
    # active ones, which a write during the dump may use.
    head = AuditEntry.objects.newest_first().only("sequence", "hash").first()
    needed, unknown = _keys_needed(ring)
    applied = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    with tempfile.TemporaryDirectory(prefix="maillage-backup-") as work:
        plain = Path(work) / "dump"
        dump(connection, plain)
        manifest = {
            "format": "maillage-backup",
            "format_version": archive.FORMAT_VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "maillage_version": version("maillage"),
            "engine": source_engine,
            "migrations": applied,
            "audit_head": f"{head.sequence}:{head.hash}" if head else None,
            "keys": needed,
            "backup_key": {"id": backup_id, "fingerprint": ring.fingerprint(BACKUP, backup_id)},
            "payload": {"sha256": _sha256(plain), "size": plain.stat().st_size},
            "salt": archive.new_salt(),
        }
        _write_atomically(output, plain, manifest, ring.key(BACKUP, backup_id), force=force)
    return BackupReport(path=output, size=output.stat().st_size, manifest=manifest, unknown_values=unknown)


def read_manifest(path: Path) -> dict:
    """The manifest as written, readable without any key (and not yet authenticated)."""
    try:
        with path.open("rb") as stream:
            return archive.read_manifest(stream)[0]
    except FileNotFoundError:
        raise BackupError(f"Le fichier {path} n'existe pas.") from None


def backup_restore(*, path: Path) -> RestoreReport:
    connection = connections[DEFAULT_DB_ALIAS]
    target_engine = engine(connection)
    manifest = read_manifest(path)
    if (
        manifest.get("format") != "maillage-backup"
        or manifest.get("format_version") != archive.FORMAT_VERSION
    ):
        raise BackupError(
            f"Format de sauvegarde {manifest.get('format_version')!r} inconnu de cette version de Maillage "
            "(ou archive corrompue). Rien n'a été écrit dans la base."
        )
    ring = keyring()
    backup_key = _backup_key(ring, manifest)
    _require_empty(connection)
    with tempfile.TemporaryDirectory(prefix="maillage-restore-") as work:
        plain = Path(work) / "dump"
        # Every byte is decrypted and authenticated before anything reaches the target.
        with plain.open("wb") as target:
            manifest, digest, size = archive.decrypt(path, target, backup_key=backup_key)
        payload = manifest.get("payload") or {}
        if (digest, size) != (payload.get("sha256"), payload.get("size")):
            raise ArchiveDamaged(
                "L'archive est corrompue : son contenu déchiffré ne correspond pas à l'empreinte du "
                "manifeste. Elle est refusée et rien n'a été écrit dans la base."
            )
        _check_engine(manifest, target_engine)
        _check_data_keys(ring, manifest)
        _check_migrations(manifest)
        _require_empty(connection)
        load(connection, plain)
    head = manifest.get("audit_head")
    verification = verify_chain(expect=parse_expected_head(head) if head else None)
    if verification.ok:
        with transaction.atomic():
            audit.record(
                actor=audit.console_actor(),
                action=AuditAction.BACKUP_RESTORED,
                changes={"created_at": manifest.get("created_at"), "audit_head": head},
            )
    return RestoreReport(
        manifest=manifest,
        target=describe(connection),
        verification=verification,
        unapplied_migrations=_unapplied(connection),
    )


def _keys_needed(ring: Keyring) -> tuple[dict[str, dict[str, str]], int]:
    """Family → key id → fingerprint of every key a value uses, and the active ones; values whose key the
    keyring lacks are counted apart."""
    ids: dict[str, set[str]] = {family: {ring.active_id(family)} for family in FAMILIES}
    unknown = 0
    for usage in key_usage():
        ids[usage.family] |= set(usage.counts)
        unknown += usage.unknown
    needed = {
        family: {key_id: ring.fingerprint(family, key_id) for key_id in sorted(ids[family])}
        for family in FAMILIES
    }
    return needed, unknown


def _backup_key(ring: Keyring, manifest: dict) -> bytes:
    expected = manifest.get("backup_key") or {}
    key_id = str(expected.get("id"))
    if key_id not in ring.keys[BACKUP]:
        raise BackupError(
            f"La clé de sauvegarde « {key_id} » de cette archive est absente de {ring.source} : restaurez "
            "d'abord les clés sauvegardées à part (répertoire des clés ou variables MAILLAGE_BACKUP_KEYS), "
            "puis relancez la restauration. Rien n'a été écrit dans la base."
        )
    if ring.fingerprint(BACKUP, key_id) != expected.get("fingerprint"):
        raise BackupError(
            f"La clé de sauvegarde « {key_id} » de {ring.source} n'est pas celle de cette archive (empreinte "
            "différente) : restaurez les clés de la même installation. Rien n'a été écrit dans la base."
        )
    return ring.key(BACKUP, key_id)


def _require_empty(connection) -> None:
    if not is_empty(connection):
        raise BackupError(
            f"La base cible {describe(connection)} n'est pas vide : la restauration n'écrit que dans une "
            "base vide (un nouveau fichier SQLite, ou une base PostgreSQL créée pour l'occasion, sans "
            "table). Rien n'a été écrit."
        )


def _check_engine(manifest: dict, target_engine: str) -> None:
    source = manifest.get("engine")
    if source == target_engine:
        return
    example = (
        "DATABASE_URL=postgres://utilisateur@hôte:5432/base_vide"
        if source == "postgresql"
        else "DATABASE_URL=sqlite:////chemin/vers/nouvelle-base.sqlite3"
    )
    raise BackupError(
        f"Cette archive vient d'une base {ENGINE_NAMES.get(source, source)} et la base cible est "
        f"{ENGINE_NAMES[target_engine]} : restaurez-la dans une base vide du même moteur ({example}). "
        "Rien n'a été écrit dans la base."
    )


def _check_data_keys(ring: Keyring, manifest: dict) -> None:
    problems = []
    needed = manifest.get("keys") or {}
    for family, label in ((DATA, "de données"), (INDEX, "d'index")):
        for key_id, fingerprint in sorted((needed.get(family) or {}).items()):
            if key_id not in ring.keys[family]:
                problems.append(f"clé {label} « {key_id} » absente")
            elif ring.fingerprint(family, key_id) != fingerprint:
                problems.append(f"clé {label} « {key_id} » différente (autre empreinte)")
    if problems:
        raise BackupError(
            f"Les clés de {ring.source} ne sont pas celles dont les données de cette archive ont besoin : "
            f"{' ; '.join(problems)}. Restaurez d'abord les clés sauvegardées avec cette installation "
            "(celles des rotations passées comprises), puis relancez. Rien n'a été écrit dans la base."
        )


def _check_migrations(manifest: dict) -> None:
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations") or []) - known)
    if unknown:
        raise BackupError(
            f"Cette archive vient d'une version plus récente de Maillage (migrations inconnues ici : "
            f"{', '.join(unknown[:5])}{'…' if len(unknown) > 5 else ''}) : installez au moins la version "
            f"{manifest.get('maillage_version')} avant de restaurer. Rien n'a été écrit dans la base."
        )


def _unapplied(connection) -> list[str]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        f"{app}.{name}" for app, name in set(loader.disk_migrations) - set(loader.applied_migrations)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(archive.CHUNK_SIZE):
            digest.update(block)
    return digest.hexdigest()


def _write_atomically(output: Path, plain: Path, manifest: dict, key: bytes, *, force: bool) -> None:
    """A temporary file beside the target (mode 600), synced, then renamed: never half an archive."""
    fd, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partiel")
    try:
        with os.fdopen(fd, "wb") as target, plain.open("rb") as source:
            archive.write(source, target, manifest=manifest, backup_key=key)
            target.flush()
            os.fsync(target.fileno())
        if force:
            os.replace(temporary, output)
        else:
            try:
                os.link(temporary, output)  # fails if the file appeared meanwhile: never overwritten
            except FileExistsError:
                raise BackupError(f"{output} existe déjà : --force pour le remplacer.") from None
            except OSError:
                # A file system without hard links: checked just before renaming instead.
                if output.exists():
                    raise BackupError(f"{output} existe déjà : --force pour le remplacer.") from None
                os.replace(temporary, output)
            else:
                os.unlink(temporary)
        directory = os.open(output.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
