"""Two people acting at the same moment, each in their own transaction on their own connection (threads).

On SQLite the database serialises writers: a writer that finds the lock taken is refused « locked » at once
on the in-memory test database (a file database would wait), so `at_once(..., wait_for_sqlite_lock=True)`
retries it as that wait would."""

import threading
import time

from django.db import OperationalError, connection, connections

from maillage.errors import DomainError


def _waiting_for_the_writer_lock(call):
    for _attempt in range(200):
        try:
            return call()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            connections.close_all()
            time.sleep(0.05)
    raise AssertionError("the SQLite writer lock was never released")


def at_once(calls, *, wait_for_sqlite_lock: bool = False):
    """Runs the calls in threads released together; returns (results, domain errors). Any other error
    fails the test from the main thread."""
    start = threading.Barrier(len(calls))
    results, refused, crashed = [], [], []

    def run(call):
        try:
            start.wait()
            results.append(_waiting_for_the_writer_lock(call) if wait_for_sqlite_lock else call())
        except DomainError as error:
            refused.append(error)
        except Exception as error:  # reported by the main thread
            crashed.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not crashed, crashed
    return results, refused
