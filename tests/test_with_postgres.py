"""scripts/with-postgres.py, the wrapper of the PostgreSQL half of `make test` (ADR 0018)."""

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "with-postgres.py"


def with_postgres(*command: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(SCRIPT), *command], env={**os.environ, **env}, capture_output=True, text=True
    )


def test_an_explicit_url_that_does_not_answer_stops_before_the_command(tmp_path):
    ran = tmp_path / "ran"
    result = with_postgres("touch", str(ran), POSTGRES_URL="postgres://postgres@127.0.0.1:1/maillage")
    assert result.returncode == 1
    assert "POSTGRES_URL (127.0.0.1:1) ne répond pas" in result.stderr
    assert not ran.exists()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs the PostgreSQL half's server")
def test_an_explicit_url_is_used_as_is_and_the_exit_status_passed_on():
    url = os.environ["DATABASE_URL"]
    check = f"import os, sys; sys.exit(5 if os.environ['DATABASE_URL'] == {url!r} else 3)"
    assert with_postgres(sys.executable, "-c", check, POSTGRES_URL=url).returncode == 5


def test_a_throwaway_server_answers_with_matching_tools_then_disappears():
    spec = importlib.util.spec_from_file_location("with_postgres", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    before = set(Path(tempfile.gettempdir()).glob("maillage-pg-*"))
    with module.throwaway_server() as (url, bindir):
        server = url.replace("/maillage", "/postgres")
        with psycopg.connect(server) as connection:
            major = connection.info.server_version // 10000
        dump = subprocess.run([bindir / "pg_dump", "--version"], capture_output=True, text=True, check=True)  # noqa: S603
    assert f"(PostgreSQL) {major}." in dump.stdout
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server, connect_timeout=2)
    assert set(Path(tempfile.gettempdir()).glob("maillage-pg-*")) == before
