import os
import sys

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, INSTALLED_APPS

# Test-only models (tests/testapp) exercise the privacy fields. They live outside the installed package, so
# the repository root must be importable for `maillage makemigrations --check` too, not only under pytest.
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else-0123456789"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_MODE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }
    }
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Serve static files straight from the apps (no collectstatic) outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests get their keys from a temporary directory (tests/conftest.py); one that forgets fails loudly instead
# of reading a developer's var/keys.
MAILLAGE_KEYS_DIR = BASE_DIR / "var" / "no-keys-in-tests"
