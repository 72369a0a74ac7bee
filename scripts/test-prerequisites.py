"""First step of `make test`: what the tests need from the machine, installed or asked for before any test.

- The browser journeys drive Debian's Chromium through Playwright (never a downloaded browser): `chromium`,
  a font (`fonts-dejavu-core`) and the C++ atomics library that Playwright's bundled Node.js links against
  (`libatomic1`, absent from a minimal Debian); the PDF documents need pango (`libpango-1.0-0`,
  `libpangoft2-1.0-0`, `libharfbuzz-subset0`). As root on Debian or Ubuntu, this script installs what is
  missing with apt-get; otherwise it prints the one command to run and exits non-zero.
- The PostgreSQL half runs through `scripts/with-postgres.py`, which picks or starts its server; an explicit
  `POSTGRES_URL` that does not answer fails here already.

Standard library only: it runs with the system's Python, before the virtual environment exists."""

import ctypes.util
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.chromium import find_chromium  # noqa: E402

# Debian package → whether what the tests need from it is there.
BROWSER_PACKAGES = {
    "chromium": lambda: find_chromium() is not None,
    "fonts-dejavu-core": lambda: Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file(),
    "libatomic1": lambda: ctypes.util.find_library("atomic") is not None,
    # WeasyPrint's layout of the PDF documents (ADR 0033).
    "libpango-1.0-0": lambda: ctypes.util.find_library("pango-1.0") is not None,
    "libpangoft2-1.0-0": lambda: ctypes.util.find_library("pangoft2-1.0") is not None,
    "libharfbuzz-subset0": lambda: ctypes.util.find_library("harfbuzz-subset") is not None,
}


def missing_packages() -> list[str]:
    return [package for package, present in BROWSER_PACKAGES.items() if not present()]


def apt_command(packages: list[str]) -> str:
    return f"apt-get update && apt-get install -y --no-install-recommends {' '.join(packages)}"


def ensure_browser() -> bool:
    missing = missing_packages()
    if not missing:
        return True
    apt_get = shutil.which("apt-get")
    if apt_get and os.geteuid() == 0:
        print(f"make test : installation des paquets Debian manquants : {' '.join(missing)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run([apt_get, "update"], check=True, env=env)  # noqa: S603
            subprocess.run(  # noqa: S603
                [apt_get, "install", "-y", "--no-install-recommends", *missing], check=True, env=env
            )
        except subprocess.CalledProcessError as error:
            print(f"make test : apt-get a échoué (code {error.returncode}).", file=sys.stderr)
        still_missing = missing_packages()
        if not still_missing:
            return True
        missing = still_missing
    print(
        f"\nmake test : il manque {', '.join(missing)} (parcours navigateur, documents PDF).", file=sys.stderr
    )
    if apt_get:
        print(
            "Installez-les avec cette commande (root), puis relancez `make test` :\n\n"
            f"    sudo sh -c '{apt_command(missing)}'\n",
            file=sys.stderr,
        )
    else:
        print(
            "Ce système n'a pas apt-get : installez Chromium (et une police) avec son gestionnaire de"
            " paquets ; MAILLAGE_CHROMIUM peut indiquer le chemin de l'exécutable.\n",
            file=sys.stderr,
        )
    return False


def answers(url: str) -> bool:
    """Whether something accepts connections at the URL's host and port (a Unix socket directory when the
    host is a path)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    try:
        if host.startswith("/"):
            with socket.socket(socket.AF_UNIX) as sock:
                sock.settimeout(5)
                sock.connect(f"{host}/.s.PGSQL.{port}")
        else:
            socket.create_connection((host, port), timeout=5).close()
    except OSError:
        return False
    return True


def ensure_postgres() -> bool:
    explicit = os.environ.get("POSTGRES_URL")
    if explicit and not answers(explicit):
        where = urlsplit(explicit)
        print(
            f"\nmake test : POSTGRES_URL désigne {where.hostname}:{where.port or 5432}, qui ne répond pas."
            " Démarrez ce serveur, ou lancez `make test` sans POSTGRES_URL : un serveur PostgreSQL"
            " jetable sera démarré pour la durée des tests.\n",
            file=sys.stderr,
        )
        return False
    return True


def main() -> int:
    browser_ready = ensure_browser()
    postgres_ready = ensure_postgres()
    return 0 if browser_ready and postgres_ready else 1


if __name__ == "__main__":
    sys.exit(main())
