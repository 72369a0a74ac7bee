import os

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR
from config.settings.secrets import read_or_create_secret

# Off unless asked for: Django's debug pages list every URL and show settings and local variables to whoever
# reaches the server, even for a demo on a laptop. `MAILLAGE_DEBUG=1 make run` turns them on.
DEBUG = os.environ.get("MAILLAGE_DEBUG", "").lower() in {"1", "true", "yes"}
DEMO_MODE = os.environ.get("MAILLAGE_DEMO", "1").lower() in {"1", "true", "yes"}
SECRET_KEY = os.environ.get("MAILLAGE_SECRET_KEY") or read_or_create_secret(VAR_DIR / "secret_key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = os.environ.get("MAILLAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Serve static files straight from the apps (no collectstatic) outside production, by WhiteNoise: runserver's
# own static handler works only with DEBUG on.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
