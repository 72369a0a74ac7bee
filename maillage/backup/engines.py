"""Dumping and loading each database engine: PostgreSQL through pg_dump/pg_restore, SQLite through its
online backup API. Every message is in French."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # noqa: S404 — pg_dump and pg_restore, with an argument list, never a shell
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
ENGINE_NAMES = {POSTGRESQL: "PostgreSQL", SQLITE: "SQLite"}
PG_BINDIR = "MAILLAGE_PG_BINDIR"


class EngineError(Exception):
    """The dump or the load failed, or the target is not fit. The message is in French."""


def engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in ENGINE_NAMES:
        raise EngineError(f"Les sauvegardes ne savent pas traiter une base « {connection.vendor} ».")
    return connection.vendor


def describe(connection: BaseDatabaseWrapper) -> str:
    name = connection.settings_dict["NAME"]
    return f"{ENGINE_NAMES[engine(connection)]} « {name} »"


def check_source(connection: BaseDatabaseWrapper) -> None:
    """Refuses early what `dump` could not copy: another engine, an in-memory or missing SQLite file, a
    missing pg_dump."""
    if engine(connection) == POSTGRESQL:
        _program("pg_dump")
        return
    source = _sqlite_path(connection)
    if not source.exists():
        raise EngineError(f"La base SQLite {source} n'existe pas.")


def dump(connection: BaseDatabaseWrapper, path: Path) -> None:
    """A consistent copy of the whole database into `path` (which must not exist)."""
    check_source(connection)
    if engine(connection) == POSTGRESQL:
        _run_pg("pg_dump", ["--format=custom", "--no-password", f"--file={path}"], connection)
    else:
        _sqlite_copy(_sqlite_path(connection), path)


def load(connection: BaseDatabaseWrapper, path: Path) -> None:
    """Loads a verified dump into the (empty) database of `connection`."""
    connection.close()
    if engine(connection) == POSTGRESQL:
        _run_pg(
            "pg_restore",
            [
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            connection,
        )
    else:
        target = _sqlite_path(connection)
        if not target.exists():
            try:  # personal data: owner only
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except OSError as error:
                raise EngineError(
                    f"Impossible de créer la base SQLite {target} : {error.strerror}."
                ) from None
        _sqlite_copy(path, target)
    connection.close()


def is_empty(connection: BaseDatabaseWrapper) -> bool:
    """No table at all: a new or empty SQLite file, a PostgreSQL database with no tables (nor views nor
    sequences) outside the system schemas."""
    if engine(connection) == SQLITE:
        path = _sqlite_path(connection)
        if not path.exists() or path.stat().st_size == 0:
            return True
    with connection.cursor() as cursor:
        if engine(connection) == POSTGRESQL:
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
                "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "AND n.nspname NOT LIKE 'pg\\_toast%%'"
            )
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        (count,) = cursor.fetchone()
    return count == 0


def _sqlite_path(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"])
    if connection.is_in_memory_db() or not name:
        raise EngineError(
            "La base SQLite est en mémoire : indiquez un fichier par DATABASE_URL=sqlite:////chemin/base.sqlite3."
        )
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The online backup API copies a consistent snapshot, even while other processes write to the source.
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            origin.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise EngineError(f"Copie SQLite de {source} vers {target} impossible : {error}.") from None
    finally:
        origin.close()


def _program(name: str) -> str:
    bindir = os.environ.get(PG_BINDIR)
    program = str(Path(bindir) / name) if bindir else shutil.which(name)
    if not program or not Path(program).exists():
        where = f"dans {PG_BINDIR}={bindir}" if bindir else "dans le PATH"
        raise EngineError(
            f"{name} est introuvable {where} : installez les outils clients de PostgreSQL (paquet Debian "
            "postgresql-client, même version majeure que le serveur) ou indiquez leur répertoire par "
            f"{PG_BINDIR}."
        )
    return program


def _run_pg(name: str, arguments: list[str], connection: BaseDatabaseWrapper) -> None:
    """Runs pg_dump or pg_restore; the connection settings, password included, go by the environment."""
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(settings["NAME"])}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for variable, option in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if settings.get("OPTIONS", {}).get(option):
            env[variable] = str(settings["OPTIONS"][option])
    completed = subprocess.run(  # noqa: S603 — a fixed program and an argument list
        [_program(name), *arguments], env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()
        raise EngineError(
            f"{name} a échoué (code {completed.returncode}) : " + (" / ".join(detail[-5:]) or "aucun message")
        )
