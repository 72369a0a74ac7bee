"""Production: every secret from the environment or from files under MAILLAGE_VAR_DIR, HTTPS only."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, VAR_DIR

DEBUG = False
SECRET_KEY = os.environ.get("MAILLAGE_SECRET_KEY", "")
if not SECRET_KEY and (VAR_DIR / "secret_key").exists():
    SECRET_KEY = (VAR_DIR / "secret_key").read_text().strip()
if not SECRET_KEY:
    raise ImproperlyConfigured("MAILLAGE_SECRET_KEY (ou le fichier var/secret_key) est requis en production.")

# Persistent connections (ADR 0044): each gunicorn thread keeps its connection for a minute instead of opening
# one per request (a PostgreSQL backend, TLS, authentication: several ms of both cores); checked before reuse,
# so a connection the server closed meanwhile is replaced, not a failed request. Budget: processes × threads
# (× machines), plus the worker, under PostgreSQL's max_connections (docs/deploying.md). 0 turns it off.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("MAILLAGE_DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-maillage_session"
CSRF_COOKIE_NAME = "__Host-csrftoken"
