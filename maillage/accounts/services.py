"""Writes on accounts: creation by invitation, and the invitation sent again.

What an account means for its memberships (deactivation, the platform-admin flag) is `network`'s
(`maillage.network.accounts`): this app sits below `network` and never imports it."""

from typing import Protocol

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from maillage import audit
from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.audit.services import AuditActor
from maillage.errors import DomainError, PermissionDeniedError


class AccountActor(AuditActor, Protocol):
    """Who acts, as the layers below `network` see it (accounts, territories): an account, maybe a membership,
    and whether it is the technical administrator. `maillage.network.actor.Actor` and the audit's
    `console_actor()` both are; these layers never import `network`."""

    @property
    def is_platform_admin(self) -> bool: ...


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def user_get_or_create(*, email: str, first_name: str, last_name: str) -> tuple[User, bool]:
    """The account for an e-mail address, created without a usable password when new."""
    email = _normalise_email(email)
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user, False
    user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    except IntegrityError:
        # Created by a simultaneous request for the same address: use that account.
        return User.objects.get(email=email), False
    return user, True


def invitation_url(user: User) -> str:
    """A one-time link to choose a password (allauth's reset-from-key page, so the same checks apply)."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
    return settings.MAILLAGE_BASE_URL + path.replace("UID-KEY", key)


def send_invitation(*, user: User) -> None:
    """E-mail an invitation. It names no organisation, territory or situation (DOMAIN.md §4)."""
    context = {"url": invitation_url(user), "has_password": user.has_usable_password()}
    if user.has_usable_password():
        context["url"] = settings.MAILLAGE_BASE_URL + reverse("account_login")
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [user.email])


@transaction.atomic
def user_create(*, actor: AccountActor, email: str, first_name: str, last_name: str) -> User:
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    if User.objects.filter(email=_normalise_email(email)).exists():
        raise DomainError("Un compte existe déjà avec cette adresse électronique.")
    user, _ = user_get_or_create(email=email, first_name=first_name, last_name=last_name)
    audit.record(
        actor=actor, action=AuditAction.ACCOUNT_CREATED, obj=user, user=user, changes={"email": user.email}
    )
    transaction.on_commit(lambda: send_invitation(user=user))
    return user


def invitation_resend(*, actor: AccountActor, user: User) -> User:
    """E-mails the invitation again: a new set-password link, or the sign-in address if a password exists.

    The entry is committed first, then the e-mail leaves: call it outside a transaction (the page does)."""
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            raise DomainError("Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation.")
        audit.record(
            actor=actor,
            action=AuditAction.ACCOUNT_INVITATION_RESENT,
            obj=locked,
            user=locked,
            changes={"email": locked.email},
        )
    send_invitation(user=locked)
    return locked
