"""What signing in sets off: the session clock, the enrolment counted as a second factor, and the
account-level audit entries (sign-in and sign-out, failed sign-ins and second-factor codes, second-factor
changes, passwords) recorded from Django's and allauth's signals. Connected in AccountsConfig.ready().

Audit entries of these events belong to no territory: the DPO sees them for the accounts holding a
membership in theirs.
"""

from dataclasses import dataclass

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import (
    authentication_failed,
    authenticator_added,
    authenticator_removed,
    authenticator_reset,
)
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from maillage.accounts import mfa, sessions
from maillage.audit.enums import AuditAction
from maillage.audit.services import record

LOGIN_MAX_LENGTH = 254


@dataclass(frozen=True)
class OwnAccount:
    """The actor of an account-level event: the account itself, acting through no membership."""

    user: object
    membership: None = None


def _as_actor(user) -> OwnAccount:
    return OwnAccount(user=user)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start(request)


@receiver(authenticator_added)
def count_enrolment_as_second_factor(sender, request, user, authenticator, **kwargs):
    # Activating TOTP requires a valid code from the new device: the session has just proved the second
    # factor, so it may leave the enrolment-only zone without signing in again.
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        mfa.record_totp_enrolment(request, user, authenticator)


def _signed_in_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record(actor=_as_actor(user), action=AuditAction.LOGIN, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(actor=_as_actor(user), action=AuditAction.LOGOUT, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    """A wrong password, at sign-in (anonymous) or when a signed-in person confirms it (re-authentication).
    Django has already masked the password in `credentials`; only the login typed is kept."""
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:LOGIN_MAX_LENGTH]
    signed_in = _signed_in_user(request)
    if signed_in is not None:
        record(
            actor=_as_actor(signed_in),
            action=AuditAction.LOGIN_FAILED,
            user=signed_in,
            changes={"reauthentication": True},
        )
        return
    account = get_user_model().objects.filter(email__iexact=attempted.strip()).first() if attempted else None
    record(actor=None, action=AuditAction.LOGIN_FAILED, user=account, changes={"login": attempted})


@receiver(authentication_failed, dispatch_uid="audit_mfa_failed")
def on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    signed_in = _signed_in_user(request)
    record(
        actor=_as_actor(signed_in) if signed_in is not None else None,
        action=AuditAction.MFA_FAILED,
        user=user,
        changes={"type": authenticator.type, "reauthentication": bool(reauthentication)},
    )


def _authenticator_event(verb: str):
    def receive(sender, request, user, authenticator, **kwargs):
        record(
            actor=_as_actor(user),
            action=AuditAction(f"mfa.{authenticator.type}_{verb}"),
            user=user,
            changes={"type": authenticator.type},
        )

    return receive


on_authenticator_added = _authenticator_event("added")
on_authenticator_removed = _authenticator_event("removed")
on_authenticator_reset = _authenticator_event("reset")
authenticator_added.connect(on_authenticator_added, dispatch_uid="audit_mfa_added")
authenticator_removed.connect(on_authenticator_removed, dispatch_uid="audit_mfa_removed")
authenticator_reset.connect(on_authenticator_reset, dispatch_uid="audit_mfa_reset")


def _password_event(action: AuditAction):
    def receive(sender, request, user, **kwargs):
        record(actor=_as_actor(user), action=action, user=user)

    return receive


on_password_changed = _password_event(AuditAction.PASSWORD_CHANGED)
on_password_set = _password_event(AuditAction.PASSWORD_SET)
on_password_reset = _password_event(AuditAction.PASSWORD_RESET)
password_changed.connect(on_password_changed, dispatch_uid="audit_password_changed")
password_set.connect(on_password_set, dispatch_uid="audit_password_set")
password_reset.connect(on_password_reset, dispatch_uid="audit_password_reset")
