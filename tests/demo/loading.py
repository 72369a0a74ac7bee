"""The demonstration loaded once for a test module (tests/db.py's `built_once`), for the demo's checks."""

import io
from contextlib import contextmanager

from django.core.management import call_command
from django.test import override_settings

HERBIERS = "Pays des Herbiers"


@contextmanager
def demo_loaded(built_once, tmp_path_factory, *, situations: int):
    """`with demo_loaded(built_once, tmp_path_factory, situations=12): yield` in a module-scoped fixture."""
    var_dir = tmp_path_factory.mktemp("demo") / "var"

    def load():
        with override_settings(VAR_DIR=var_dir, DEMO_MODE=True):
            call_command("load_demo", situations=situations, stdout=io.StringIO())

    with built_once(load):
        yield
