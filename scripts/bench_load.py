"""Bounded load test of the production server (`make bench-load`), loopback only, stops by itself.

1. A throwaway demo: a temporary MAILLAGE_VAR_DIR, SQLite in it (or, with --postgres URL, a database created
   for the run and dropped after it), keys, migrations, `load_demo`.
2. `maillage serve` (production settings, gunicorn) on a free loopback port.
3. N demo people of various roles sign in (password, then TOTP from var/demo-accounts.json) and visit their
   usual pages concurrently, without think time, for a fixed duration.
4. The server is stopped, the database dropped, the directory removed; figures per page and overall.

Production settings answer HTTPS only and send `__Host-` cookies marked Secure. The client plays the part of
the TLS reverse proxy: it sends `X-Forwarded-Proto: https` (as nginx does) and keeps the cookies itself,
sending them back over loopback HTTP. Nothing in the settings is relaxed for the run.
"""

import argparse
import http.client
import itertools
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pyotp

MAILLAGE = str(Path(sys.executable).with_name("maillage"))
CANDIDATE_PAGES = {
    "accueil": "/",
    "situations": "/situations/",
    "notifications": "/notifications/",
    "annuaire": "/reseau/annuaire/",
    "audit (DPO)": "/audit/",
    "plateforme": "/plateforme/",
}
SITUATION_LINK = re.compile(r'href="(/situations/[0-9a-f-]{36}/)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One person's connection: keep-alive HTTP to the server, cookies kept here (see the module's doc)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.requests = 0
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
            }
        self.requests += 1
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A worker recycled after its quota of requests closed the kept-alive connection: a browser
                # opens a new one and asks again, so do we (once).
                self.connection.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, response.headers.get("Location", ""), text

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        status, _, page = self.request("GET", path)
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            raise RuntimeError(f"pas de formulaire sur {path} (HTTP {status})")
        status, location, _ = self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **fields})
        return status, urlsplit(location).path


def sign_in(port: int, account: dict) -> Browser:
    browser = Browser(port)
    status, location = browser.post_form(
        "/accounts/login/", {"login": account["email"], "password": account["password"]}
    )
    if status != 302 or "2fa" not in location:
        raise RuntimeError(f"{account['email']} : mot de passe refusé (HTTP {status})")
    for _ in range(3):  # a code read at the very end of its 30 s window may be refused: take the next one
        status, next_page = browser.post_form(location, {"code": pyotp.TOTP(account["totp_secret"]).now()})
        if status == 302 and next_page != location:
            return browser
        time.sleep(30 - time.time() % 30 + 0.5)
    raise RuntimeError(f"{account['email']} : code TOTP refusé")


def usual_pages(browser: Browser) -> dict[str, str]:
    """The candidate pages this person may open, plus the first situation of their list."""
    pages = {}
    for name, path in CANDIDATE_PAGES.items():
        status, _, text = browser.request("GET", path)
        if status == 200:
            pages[name] = path
            if name == "situations" and (link := SITUATION_LINK.search(text)):
                pages["situation"] = link.group(1)
    return pages


def choose_accounts(accounts: list[dict], count: int) -> list[dict]:
    """`count` people, taking one of each combination of roles in turn, so every role is represented."""
    by_roles = defaultdict(list)
    for account in accounts:
        if account["roles"]:
            by_roles[tuple(account["roles"])].append(account)
    groups = [group for _, group in sorted(by_roles.items())]
    chosen = []
    for turn in range(max(map(len, groups), default=0)):
        for group in groups:
            if turn < len(group) and len(chosen) < count:
                chosen.append(group[turn])
    return chosen


def percentile(sorted_values: list[float], rank: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    index = max(0, min(len(sorted_values) - 1, math.ceil(rank / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def report(samples: dict[str, list[tuple[float, bool]]], seconds: float) -> str:
    lines = [
        f"{'page':<16} {'requêtes':>9} {'erreurs':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}"
    ]
    rows = sorted(samples.items()) + [("TOTAL", [s for page in samples.values() for s in page])]
    for name, page in rows:
        durations = sorted(ms for ms, _ in page)
        errors = sum(1 for _, ok in page if not ok)
        if not durations:
            continue
        p50, p95, p99 = (percentile(durations, r) for r in (50, 95, 99))
        rate = len(page) / seconds
        lines.append(
            f"{name:<16} {len(page):>9} {errors:>8} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {rate:>7.1f}"
        )
    return "\n".join(lines)


def run_users(port: int, accounts: list[dict], seconds: float, think: float = 0) -> tuple[dict, float, int]:
    browsers = [(sign_in(port, account), account) for account in accounts]
    plans = [(browser, usual_pages(browser)) for browser, _ in browsers]
    samples: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    failures = []
    lock = threading.Lock()
    start = threading.Barrier(len(plans) + 1)

    def visit(browser: Browser, pages: dict[str, str], deadline_box: list[float]):
        mine = []
        start.wait()
        for name, path in itertools.cycle(pages.items()):
            if time.monotonic() >= deadline_box[0]:
                break
            began = time.perf_counter()
            try:
                status, _, _ = browser.request("GET", path)
                ok = status == 200
            except OSError as error:
                ok = False
                failures.append(repr(error))
            mine.append((name, (time.perf_counter() - began) * 1000, ok))
            if think:
                time.sleep(think)
        with lock:
            for name, ms, ok in mine:
                samples[name].append((ms, ok))

    deadline_box = [0.0]
    threads = [threading.Thread(target=visit, args=(b, pages, deadline_box)) for b, pages in plans]
    for thread in threads:
        thread.start()
    deadline_box[0] = time.monotonic() + seconds
    began = time.monotonic()
    start.wait()
    for thread in threads:
        thread.join()
    if failures:
        print(f"{len(failures)} erreurs réseau, dont : {failures[0]}", file=sys.stderr)
    return samples, time.monotonic() - began, sum(browser.requests for browser, _ in plans)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_admin(url: str):
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30, help="durée de la charge, en secondes (30)")
    parser.add_argument("--users", type=int, default=20, help="personnes connectées en même temps (20)")
    parser.add_argument("--situations", type=int, default=150, help="situations de la démonstration (150)")
    parser.add_argument("--postgres", metavar="URL", help="base PostgreSQL jetable, créée puis supprimée")
    parser.add_argument(
        "--existing",
        nargs=2,
        metavar=("URL", "VAR"),
        help="base déjà remplie (par exemple par `maillage synth`) et son répertoire MAILLAGE_VAR_DIR (clés, "
        "demo-accounts.json) : ni créée, ni migrée, ni supprimée",
    )
    parser.add_argument(
        "--think", type=float, default=0, help="pause de chaque personne entre deux pages, en secondes (0)"
    )
    args = parser.parse_args()
    if args.existing and args.postgres:
        parser.error("--existing ou --postgres, pas les deux")

    var = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
    data = Path(args.existing[1]) if args.existing else var
    port = free_port()
    # Nothing of the caller's configuration but the server's size (MAILLAGE_WEB_WORKERS, _THREADS, _TIMEOUT).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAILLAGE_", "DJANGO_")) or k.startswith("MAILLAGE_WEB_")
    }
    env.pop("DATABASE_URL", None)
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "MAILLAGE_SECRET_KEY": secrets.token_urlsafe(50),
        "MAILLAGE_VAR_DIR": str(data),
        "MAILLAGE_STATIC_ROOT": str(var / "static"),
        "MAILLAGE_ALLOWED_HOSTS": "127.0.0.1",
        "MAILLAGE_DEMO": "1",
        "MAILLAGE_BIND": f"127.0.0.1:{port}",
    }
    database = "SQLite"
    if args.existing:
        env["DATABASE_URL"] = args.existing[0]
        database = f"base existante {urlsplit(args.existing[0]).path.lstrip('/')}"
    elif args.postgres:
        name = urlsplit(args.postgres).path.lstrip("/")
        if not re.fullmatch(r"\w+", name):
            parser.error("--postgres : l'adresse doit nommer la base jetable, par exemple …/maillage_bench")
        with postgres_admin(args.postgres) as admin:
            if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                parser.error(
                    f"la base {name} existe déjà : supprimez-la (DROP DATABASE {name}) ou changez de nom"
                )
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = args.postgres
        database = f"PostgreSQL ({name})"
    server = None
    try:
        if not args.existing:
            print(
                f"Préparation de la démonstration ({database}, {args.situations} situations)…",
                file=sys.stderr,
            )
            for command in (["init_keys"], ["migrate", "--noinput"], ["createcachetable"]):
                subprocess.run([MAILLAGE, *command], env=env, check=True, capture_output=True)  # noqa: S603
            subprocess.run(  # noqa: S603
                [MAILLAGE, "load_demo", "--situations", str(args.situations)],
                env=env,
                check=True,
                capture_output=True,
            )
        log = (var / "server.log").open("w")
        server = subprocess.Popen([MAILLAGE, "serve"], env=env, stdout=log, stderr=log)  # noqa: S603
        deadline = time.monotonic() + 120  # a loaded machine may take a minute to start the workers
        while True:
            try:
                if Browser(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                tail = (var / "server.log").read_text()[-3000:]
                raise RuntimeError(f"le serveur n'a pas démarré ; fin de son journal :\n{tail}")
            time.sleep(0.2)
        accounts = choose_accounts(json.loads((data / "demo-accounts.json").read_text()), args.users)
        print(
            f"{len(accounts)} personnes se connectent, puis {args.duration:.0f} s de charge…", file=sys.stderr
        )
        samples, seconds, sent = run_users(port, accounts, args.duration, args.think)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        logged = sum(1 for line in (var / "server.log").open() if '"logger": "maillage.requests"' in line)
        conf = subprocess.run(  # noqa: S603
            [sys.executable, "-c", "import config.gunicorn_conf as c; print(c.workers, c.threads)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        measured = sum(len(page) for page in samples.values())
        print(
            f"\nMaillage — {database}, {len(accounts)} personnes "
            f"({', '.join(sorted({'+'.join(a['roles']) for a in accounts}))}), {seconds:.0f} s, "
            + (f"{args.think:g} s de pause entre deux pages" if args.think else "sans temps de pause")
            + f", gunicorn {conf[0]} processus × {conf[1]} fils, {os.cpu_count()} cœurs, "
            f"charge moyenne {os.getloadavg()[0]:.1f}"
        )
        print(report(samples, seconds))
        print(
            f"Journal du serveur : {logged} lignes « maillage.requests » pour {sent} requêtes envoyées "
            f"({measured} mesurées, le reste pour se connecter et trouver les pages)"
        )
        return 1 if any(not ok for page in samples.values() for _, ok in page) else 0
    finally:
        if server is not None and server.poll() is None:
            server.kill()
            server.wait()
        if args.postgres:
            with postgres_admin(args.postgres) as admin:
                admin.execute(
                    f'DROP DATABASE IF EXISTS "{urlsplit(args.postgres).path.lstrip("/")}" WITH (FORCE)'
                )
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
