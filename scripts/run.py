"""`make run`: the web server and the background worker side by side, stopped together.

Each runs in its own process group, so the terminal's Ctrl-C reaches only this supervisor, which then asks
each group to stop (SIGINT: runserver and its reloader, the worker after its current task) and waits; a
group still there after the grace period is killed. If either process stops by itself, the other is
stopped too. Standard library only.
"""

import os
import signal
import subprocess
import sys
import time

GRACE_SECONDS = 10


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop


def supervise(commands: list[list[str]], *, grace: float = GRACE_SECONDS) -> int:
    """Runs `commands` until one exits or this process gets SIGINT/SIGTERM; then stops all of them.
    Returns the first non-zero exit status of a process that stopped by itself, else 0."""
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = []
    status = 0
    try:
        for command in commands:
            processes.append(subprocess.Popen(command, start_new_session=True))  # noqa: S603
        while True:
            ended = [p for p in processes if p.poll() is not None]
            if ended:
                status = next((p.returncode for p in ended if p.returncode), 0)
                break
            time.sleep(0.2)
    except Stop:
        pass
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        _stop_all(processes, grace)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return status


def _stop_all(processes: list[subprocess.Popen], grace: float) -> None:
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + grace
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    # The process group may outlive its leader (runserver's reloader child): nothing must be left behind.
    for process in processes:
        _signal_group(process, signal.SIGKILL)


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def main(argv: list[str]) -> int:
    address = argv[1] if len(argv) > 1 else "127.0.0.1:8000"
    maillage = os.path.join(os.path.dirname(sys.executable), "maillage")
    # Both on the development settings, whatever `maillage` would choose for a command by default.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    print(f"Maillage sur http://{address}/ et son travailleur de fond ; Ctrl-C arrête les deux.", flush=True)
    return supervise([[maillage, "runserver", address], [maillage, "worker"]])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
