"""The restore drill, on the engine the suite runs on (SQLite, then PostgreSQL in `make test`): the demo of
12 situations is backed up with `maillage backup`, restored with `maillage restore` into a fresh database,
and nothing is lost; damaged archives, a non-empty target and another installation's keys are refused before
anything is written. Every step is the real command in its own process (tests/backup/drill.py)."""

import base64
import io
import json
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from maillage.audit.models import AuditEntry
from maillage.backup import archive
from maillage.backup.services import read_manifest
from maillage.privacy import keys
from maillage.privacy.fields import blind_match
from maillage.situations.models import Person, Situation
from tests.backup.drill import READ_EVERY_SITUATION, Databases, maillage, opened, rows, table_count


@dataclass
class Drill:
    databases: Databases
    tmp: Path
    keys_dir: Path
    source: str  # DATABASE_URL of the demo database
    empty: str  # DATABASE_URL of an empty database, which every refused restore must leave empty
    archive: Path
    manifest: dict
    backed_up: dict[str, list[tuple]]  # every row of the source when it was backed up

    def run(self, *arguments: str, url: str, keys_dir: Path | None = None):
        done = maillage(*arguments, url=url, keys_dir=keys_dir or self.keys_dir, var_dir=self.tmp / "var")
        assert not list((self.tmp / "var" / "tmp").iterdir()), "temporary files left behind"
        return done


def succeeded(done) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def drill(tmp_path_factory, django_db_blocker):
    tmp = tmp_path_factory.mktemp("drill")
    databases = Databases(tmp)
    keys_dir = tmp / "keys"
    try:
        source = databases.fresh("source")
        empty = databases.fresh("empty")
        drill = Drill(databases, tmp, keys_dir, source, empty, tmp / "sauvegarde.maillage", {}, {})
        with override_settings(MAILLAGE_KEYS_DIR=keys_dir), django_db_blocker.unblock():
            keys.reload()
            keys.ensure_keys()  # what `maillage init_keys` does, without starting a process
            succeeded(drill.run("migrate", "--noinput", url=source))
            succeeded(drill.run("load_demo", "--situations", "12", url=source))
            succeeded(drill.run("backup", "--output", str(drill.archive), url=source))
            drill.manifest = read_manifest(drill.archive)
            with opened(source, "drill_source") as alias:
                drill.backed_up = rows(alias)
        keys.reload()
        yield drill
    finally:
        databases.drop_all()


@pytest.fixture
def drill_keys(drill, settings):
    settings.MAILLAGE_KEYS_DIR = drill.keys_dir
    keys.reload()


def test_the_archive_is_private_and_names_what_a_restore_needs(drill):
    assert stat.S_IMODE(drill.archive.stat().st_mode) == 0o600
    call_command("restore", str(drill.archive), "--manifest", stdout=(shown := io.StringIO()))
    manifest = json.loads(shown.getvalue())
    assert manifest == drill.manifest
    ring_files = {path.name for path in drill.keys_dir.glob("*.key")}
    assert f"backup-{manifest['backup_key']['id']}.key" in ring_files
    assert {f"data-{key_id}.key" for key_id in manifest["keys"]["data"]} <= ring_files
    assert {f"index-{key_id}.key" for key_id in manifest["keys"]["index"]} <= ring_files
    assert manifest["engine"] == drill.databases.engine
    assert "situations.0001_initial" in manifest["migrations"]
    assert manifest["audit_head"].split(":")[0].isdigit()
    assert b"Canarelli" not in drill.archive.read_bytes()


def test_restore_into_a_fresh_database_loses_nothing(drill, drill_keys, django_db_blocker):
    target = drill.databases.fresh("target")
    sequence, digest = drill.manifest["audit_head"].split(":")

    output = succeeded(drill.run("restore", str(drill.archive), url=target))

    assert "Journal intègre" in output
    if drill.databases.engine == "sqlite":
        assert stat.S_IMODE(Path(target.removeprefix("sqlite:///")).stat().st_mode) == 0o600
    assert f"La tête relevée dans le manifeste (n° {sequence}) est présente et intacte." in output
    with django_db_blocker.unblock(), opened(target, "drill_target") as alias:
        restored, backed_up = rows(alias), dict(drill.backed_up)
        # The restore is in the trail, after everything the backup held.
        trail, backed_up_trail = restored.pop("audit.AuditEntry"), backed_up.pop("audit.AuditEntry")
        assert trail[:-1] == backed_up_trail
        assert AuditEntry.objects.using(alias).newest_first().first().action == "backup.restored"
        assert AuditEntry.objects.using(alias).get(sequence=int(sequence)).hash == digest
        restored.pop("audit.AuditChainHead"), backed_up.pop("audit.AuditChainHead")
        assert {label: len(values) for label, values in restored.items()} == {
            label: len(values) for label, values in backed_up.items()
        }
        assert restored == backed_up  # every column of every row, encrypted values decrypted
        assert len(restored["situations.Situation"]) >= 12
        applied = MigrationRecorder(connections[alias]).applied_migrations()
        assert sorted(f"{app}.{name}" for app, name in applied) == drill.manifest["migrations"]

        # Every situation opens with its persons, whose identities decrypt; the blind index still finds them.
        named = 0
        for situation in Situation.objects.using(alias).prefetch_related("persons"):
            persons = list(situation.persons.all())
            assert persons, situation.pseudonym
            named += any(person.first_name or person.last_name for person in persons)
        assert named >= 12
        (canary,) = Person.objects.using(alias).filter(blind_match("last_name_index", "Canarelli-Vasseur"))
        assert (canary.first_name, canary.phone) == ("Zéphyrine", "06 99 12 34 56")
        in_territory = {
            situation.pseudonym: sorted([p.first_name, p.last_name] for p in situation.persons.all())
            for situation in Situation.objects.using(alias)
            .filter(territory__name="Pays des Herbiers")
            .prefetch_related("persons")
        }

    # The coordinator opens each of them as the situation page does, identities shown, on the restored base.
    read = json.loads(succeeded(drill.run("shell", "--no-imports", "-c", READ_EVERY_SITUATION, url=target)))
    assert len(read) >= 12
    assert {pseudonym: seen["persons"] for pseudonym, seen in read.items()} == in_territory
    assert all(seen["identities"] for seen in read.values())
    assert "Journal intègre" in succeeded(drill.run("verify_audit", url=target))


def flip_in_payload(data: bytes, manifest_end: int) -> bytes:
    # Inside the first block's ciphertext, past its length prefix: with the demo's growth the archive spans
    # several blocks of 1 MiB, and the middle of the file would be a later block, with its own message.
    position = manifest_end + min(100, (len(data) - manifest_end) // 2)
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def flip_in_manifest(data: bytes, head: str) -> bytes:
    # A plausible change: one digit of the audit head, the manifest still valid JSON.
    position = data.index(head.encode()) + len(head) - 1
    replacement = b"0" if data[position : position + 1] != b"0" else b"1"
    return data[:position] + replacement + data[position + 1 :]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("payload", "L'archive est corrompue ou a été modifiée (manifeste ou premier bloc altéré)"),
        ("manifest", "L'archive est corrompue ou a été modifiée (manifeste ou premier bloc altéré)"),
        ("truncated", "L'archive est tronquée (sa fin manque)"),
    ],
    ids=["payload", "manifest", "truncated"],
)
def test_a_damaged_archive_is_refused_and_nothing_is_written(drill, damage, message, django_db_blocker):
    data = drill.archive.read_bytes()
    manifest_end = data.index(b"\n}\n") + 3
    damaged = {
        "payload": lambda: flip_in_payload(data, manifest_end),
        "manifest": lambda: flip_in_manifest(data, drill.manifest["audit_head"]),
        "truncated": lambda: data[: len(data) - 100],
    }[damage]()
    path = drill.tmp / f"{damage}.maillage"
    path.write_bytes(damaged)

    done = drill.run("restore", str(path), url=drill.empty)

    assert done.returncode == 1
    assert message in done.stderr and "rien n'a été écrit dans la base" in done.stderr
    with django_db_blocker.unblock(), opened(drill.empty, "drill_target") as alias:
        assert table_count(alias) == 0


def test_a_target_that_is_not_empty_is_refused(drill, drill_keys, django_db_blocker):
    with django_db_blocker.unblock(), opened(drill.source, "drill_source") as alias:
        entries = AuditEntry.objects.using(alias).count()

    done = drill.run("restore", str(drill.archive), url=drill.source)

    assert done.returncode == 1
    assert "n'est pas vide : la restauration n'écrit que dans une base vide" in done.stderr
    with django_db_blocker.unblock(), opened(drill.source, "drill_source") as alias:
        assert AuditEntry.objects.using(alias).count() == entries


def new_key() -> str:
    return base64.b64encode(keys.generate_key()).decode() + "\n"


def other_installation(drill, directory: Path) -> None:
    """Keys made elsewhere, with a copy of this installation's backup key only."""
    backup_id = drill.manifest["backup_key"]["id"]
    shutil.copy2(drill.keys_dir / f"backup-{backup_id}.key", directory)
    (directory / "data-autre1.key").write_text(new_key())
    (directory / "index-autre2.key").write_text(new_key())
    (directory / "active.json").write_text(
        json.dumps({"data": "autre1", "index": "autre2", "backup": backup_id})
    )


def data_key_replaced(drill, directory: Path) -> None:
    shutil.copytree(drill.keys_dir, directory, dirs_exist_ok=True)
    (data_id,) = drill.manifest["keys"]["data"]
    (directory / f"data-{data_id}.key").write_text(new_key())


def backup_key_missing(drill, directory: Path) -> None:
    shutil.copytree(drill.keys_dir, directory, dirs_exist_ok=True)
    (directory / f"backup-{drill.manifest['backup_key']['id']}.key").unlink()
    active = json.loads((directory / "active.json").read_text())
    del active["backup"]
    (directory / "active.json").write_text(json.dumps(active))


@pytest.mark.parametrize(
    ("keyring", "message"),
    [
        (
            other_installation,
            "ne sont pas celles dont les données de cette archive ont besoin : clé de données",
        ),
        (data_key_replaced, "différente (autre empreinte)"),
        (backup_key_missing, "de cette archive est absente"),
    ],
    ids=["other-installation", "data-key-replaced", "backup-key-missing"],
)
def test_another_key_set_is_refused_and_nothing_is_written(drill, keyring, message, django_db_blocker):
    directory = drill.tmp / f"keys-{keyring.__name__}"
    directory.mkdir(mode=0o700)
    keyring(drill, directory)

    done = drill.run("restore", str(drill.archive), url=drill.empty, keys_dir=directory)

    assert done.returncode == 1
    assert message in done.stderr and "Rien n'a été écrit dans la base" in done.stderr
    with django_db_blocker.unblock(), opened(drill.empty, "drill_target") as alias:
        assert table_count(alias) == 0


def test_an_archive_of_another_engine_is_refused(drill, django_db_blocker):
    if drill.databases.engine == "sqlite":
        pytest.skip("PostgreSQL only: the SQLite run has no PostgreSQL database to restore into")
    target = f"sqlite:///{drill.tmp / 'autre-moteur.sqlite3'}"

    done = drill.run("restore", str(drill.archive), url=target)

    assert done.returncode == 1
    assert "Cette archive vient d'une base PostgreSQL et la base cible est SQLite" in done.stderr
    assert not (drill.tmp / "autre-moteur.sqlite3").exists()


def test_an_existing_file_is_replaced_only_with_force(drill):
    path = drill.tmp / "existante.maillage"
    path.write_bytes(b"ancienne sauvegarde")

    # Refused before the database is opened: the test process's own command will do.
    with pytest.raises(CommandError, match="existe déjà : choisissez un autre nom, ou --force"):
        call_command("backup", "--output", str(path))

    assert path.read_bytes() == b"ancienne sauvegarde"
    output = succeeded(drill.run("backup", "--output", str(path), "--force", url=drill.source))
    assert f"Sauvegarde écrite : {path}" in output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in drill.tmp.glob(".existante*")) == []


def test_a_trail_that_does_not_hold_the_manifest_s_head_fails_the_restore(drill, drill_keys):
    # Sealed with the right backup key, but the head it names is not in the dump's trail.
    key = keys.keyring().key(keys.BACKUP, drill.manifest["backup_key"]["id"])
    plain = io.BytesIO()
    manifest, _digest, _size = archive.decrypt(drill.archive, plain, backup_key=key)
    sequence, _hash = manifest["audit_head"].split(":")
    forged = {**manifest, "audit_head": f"{sequence}:{'0' * 64}", "salt": archive.new_salt()}
    path = drill.tmp / "tete-inconnue.maillage"
    with path.open("wb") as target:
        archive.write(io.BytesIO(plain.getvalue()), target, manifest=forged, backup_key=key)

    done = drill.run("restore", str(path), url=drill.databases.fresh("forged"))

    assert done.returncode == 1
    assert "Restauration échouée" in done.stderr and "N'utilisez pas cette base" in done.stderr
    assert f"Journal altéré à l'entrée n° {sequence}" in done.stderr
