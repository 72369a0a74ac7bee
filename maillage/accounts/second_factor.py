"""A fresh second factor for sensitive actions (break-the-glass, creating an API token): the current code of
the authenticator app, checked on the server. Recovery codes and security keys do not count here: the action
must be done with the phone in hand, now."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.cache import cache

TOTP_CODE_FAILURES = 5  # wrong codes per account and quarter of an hour before every code is refused
TOTP_CODE_WINDOW = 15 * 60


def _failures_key(user) -> str:
    return f"maillage.accounts.totp_code_failures:{user.pk}"


def verify_totp_code(user, code: str) -> bool | None:
    """True/False for a TOTP code; None when the account has no authenticator app.

    A code serves once (allauth remembers used codes in the cache). After TOTP_CODE_FAILURES wrong codes,
    every code is refused until the window ends. The caller records the failure in the audit trail."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    if cache.get(_failures_key(user), 0) >= TOTP_CODE_FAILURES:
        return False
    if TOTP(authenticator).validate_code(code.strip().replace(" ", "")):
        return True
    cache.add(_failures_key(user), 0, TOTP_CODE_WINDOW)
    cache.incr(_failures_key(user))
    return False
