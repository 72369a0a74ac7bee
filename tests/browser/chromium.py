"""Where Chromium is: one finder for the browser journeys (`conftest.py` beside this file) and for the
prerequisites step of `make test` (`scripts/test-prerequisites`, which runs before the virtual environment
exists): standard library only, no Django, no pytest."""

import os
import shutil

# The binaries Debian's `chromium` package ships (the first is the real one, the second a wrapper script).
DEBIAN_BINARIES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def find_chromium() -> str | None:
    """MAILLAGE_CHROMIUM when it names an executable, else Debian's binaries, else `chromium` on PATH."""
    for candidate in (os.environ.get("MAILLAGE_CHROMIUM", ""), *DEBIAN_BINARIES):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")
