"""The load test's own parts: choosing people, keeping production cookies over loopback, percentiles."""

import importlib.util
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("bench_load", settings.BASE_DIR / "scripts" / "bench_load.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def account(email, *roles):
    return {"email": email, "roles": list(roles)}


def test_people_of_every_combination_of_roles_are_chosen_in_turn():
    accounts = [
        account("r1", "referent"),
        account("r2", "referent"),
        account("r3", "referent"),
        account("p1", "professional"),
        account("c1", "coordinator"),
        account("pending"),  # no role yet: no page to visit
    ]
    chosen = [a["email"] for a in bench.choose_accounts(accounts, 4)]
    assert sorted(chosen[:3]) == ["c1", "p1", "r1"]
    assert chosen[3] == "r2"
    assert len(bench.choose_accounts(accounts, 20)) == 5


def test_nearest_rank_percentiles():
    values = sorted(float(v) for v in range(1, 101))
    assert [bench.percentile(values, r) for r in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert bench.percentile([7.0], 99) == 7.0


def test_the_report_counts_errors_per_page_and_overall():
    text = bench.report({"accueil": [(10.0, True), (30.0, False)], "situations": [(20.0, True)]}, seconds=2)
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines()[1:]}
    assert lines["accueil"][:2] == ["2", "1"]
    assert lines["TOTAL"] == ["3", "1", "20", "30", "30", "1.5"]


class CookieServer(BaseHTTPRequestHandler):
    """Sets production cookies (Secure, __Host-) then reports the Cookie header it receives."""

    def do_GET(self):
        self.send_response(200)
        if self.path == "/set":
            self.send_header(
                "Set-Cookie", "__Host-maillage_session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"
            )
            self.send_header("Set-Cookie", "__Host-csrftoken=tok; Path=/; Secure")
        if self.path == "/logout":
            self.send_header("Set-Cookie", '__Host-maillage_session=""; Max-Age=0; Path=/; Secure')
        body = f"{self.headers.get('Cookie')}|{self.headers.get('X-Forwarded-Proto')}".encode()
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def cookie_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), CookieServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_secure_cookies_go_back_over_loopback_as_behind_the_tls_proxy(cookie_server):
    browser = bench.Browser(cookie_server)
    browser.request("GET", "/set")
    _, _, seen = browser.request("GET", "/page")
    assert seen == "__Host-maillage_session=abc; __Host-csrftoken=tok|https"
    browser.request("GET", "/logout")
    assert browser.request("GET", "/page")[2] == "__Host-csrftoken=tok|https"
