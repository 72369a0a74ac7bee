"""The one module that reaches allauth's internal modules (`allauth.*.internal`), so that an allauth upgrade
changes this file only. An import-linter contract (pyproject.toml) refuses them anywhere else in Maillage."""

from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def authentication_records(request) -> list[dict]:
    """How this session's person proved who they are (`{"method": "password" | "mfa", …}` each)."""
    return get_authentication_records(request, request.user)


def record_sign_in_step(request, user, method: str, **details) -> None:
    """Adds a step (`"password"`, `"mfa"` with its `type`…) to the session's authentication records."""
    record_authentication(request, user, method, **details)


def record_totp_enrolment(request, user, authenticator: Authenticator) -> None:
    """Activating TOTP took a valid code from the new device: it counts as this session's second factor."""
    record_sign_in_step(request, user, "mfa", type="totp", id=authenticator.pk, enrolment=True)


def totp_code_is_valid(authenticator: Authenticator, code: str) -> bool:
    """The current code of this authenticator app; a code serves once (allauth remembers used codes)."""
    return TOTP(authenticator).validate_code(code)


def totp_enrol(user) -> str:
    """Gives the account an authenticator app with a new secret and, as allauth's own enrolment does, a set of
    recovery codes; returns the secret (demo accounts)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    recovery_codes_enrol(user)
    return secret


def recovery_codes_enrol(user) -> None:
    """A set of recovery codes, as allauth's enrolment gives with the first authenticator app."""
    RecoveryCodes.activate(user)
