"""`make run` serves without Django's debug pages unless MAILLAGE_DEBUG=1 asks for them: a 404 with DEBUG on
lists every URL of the application to an anonymous visitor."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def dev_debug(tmp_path, **env) -> str:
    """DEBUG as the development settings compute it, in a fresh interpreter (settings are read once)."""
    environment = {k: v for k, v in os.environ.items() if k != "MAILLAGE_DEBUG"}
    # A secret key and an empty state directory: loading the settings writes nothing in var/.
    environment.update(MAILLAGE_SECRET_KEY="x" * 60, MAILLAGE_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", "import config.settings.dev as dev; print(dev.DEBUG)"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_debug_is_off_without_the_variable(tmp_path):
    assert dev_debug(tmp_path) == "False"


@pytest.mark.parametrize("value", ["", "0", "non"])
def test_debug_stays_off_for_other_values(tmp_path, value):
    assert dev_debug(tmp_path, MAILLAGE_DEBUG=value) == "False"


def test_maillage_debug_1_turns_it_on(tmp_path):
    assert dev_debug(tmp_path, MAILLAGE_DEBUG="1") == "True"
