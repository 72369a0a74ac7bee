"""Settings shared by every environment. Secrets and keys live outside the repository (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", BASE_DIR / "var"))
# matplotlib's font cache (the statistics' charts, ADR 0042) in the app's directory, not in the home of the
# account the server runs as (which may have none).
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

DEBUG = False
DEMO_MODE = os.environ.get("MAILLAGE_DEMO", "").lower() in {"1", "true", "yes"}
ALLOWED_HOSTS = [h for h in os.environ.get("MAILLAGE_ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # allauth's security-key pages use it
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "maillage.web",
    "maillage.privacy",
    "maillage.audit",
    "maillage.backup",
    "maillage.jobs",
    "maillage.accounts",
    "maillage.territories",
    "maillage.network",
    "maillage.notifications",
    "maillage.situations",
    "maillage.referrals",
    "maillage.assessments",
    "maillage.protection",
    "maillage.housing",
    "maillage.meetings",
    "maillage.actionplan",
    "maillage.prevention",
    "maillage.stats",
    "maillage.api",
    "maillage.demo",
]

MIDDLEWARE = [
    # Request id and the one log line of each request (maillage/web/logs.py), around everything else.
    "maillage.web.middleware.RequestLogMiddleware",
    # /healthz answers before host validation and the HTTPS redirect: load balancers call it by address.
    "maillage.web.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maillage.audit.middleware.AuditContextMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maillage.accounts.middleware.SessionLifetimeMiddleware",
    "maillage.accounts.middleware.SecondFactorMiddleware",
    "maillage.network.middleware.ActorMiddleware",
    "maillage.web.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "maillage" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.web.context_processors.maillage",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'maillage.sqlite3'}",
        conn_max_age=int(os.environ.get("MAILLAGE_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the database lock when their transaction begins, so that concurrent requests queue up
    # instead of failing half-way (the audit chain relies on it).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation of queries (ADR 0041): it costs more than it saves on the application's
    # short statements, and took 1.2 s of a statistics query of 2.6 s.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c jit=off {options.get('options', '')}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (ADR 0024): django-tasks with its database backend, run by `maillage worker`, which also
# enqueues the daily checks once a day. Tests use the same backend and the same worker code.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Rate limits (allauth) and single-use TOTP codes need a cache shared by every process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillage_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # also the validity of an invitation link

# Sessions: server-side, so that a deactivated member or a sign-out really ends them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "maillage_session"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = int(os.environ.get("MAILLAGE_SESSION_IDLE_SECONDS", 30 * 60))
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("MAILLAGE_SESSION_MAX_SECONDS", 10 * 3600))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# allauth: accounts are created by administrators and invitations, never by public sign-up.
ACCOUNT_ADAPTER = "maillage.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account, the one its invitation was sent to: « Adresses électroniques » cannot add another
# (which could then receive password resets or become the primary address).
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset never signs in: the second factor is still asked
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
# No mail at all for an address that is no account's own: neither a way to tell it apart from a secondary
# address (which receives nothing either) nor a sign-up link (sign-up is closed).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maillage] "
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Ten wrong passwords (or second-factor codes) for one account lock it for 15 minutes.
LOGIN_FAILURES_BEFORE_LOCKOUT = 10
ACCOUNT_RATE_LIMITS = {
    "login": "60/m/ip",
    "login_failed": f"50/15m/ip,{LOGIN_FAILURES_BEFORE_LOCKOUT}/15m/key",
    "reset_password": "20/m/ip,5/15m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False  # a passkey is an additional second factor, never a replacement
MFA_TOTP_ISSUER = "Maillage"
MFA_RECOVERY_CODE_COUNT = 10
MFA_TRUST_ENABLED = False
# Second-factor secrets are encrypted with the data keys, like identities (maillage/privacy/mfa_adapter.py).
MFA_ADAPTER = "maillage.privacy.mfa_adapter.MFAAdapter"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` (run by `maillage serve`) gathers the static files that WhiteNoise serves.
STATIC_ROOT = Path(os.environ.get("MAILLAGE_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("MAILLAGE_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("MAILLAGE_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("MAILLAGE_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("MAILLAGE_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("MAILLAGE_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _flag("MAILLAGE_EMAIL_USE_TLS")  # STARTTLS, usually port 587
EMAIL_USE_SSL = _flag("MAILLAGE_EMAIL_USE_SSL")  # TLS from the first byte, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "MAILLAGE_EMAIL_USE_TLS et MAILLAGE_EMAIL_USE_SSL s'excluent : STARTTLS (TLS, port 587 en général) "
        "ou TLS dès la connexion (SSL, port 465 en général), pas les deux."
    )
EMAIL_TIMEOUT = int(
    os.environ.get("MAILLAGE_EMAIL_TIMEOUT", "10")
)  # seconds: a stuck server never hangs a worker
DEFAULT_FROM_EMAIL = os.environ.get("MAILLAGE_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.invalid>")

# Every field says "(facultatif)" when it is optional (maillage/web/form_rendering.py).
FORM_RENDERER = "maillage.web.form_rendering.MaillageFormRenderer"

# Security headers (DOMAIN.md §4). CSP: no inline script, no third-party origin.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Lists show this many rows a page (maillage.web.pagination); the API answers as many unless asked for more.
MAILLAGE_PAGE_SIZE = 50
NINJA_PAGINATION_PER_PAGE = MAILLAGE_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 200

# One JSON object per line on the standard error, each with the id of its request (maillage/web/logs.py).
# `maillage.requests` writes one line per request (route, status, duration, public ids; never the path).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "maillage.web.logs.JsonFormatter"}},
    "filters": {"request_id": {"()": "maillage.web.logs.RequestIdFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MAILLAGE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "maillage.requests": {"level": os.environ.get("MAILLAGE_REQUEST_LOG_LEVEL", "INFO")},
        # Its "Not Found: /path" lines would repeat raw paths: the request line already says 404.
        "django.request": {"level": "ERROR"},
    },
}

# Encryption keys of nominative data (AES-GCM) and of blind indexes (HMAC): files outside the database,
# generated at setup, never committed. See README « Clés, secrets et sauvegardes ».
MAILLAGE_KEYS_DIR = Path(os.environ.get("MAILLAGE_KEYS_DIR", VAR_DIR / "keys"))

# Reverse proxies in front of the application that append the client's address to X-Forwarded-For.
# 0 (default): the header is ignored and the audit trail records REMOTE_ADDR.
MAILLAGE_TRUSTED_PROXY_COUNT = int(os.environ.get("MAILLAGE_TRUSTED_PROXY_COUNT", "0"))

# Absolute address of the application, for links in e-mails sent outside a request.
MAILLAGE_BASE_URL = os.environ.get("MAILLAGE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Break-the-glass: how long an emergency access to one situation lasts (DOMAIN.md §4).
MAILLAGE_EMERGENCY_ACCESS_MINUTES = int(os.environ.get("MAILLAGE_EMERGENCY_ACCESS_MINUTES", "30"))

# Personal API tokens: the longest validity one may choose, also the default (days).
MAILLAGE_API_TOKEN_DAYS = int(os.environ.get("MAILLAGE_API_TOKEN_DAYS", "90"))
# A referral still unanswered this many days after it was sent is flagged to its sender (once).
MAILLAGE_REFERRAL_UNANSWERED_DAYS = int(os.environ.get("MAILLAGE_REFERRAL_UNANSWERED_DAYS", "5"))

# Protective measures (ADR 0025): the usual length of a measure once in force, when its end is not given
# (a TGD 6 months, an ordonnance de protection 12), and how many days before its end those who see it are
# reminded (once per recipient and end date, by the daily job of `maillage worker`).
MAILLAGE_MEASURE_DURATION_MONTHS = {"tgd": 6, "protection_order": 12}
MAILLAGE_MEASURE_REMINDER_DAYS = int(os.environ.get("MAILLAGE_MEASURE_REMINDER_DAYS", "30"))
# Emergency housing (ADR 0030): how many days before a stay's planned end its unit's housing managers are
# reminded (once per stay and end date, by the daily job of `maillage worker`).
MAILLAGE_HOUSING_REMINDER_DAYS = int(os.environ.get("MAILLAGE_HOUSING_REMINDER_DAYS", "3"))
# Coordination meetings (ADR 0032): the agenda proposes the situations not examined for this many weeks,
# and the measures and stays ending within this many days after the meeting; the members' access to the
# agenda's situations lasts at most this many minutes after the scheduled end (unless closed sooner).
MAILLAGE_MEETING_REVIEW_WEEKS = int(os.environ.get("MAILLAGE_MEETING_REVIEW_WEEKS", "8"))
MAILLAGE_MEETING_HORIZON_DAYS = int(os.environ.get("MAILLAGE_MEETING_HORIZON_DAYS", "30"))
MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES = int(os.environ.get("MAILLAGE_MEETING_ACCESS_MARGIN_MINUTES", "60"))
# Published figures (ADR 0039): counts from 1 to this minus one are shown « < 11 » to observers and in every
# export, report and open-data file; a territory may raise or lower it (maillage.stats.models), never below 5.
MAILLAGE_STATISTICS_THRESHOLD = int(os.environ.get("MAILLAGE_STATISTICS_THRESHOLD", "11"))
if MAILLAGE_STATISTICS_THRESHOLD < 5:
    raise ImproperlyConfigured(
        "MAILLAGE_STATISTICS_THRESHOLD ne peut pas être inférieur à 5 : en dessous, un effectif publié "
        "suffit à reconnaître des personnes."
    )
