"""The real thing: `maillage serve` started as a process, asked over loopback, stopped by SIGTERM."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.whole_app  # starts its own server and database: once, on SQLite

HOST = "maillage.example"
SEARCHED = "Canarelli"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def maillage(*args, env, **kwargs):
    command = [str(Path(sys.executable).with_name("maillage")), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def get(port, path, **headers) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAILLAGE_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        MAILLAGE_SECRET_KEY="s" * 60,
        MAILLAGE_VAR_DIR=str(var),
        MAILLAGE_STATIC_ROOT=str(var / "static"),
        MAILLAGE_ALLOWED_HOSTS=HOST,
        MAILLAGE_BIND=f"127.0.0.1:{port}",
        MAILLAGE_WEB_WORKERS="1",
        MAILLAGE_WEB_THREADS="2",
    )
    maillage("init_keys", env=env)
    maillage("migrate", "--noinput", env=env)
    maillage("createcachetable", env=env)
    process = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("maillage")), "serve"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Up to two minutes: on a machine busy with other work (a CI runner, suites in parallel) gunicorn and the
    # first import of the application can take over a minute; an idle machine starts in a few seconds.
    deadline = time.monotonic() + 120
    while True:
        try:
            if get(port, "/healthz").status == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("maillage serve did not start: " + process.communicate()[1])
        time.sleep(0.2)
    responses = {
        "health": get(port, "/healthz", Host="10.0.0.12"),
        "plain_http": get(port, "/accounts/login/"),
        "login": get(port, f"/accounts/login/?q={SEARCHED}", **{"X-Forwarded-Proto": "https"}),
    }
    stylesheet = re.search(
        r'href="(/static/maillage/css/maillage\.\w+\.css)"', responses["login"].body.decode()
    )
    responses["css"] = get(
        port, stylesheet.group(1), **{"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"}
    )
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=30)
    return responses, stdout + stderr, process.returncode


def test_health_check_answers_a_load_balancer_calling_by_address(server):
    responses, _, _ = server
    assert responses["health"].status == 200
    assert json.loads(responses["health"].body)["status"] == "ok"


def test_pages_are_https_only_with_debug_off(server):
    responses, _, _ = server
    assert responses["plain_http"].status == 301
    assert responses["plain_http"].getheader("Location") == f"https://{HOST}/accounts/login/"
    login = responses["login"]
    assert login.status == 200
    assert "__Host-csrftoken" in login.getheader("Set-Cookie")


def test_static_files_are_hashed_compressed_and_cached_for_ever(server):
    css = server[0]["css"]
    assert css.status == 200
    assert css.getheader("Content-Encoding") == "gzip"
    assert "immutable" in css.getheader("Cache-Control")


def test_the_log_has_one_json_line_per_page_and_never_the_query_string(server):
    responses, output, returncode = server
    assert returncode == 0
    lines = {
        line["request_id"]: line
        for line in map(json.loads, filter(lambda text: text.startswith("{"), output.splitlines()))
        if line["logger"] == "maillage.requests"
    }
    redirect = lines[responses["plain_http"].getheader("X-Request-ID")]
    # Redirected to HTTPS before the URL is resolved: no route to name.
    assert (redirect["status"], redirect["view"], redirect["route"]) == (301, None, None)
    login = lines[responses["login"].getheader("X-Request-ID")]
    assert (login["status"], login["view"], login["route"]) == (200, "account_login", "accounts/login/")
    assert SEARCHED not in output
