"""Session lifetime: 30 minutes idle, 10 hours at most from sign-in (settings SESSION_IDLE_TIMEOUT and
SESSION_ABSOLUTE_LIFETIME). Kept in the server-side session so a copied cookie cannot extend it."""

import time

from allauth.mfa.models import Authenticator
from django.conf import settings

from maillage.accounts import mfa

STARTED_AT = "maillage.started_at"
# The membership this session acts as (its public id), chosen on « Changer d'adhésion »; read by
# `maillage.network.middleware.ActorMiddleware`.
ACTIVE_MEMBERSHIP_SESSION_KEY = "maillage.active_membership"
LAST_SEEN = "maillage.last_seen"
# Avoid rewriting the session row on every request; the idle clock is precise to this many seconds.
LAST_SEEN_RESOLUTION = 15


def start(request) -> None:
    now = time.time()
    request.session[STARTED_AT] = now
    request.session[LAST_SEEN] = now


def expired(request) -> bool:
    now = time.time()
    started = request.session.get(STARTED_AT)
    last_seen = request.session.get(LAST_SEEN)
    if started is None or last_seen is None:
        return True
    return (
        now - last_seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_LIFETIME
    )


def touch(request) -> None:
    now = time.time()
    if now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION:
        request.session[LAST_SEEN] = now


def has_second_factor(request) -> bool:
    """True when this session passed a second factor (TOTP, recovery code or security key)."""
    return any(r.get("method") == "mfa" for r in mfa.authentication_records(request))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
