"""Production keeps its database connections (ADR 0044): a minute by default, checked before reuse, and the
environment still decides."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_DATABASE_SETTINGS = (
    "import json, config.settings.prod as s; d = s.DATABASES['default']; "
    "print(json.dumps({'age': d['CONN_MAX_AGE'], 'checks': d['CONN_HEALTH_CHECKS']}))"
)


def production_database(tmp_path, **env) -> dict:
    """The production settings loaded in a fresh interpreter (settings are read once per process)."""
    environment = {k: v for k, v in os.environ.items() if k != "MAILLAGE_DB_CONN_MAX_AGE"}
    environment.update(MAILLAGE_SECRET_KEY="x" * 60, MAILLAGE_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", PRINT_DATABASE_SETTINGS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_connections_a_minute_and_checks_them(tmp_path):
    assert production_database(tmp_path) == {"age": 60, "checks": True}


def test_the_environment_still_sets_the_lifetime(tmp_path):
    assert production_database(tmp_path, MAILLAGE_DB_CONN_MAX_AGE="0") == {"age": 0, "checks": True}
    assert production_database(tmp_path, MAILLAGE_DB_CONN_MAX_AGE="300")["age"] == 300
