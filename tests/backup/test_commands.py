"""What the commands refuse before touching the database, and how pg_dump and pg_restore are called."""

import json
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from maillage.audit.models import AuditEntry
from maillage.backup import engines
from maillage.privacy import keys


def test_backup_is_refused_without_a_backup_key(db, keys_dir, tmp_path, settings):
    directory = tmp_path / "keys"
    settings.MAILLAGE_KEYS_DIR = directory
    keys.reload()
    keys.ensure_keys()
    (directory / f"backup-{keys.keyring().active_backup_id()}.key").unlink()
    active = json.loads((directory / "active.json").read_text())
    (directory / "active.json").write_text(json.dumps({"data": active["data"], "index": active["index"]}))
    keys.reload()

    with pytest.raises(CommandError, match="Sauvegarde refusée : Aucune clé de sauvegarde.*init_keys"):
        call_command("backup", "--output", str(tmp_path / "sauvegarde"))

    assert not (tmp_path / "sauvegarde").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only: its test database is in memory")
def test_an_in_memory_database_cannot_be_backed_up(db, tmp_path):
    with pytest.raises(CommandError, match="La base SQLite est en mémoire"):
        call_command("backup", "--output", str(tmp_path / "sauvegarde"))
    assert not AuditEntry.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("pas une sauvegarde")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde Maillage"):
        call_command("restore", str(path))


FAKE_POSTGRESQL = SimpleNamespace(
    vendor="postgresql",
    settings_dict={
        "NAME": "maillage",
        "HOST": "db.example",
        "PORT": "5433",
        "USER": "sauvegarde",
        "PASSWORD": "mot-de-passe-secret",
        "OPTIONS": {"sslmode": "verify-full"},
    },
)


def test_the_password_goes_by_the_environment_never_the_command_line(monkeypatch, tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "pg_dump").touch()
    monkeypatch.setenv(engines.PG_BINDIR, str(bindir))
    calls = []

    def run(arguments, **options):
        calls.append((arguments, options["env"]))
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(engines.subprocess, "run", run)
    engines.dump(FAKE_POSTGRESQL, tmp_path / "dump")

    ((arguments, env),) = calls
    assert arguments[0] == str(bindir / "pg_dump")
    assert "--format=custom" in arguments and "--no-password" in arguments
    assert not any("mot-de-passe-secret" in argument for argument in arguments)
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "mot-de-passe-secret",
        "db.example",
        "5433",
        "sauvegarde",
        "maillage",
    )
    assert env["PGSSLMODE"] == "verify-full"


def test_a_missing_pg_dump_says_where_it_was_looked_for(monkeypatch, tmp_path):
    monkeypatch.setenv(engines.PG_BINDIR, str(tmp_path))
    with pytest.raises(
        engines.EngineError, match=f"pg_dump est introuvable dans MAILLAGE_PG_BINDIR={tmp_path}"
    ):
        engines.check_source(FAKE_POSTGRESQL)
