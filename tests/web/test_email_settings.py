"""SMTP settings come from the environment; TLS and SSL together are refused with a French message."""

import json
import os
import subprocess
import sys

from django.conf import settings

EMAIL_VARIABLES = ("HOST", "PORT", "HOST_USER", "HOST_PASSWORD", "USE_TLS", "USE_SSL", "TIMEOUT")
PRINT_EMAIL_SETTINGS = (
    "import json, config.settings.prod as s; "
    f"print(json.dumps({{n: getattr(s, 'EMAIL_' + n) for n in {EMAIL_VARIABLES!r}}}))"
)


def production_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Loads the production settings in a fresh interpreter (settings are read once per process)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MAILLAGE_EMAIL_")}
    environment.update(MAILLAGE_SECRET_KEY="x" * 60, MAILLAGE_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, "-c", PRINT_EMAIL_SETTINGS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_smtp_account_and_encryption_come_from_the_environment(tmp_path):
    result = production_settings(
        tmp_path,
        MAILLAGE_EMAIL_HOST="smtp.exemple.fr",
        MAILLAGE_EMAIL_PORT="587",
        MAILLAGE_EMAIL_HOST_USER="maillage@exemple.fr",
        MAILLAGE_EMAIL_HOST_PASSWORD="mot de passe",
        MAILLAGE_EMAIL_USE_TLS="1",
        MAILLAGE_EMAIL_TIMEOUT="20",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "HOST": "smtp.exemple.fr",
        "PORT": 587,
        "HOST_USER": "maillage@exemple.fr",
        "HOST_PASSWORD": "mot de passe",
        "USE_TLS": True,
        "USE_SSL": False,
        "TIMEOUT": 20,
    }


def test_defaults_send_unauthenticated_to_the_local_server_with_a_timeout(tmp_path):
    result = production_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "HOST": "localhost",
        "PORT": 25,
        "HOST_USER": "",
        "HOST_PASSWORD": "",
        "USE_TLS": False,
        "USE_SSL": False,
        "TIMEOUT": 10,
    }


def test_tls_and_ssl_together_is_a_configuration_error(tmp_path):
    result = production_settings(tmp_path, MAILLAGE_EMAIL_USE_TLS="1", MAILLAGE_EMAIL_USE_SSL="true")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "MAILLAGE_EMAIL_USE_TLS et MAILLAGE_EMAIL_USE_SSL s'excluent" in result.stderr
