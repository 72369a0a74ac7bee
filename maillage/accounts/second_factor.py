"""A fresh second factor for sensitive actions (break-the-glass, creating an API token): the current code of
the authenticator app, checked on the server. Recovery codes and security keys do not count here: the action
must be done with the phone in hand, now."""

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import transaction

from maillage import audit
from maillage.accounts import mfa
from maillage.audit.enums import AuditAction
from maillage.audit.services import AuditActor
from maillage.errors import DomainError

TOTP_CODE_FAILURES = 5  # wrong codes per account and quarter of an hour before every code is refused
TOTP_CODE_WINDOW = 15 * 60


def _failures_key(user) -> str:
    return f"maillage.accounts.totp_code_failures:{user.pk}"


def verify_totp_code(user, code: str) -> bool | None:
    """True/False for a TOTP code; None when the account has no authenticator app.

    A code serves once (allauth remembers used codes in the cache). After TOTP_CODE_FAILURES wrong codes,
    every code is refused until the window ends. `second_factor_confirm` records the failures."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    if cache.get(_failures_key(user), 0) >= TOTP_CODE_FAILURES:
        return False
    if mfa.totp_code_is_valid(authenticator, code.strip().replace(" ", "")):
        return True
    cache.add(_failures_key(user), 0, TOTP_CODE_WINDOW)
    cache.incr(_failures_key(user))
    return False


class NoAuthenticatorApp(DomainError):
    """The account has no authenticator app: the page says where to add one."""

    def __init__(
        self, message: str = "Ajoutez d'abord une application d'authentification dans « Sécurité »."
    ):
        super().__init__(message)


class WrongCode(DomainError):
    """Wrong, already used, or refused after too many wrong codes."""

    def __init__(self, message: str = "Ce code n'est pas valide (ou a déjà servi)."):
        super().__init__(message)


def second_factor_confirm(*, actor: AuditActor, code: str, during: str) -> None:
    """Confirms a sensitive action (`during`: "emergency_access", "api_token") with the current code of the
    actor's authenticator app, or raises NoAuthenticatorApp or WrongCode (the page says what to do).

    A wrong code is counted (see `verify_totp_code`) and recorded in the audit trail (`auth.mfa_failed`, with
    `during`), in a transaction of its own: call this outside the action's transaction, so that a refused
    action still leaves its trace."""
    verified = verify_totp_code(actor.user, code)
    if verified is None:
        raise NoAuthenticatorApp
    if not verified:
        with transaction.atomic():
            audit.record(
                actor=actor, action=AuditAction.MFA_FAILED, user=actor.user, changes={"during": during}
            )
        raise WrongCode
