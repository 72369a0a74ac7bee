"""Data built once for all the tests of a module (or of a class) that only read it.

    @pytest.fixture(scope="module")
    def shared_world(built_once):
        with built_once(World) as world:
            yield world

    @pytest.fixture
    def world(shared_world, db):
        return copy.deepcopy(shared_world)

`built_once` (the fixture of tests/conftest.py, on top of the function below) opens a transaction, builds in
it and keeps it open while the tests of the fixture's scope run, then rolls it back: the next module starts
from an empty database. Each test still runs in its own savepoint inside that transaction (pytest-django's
`db`, as with Django's `TestCase.setUpTestData`), so what a test writes is undone before the next one; the
deep copy keeps a test's changes to the objects in memory to itself. A test that needs real commits
(`transaction=True`, `live_server`) cannot share such data: it would flush it."""

import os
import sys
from contextlib import contextmanager
from unittest import mock

from django.db import transaction
from django.test import override_settings

from maillage.privacy import keys


@contextmanager
def built_once(django_db_blocker, keys_dir, build):
    """Yields build()'s result, built in a transaction that is rolled back on exit, with the encryption keys
    of `keys_dir` (the session's, which the `keys_dir` fixture gives every test: they decrypt what was built).
    The database stays blocked in between, for the tests that did not ask for it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MAILLAGE_KEYS_DIR=keys_dir), mock.patch.dict(os.environ):
                for name in keys.ENV_VARIABLES:
                    os.environ.pop(name, None)
                keys.reload()
                keys.ensure_keys()
                built = build()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
        finally:
            keys.reload()
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
