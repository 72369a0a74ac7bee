"""gunicorn's settings for `maillage serve` (docs/decisions/0019-production-serving.md), from the environment.

gthread workers: processes run Python on every core despite the GIL; a few threads in each keep a core busy
while a request waits on the database or a slow client, for less memory than more processes. Default
2 × cores + 1 processes (gunicorn's own starting point) × 4 threads: 20 requests at a time on 2 cores.
Every thread may hold a database connection: keep workers × threads under PostgreSQL's max_connections.
"""

import os


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"{name} doit être un entier positif (reçu : {raw!r}).")
    return value


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


bind = [address for address in os.environ.get("MAILLAGE_BIND", "127.0.0.1:8000").split(",") if address]
worker_class = "gthread"
workers = _positive_int("MAILLAGE_WEB_WORKERS", 2 * cores() + 1)
threads = _positive_int("MAILLAGE_WEB_THREADS", 4)
# A request running longer than this is killed with its worker (and logged by gunicorn).
timeout = _positive_int("MAILLAGE_WEB_TIMEOUT", 30)
graceful_timeout = timeout
# Keep-alive connections from the reverse proxy.
keepalive = 5
# Each worker is replaced after about this many requests: a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
proc_name = "maillage"
# No access log of gunicorn's: it would write the raw URL, query string included (a name searched, an id).
# The application writes one structured line per request instead (logger `maillage.requests`).
accesslog = None
errorlog = "-"
# gunicorn's control socket (in $HOME or $XDG_RUNTIME_DIR) is not used: systemd's signals drive the server.
control_socket_disable = True
