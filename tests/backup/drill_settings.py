"""Settings of the `maillage` processes that a restore drill runs (tests/backup/drill.py): the test settings
(fast password hashing, the test-only app), the demo allowed, the database and the keys named by the
environment as in production (DATABASE_URL, MAILLAGE_KEYS_DIR)."""

import os
from pathlib import Path

from config.settings.test import *  # noqa: F403

DEMO_MODE = True
MAILLAGE_KEYS_DIR = Path(os.environ["MAILLAGE_KEYS_DIR"])
