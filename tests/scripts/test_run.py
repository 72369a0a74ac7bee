"""`make run`'s supervisor (scripts/run.py): the web server and the worker start and stop together."""

import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings

spec = importlib.util.spec_from_file_location("run", settings.BASE_DIR / "scripts" / "run.py")
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def spawned(monkeypatch) -> list[subprocess.Popen]:
    started = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(run.subprocess, "Popen", popen)
    return started


def test_ctrl_c_stops_both_processes(monkeypatch):
    started = spawned(monkeypatch)
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
    began = time.monotonic()
    assert run.supervise([SLEEPER, SLEEPER], grace=5) == 0
    assert time.monotonic() - began < 10
    assert len(started) == 2
    assert all(p.returncode is not None for p in started)
    assert not any(alive(p.pid) for p in started)


def test_when_one_stops_the_other_is_stopped_and_its_status_kept(monkeypatch):
    started = spawned(monkeypatch)
    failing = [sys.executable, "-c", "import time, sys; time.sleep(0.5); sys.exit(3)"]
    assert run.supervise([SLEEPER, failing], grace=5) == 3
    assert not alive(started[0].pid)


def test_a_process_ignoring_the_request_to_stop_is_killed_after_the_grace_period(monkeypatch):
    started = spawned(monkeypatch)
    stubborn = [
        sys.executable,
        "-c",
        "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(60)",
    ]
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    assert run.supervise([stubborn], grace=1) == 0
    assert started[0].returncode == -signal.SIGKILL
