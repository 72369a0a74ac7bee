"""What a process loads when it starts: every management command and every web worker imports the URLconf
(system checks), so nothing heavy may be imported there. spaCy (~3 s) is loaded by the pseudonymiser on
first use only (maillage/privacy/pseudonymiser/__init__.py)."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import maillage.meetings.minutes, maillage.privacy.pseudonymiser
print(sorted(m for m in ("spacy", "weasyprint", "thinc") if m in sys.modules))
"""


def test_the_urlconf_imports_neither_spacy_nor_weasyprint():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=settings.BASE_DIR, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_engine_is_there_on_first_use():
    from maillage.privacy import pseudonymiser

    assert pseudonymiser.pseudonymise("Appeler le 06 12 34 56 78.").text == "Appeler le [téléphone]."
