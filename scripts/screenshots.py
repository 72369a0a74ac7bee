"""`make screenshots`: the pictures of docs/screenshots/, from a throwaway demo (12 situations) served on a
free loopback port, in Debian's Chromium (scripts/test-prerequisites.py installs it). Nothing is downloaded.

    .venv/bin/python scripts/screenshots.py [--output docs/screenshots]
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyotp
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import find_chromium  # noqa: E402
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def maillage(env: dict, *args: str) -> None:
    command = [sys.executable, "-m", "maillage.cli", *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def sign_in(page, account: dict) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(account["email"])
    page.get_by_label("Mot de passe").fill(account["password"])
    page.get_by_role("button", name="Se connecter").click()
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.2)
    page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(pyotp.TOTP(account["totp_secret"]).now())
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).first.click()
    page.wait_for_load_state()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "screenshots"))
    output = Path(parser.parse_args().output)
    output.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    if not chromium:
        sys.exit("Chromium est introuvable : `make test-prerequisites` l'installe (en root).")
    with tempfile.TemporaryDirectory(prefix="maillage-screenshots-") as var:
        os.chmod(var, 0o700)
        env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "MAILLAGE_VAR_DIR": var,
            "MAILLAGE_DEMO": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        }
        print("Démonstration jetable (12 situations)…", flush=True)
        for step in (
            ["init_keys"],
            ["migrate", "--noinput"],
            ["createcachetable"],
            ["load_demo", "--situations", "12"],
        ):
            maillage(env, *step)
        accounts = json.loads((Path(var) / "demo-accounts.json").read_text(encoding="utf-8"))
        coordinator = next(a for a in accounts if a["roles"] == ["coordinator"])
        professionals = [a for a in accounts if a["roles"] == ["professional"]]
        gendarme = next(
            (a for a in professionals if "endarmerie" in (a["organisation"] or "")), professionals[0]
        )
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "maillage.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                context = browser.new_context(base_url=base, locale="fr-FR", viewport=DESKTOP)
                page = context.new_page()
                sign_in(page, coordinator)
                page.goto("/")
                page.screenshot(path=output / "a-traiter-bureau.png")
                page.set_viewport_size(PHONE)
                page.goto("/")
                page.screenshot(path=output / "a-traiter-telephone.png")
                context.close()
                phone = browser.new_context(
                    base_url=base, locale="fr-FR", viewport=PHONE, is_mobile=True, has_touch=True
                )
                page = phone.new_page()
                sign_in(page, gendarme)
                page.goto("/situations/signaler/")
                page.get_by_role("heading", name=re.compile("^Étape 1 sur 4")).evaluate(
                    "h => h.scrollIntoView()"
                )
                page.screenshot(path=output / "signalement-telephone.png")
                # Step by step (ADR 0023), to the check page.
                page.locator("#id_commune").select_option(index=1)
                page.locator("#id_sources_0").check()
                page.locator("#id_violence_types_0").check()
                page.locator("#id_urgent_0").check()
                page.get_by_role("button", name="Continuer").click()
                page.locator("#id_victime-0-first_name").fill("Aline")
                page.locator("#id_enfant-0-age").fill("6")
                page.get_by_role("button", name="Continuer").click()
                page.locator("#id_consent_answer_1").check()
                page.get_by_label("Horaires sûrs").fill("en semaine, 9 h–11 h")
                page.get_by_role("button", name="Continuer").click()
                page.get_by_role("heading", name=re.compile("Vérifiez")).wait_for()
                page.screenshot(path=output / "signalement-telephone-verification.png", full_page=True)
                # The whole form, sent empty: the server's error summary.
                page.goto("/situations/signaler/")
                page.get_by_role("button", name="Afficher tout le formulaire sur une page").click()
                page.get_by_role("button", name=re.compile("Envoyer|Signaler|Enregistrer")).last.click()
                page.wait_for_load_state()
                page.screenshot(path=output / "signalement-telephone-erreurs.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    for picture in sorted(output.glob("*.png")):
        print(f"  {picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture}")


if __name__ == "__main__":
    main()
