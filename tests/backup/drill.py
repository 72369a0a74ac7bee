"""Restore drills against real, separate databases, as an operator runs them: each step is the `maillage`
command in its own process, with its environment (DATABASE_URL, MAILLAGE_KEYS_DIR); the test process only
reads the databases afterwards, through an extra connection alias.

Databases are of the engine the suite runs on: new SQLite files, or PostgreSQL databases created on the
test server (`maillage_restore_<random>_<label>`) and dropped by `Databases.drop_all()`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import dj_database_url
import psycopg
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

ROOT = Path(__file__).resolve().parents[2]
MAILLAGE = Path(sys.executable).with_name("maillage")
PASSED_THROUGH = {"MAILLAGE_PG_BINDIR"}  # every other MAILLAGE_* variable of the test process is left out


@dataclass
class Databases:
    tmp: Path
    engine: str = field(default_factory=lambda: connections[DEFAULT_DB_ALIAS].vendor)
    created: list[str] = field(default_factory=list)

    def fresh(self, label: str) -> str:
        """The DATABASE_URL of a new, empty database."""
        if self.engine == "sqlite":
            return f"sqlite:///{self.tmp / f'{label}-{secrets.token_hex(3)}.sqlite3'}"
        name = f"maillage_restore_{secrets.token_hex(4)}_{label}"
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.url(name)

    def url(self, name: str) -> str:
        server = connections[DEFAULT_DB_ALIAS].settings_dict
        credentials = quote(server["USER"] or "", safe="")
        if server["PASSWORD"]:
            credentials += ":" + quote(server["PASSWORD"], safe="")
        host = quote(server["HOST"] or "127.0.0.1", safe="")  # a socket directory, when the host is a path
        return f"postgres://{credentials}@{host}:{server['PORT'] or 5432}/{name}"

    def drop_all(self) -> None:
        if not self.created:
            return
        with self._admin() as admin:
            for name in self.created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.clear()

    def _admin(self) -> psycopg.Connection:
        server = connections[DEFAULT_DB_ALIAS].settings_dict
        return psycopg.connect(
            dbname="postgres",
            host=server["HOST"] or "127.0.0.1",
            port=server["PORT"] or 5432,
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
            autocommit=True,
        )


def maillage(*arguments: str, url: str, keys_dir: Path, var_dir: Path) -> subprocess.CompletedProcess:
    """Runs `maillage ARGUMENTS` on the database `url` with the keys of `keys_dir`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MAILLAGE_")}
    env.update({name: os.environ[name] for name in PASSED_THROUGH if name in os.environ})
    env.update(
        DJANGO_SETTINGS_MODULE="tests.backup.drill_settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=url,
        MAILLAGE_KEYS_DIR=str(keys_dir),
        MAILLAGE_VAR_DIR=str(var_dir),
        TMPDIR=str(var_dir / "tmp"),  # where the plaintext dumps go, to check that none is left
    )
    (var_dir / "tmp").mkdir(parents=True, exist_ok=True)
    return subprocess.run(  # noqa: S603
        [str(MAILLAGE), *arguments], env=env, capture_output=True, text=True, check=False, timeout=300
    )


@contextmanager
def opened(url: str, alias: str) -> Iterator[str]:
    """An extra connection alias on `url` for the test process, removed afterwards."""
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: dict(connections.settings[DEFAULT_DB_ALIAS]), alias: dj_database_url.parse(url)}
    )
    connections.settings[alias] = configured[alias]
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections.settings[alias]
        if hasattr(connections._connections, alias):
            delattr(connections._connections, alias)


def table_count(alias: str) -> int:
    return len(connections[alias].introspection.table_names())


def rows(alias: str) -> dict[str, list[tuple]]:
    """Every row of every model, by model label, in primary-key order; encrypted values decrypted."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        found[model._meta.label] = list(model._base_manager.using(alias).order_by("pk").values_list())
    return found


# Run by `maillage shell -c` on a restored database: the coordinator opens every situation of her territory
# through the pages' own read (access policy, detail selector, identities, the read recorded in the trail).
READ_EVERY_SITUATION = """
import json
from maillage.network.actor import Actor
from maillage.network.models import Membership
from maillage.situations.selectors import situations_listed
from maillage.situations.services import situation_read

membership = Membership.objects.select_related("user", "organisation", "territory").get(
    user__email="claire.mercier@exemple.fr", territory__name="Pays des Herbiers"
)
actor = Actor.from_membership(membership.user, membership, [membership])
read = {}
for listed in situations_listed(actor):
    situation = situation_read(actor=actor, public_id=listed.public_id, identities=True)
    read[situation.pseudonym] = {
        "identities": situation.identities_visible,
        "persons": sorted([p.first_name, p.last_name] for p in situation.persons.all()),
    }
print(json.dumps(read))
"""
