"""Writes on accounts: creation by invitation, deactivation, personal API tokens."""

from collections.abc import Iterable
from datetime import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maillage import audit
from maillage.accounts.actor import Actor
from maillage.accounts.models import ApiToken, User
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network import role_changes
from maillage.network.models import Membership


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
def user_create(*, actor: Actor, email: str, first_name: str, last_name: str) -> User:
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


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool) -> User:
    """Deactivating an account ends its sessions on their next request and revokes its API tokens."""
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    if user.pk == actor.user.pk and not active:
        raise DomainError("Vous ne pouvez pas désactiver votre propre compte.")
    # Compared with the stored row, not with `user`, which a form may already have changed in memory.
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        # Each active membership of the account loses (or regains) its access, under the same rules as one
        # membership deactivated (or reactivated): a coordinator or DPO lost is told, roles that open
        # situations come back only with the coordinator's approval.
        for membership in Membership.objects.filter(user=locked, is_active=True).select_related("user"):
            role_changes.access_changed(actor, membership, active=active)
        if not active:
            api_tokens_revoke_all(actor=actor, user=locked, reason="account_deactivated")
        audit.record(
            actor=actor,
            action=AuditAction.ACCOUNT_ACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED,
            obj=locked,
            user=locked,
            changes={"email": locked.email},
        )
    user.is_active = active
    return user


# The technical flags of an account: the Django admin is their only editor (accounts/admin.py).
ADMIN_FLAGS = ("is_platform_admin", "is_staff", "is_superuser")


def account_flags_refusal(*, actor: Actor, user: User, flags: dict[str, bool]) -> str | None:
    """Why `actor` may not set these flags (`is_active` and ADMIN_FLAGS) on `user`, or None.

    Shared by `user_set_admin_flags` and the admin's form, which shows the reason with the input kept."""
    if not actor.is_platform_admin:
        return PermissionDeniedError().message
    changed = {name for name, value in flags.items() if getattr(user, name) != value}
    if not changed:
        return None
    if user.pk == actor.user.pk:
        return (
            "Vous ne pouvez pas modifier les droits de votre propre compte : "
            "demandez-le à un·e autre administrateur·rice technique."
        )
    if (
        "is_platform_admin" in changed
        and flags["is_platform_admin"]
        and Membership.objects.filter(user=user, is_active=True).exists()
    ):
        return (
            "Ce compte est membre d'une organisation : l'administration technique ne peut détenir aucune "
            "adhésion. Désactivez d'abord ses adhésions, puis recommencez."
        )
    return None


@transaction.atomic
def user_set_admin_flags(*, actor: Actor, user: User, **flags: bool) -> User:
    """Sets the technical flags of another account (`is_platform_admin`, `is_staff`, `is_superuser`)."""
    unknown = set(flags) - set(ADMIN_FLAGS)
    if unknown:
        raise ValueError(f"Not an admin flag: {', '.join(sorted(unknown))}")
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    locked = User.objects.select_for_update().get(pk=user.pk)
    refusal = account_flags_refusal(actor=actor, user=locked, flags=flags)
    if refusal:
        raise DomainError(refusal)
    changes = {
        name: [getattr(locked, name), value]
        for name, value in flags.items()
        if getattr(locked, name) != value
    }
    if changes:
        for name, value in flags.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(flags))
        audit.record(
            actor=actor,
            action=AuditAction.ACCOUNT_ADMIN_FLAGS_CHANGED,
            obj=locked,
            user=locked,
            changes={"email": locked.email, **changes},
        )
    for name, value in flags.items():
        setattr(user, name, value)
    return user


@transaction.atomic
def api_token_create(
    *, actor: Actor, name: str, scope: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    """Returns the token and its clear key, shown once and never stored.

    Every token expires, at the latest at the end of the MAILLAGE_API_TOKEN_DAYS-th day from today. The page
    asks a fresh second-factor code before calling this (token_views.py)."""
    if not actor.is_member:
        raise PermissionDeniedError(
            "Un jeton d'API agit au nom d'une adhésion : l'administration technique n'en a pas."
        )
    name = name.strip()
    if not name:
        raise DomainError("Donnez un nom au jeton pour le reconnaître.")
    if expires_at is None:
        raise DomainError("Choisissez le dernier jour de validité du jeton : un jeton expire toujours.")
    if expires_at <= timezone.now():
        raise DomainError("La date d'expiration doit être dans le futur.")
    last_day = ApiToken.last_allowed_day()
    if expires_at > ApiToken.end_of(last_day):
        raise DomainError(
            f"Un jeton vaut au plus {settings.MAILLAGE_API_TOKEN_DAYS} jours : "
            f"choisissez une date jusqu'au {last_day:%d/%m/%Y}."
        )
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=actor.user,
        membership=actor.membership,
        name=name,
        scope=scope,
        key_prefix=key[:10],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at,
    )
    # Never the key, nor a part of it.
    audit.record(
        actor=actor,
        action=AuditAction.API_TOKEN_CREATED,
        obj=token,
        changes={"name": token.name, "scope": token.scope, "expires_at": expires_at},
    )
    return token, key


def _revoke(*, actor: Actor, token: ApiToken, reason: str | None = None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    changes = {"name": token.name} if reason is None else {"name": token.name, "reason": reason}
    audit.record(
        actor=actor, action=AuditAction.API_TOKEN_REVOKED, obj=token, user=token.user, changes=changes
    )


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.user.pk:
        raise PermissionDeniedError
    if token.revoked_at is None:
        _revoke(actor=actor, token=token)
    return token


@transaction.atomic
def api_tokens_revoke_all(
    *, actor: Actor, reason: str, memberships: Iterable[Membership] | None = None, user: User | None = None
) -> int:
    """Revokes (for good, audited) every token acting as one of `memberships`, or belonging to `user`.

    Called in their transaction by the services that deactivate a membership, an account or an organisation,
    so that no token comes back to life when it is reactivated. `membership_set_active` calls it on
    reactivation too, where it finds nothing to revoke, except a token left over from before this rule.
    `reason` names the cause (`membership_deactivated`, `account_deactivated`, `organisation_deactivated`).
    Returns how many tokens were revoked."""
    if memberships is None and user is None:
        raise ValueError("Say whose tokens to revoke: memberships or user.")
    tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_for_update(of=("self",))
    if memberships is not None:
        tokens = tokens.filter(membership__in=[m.pk for m in memberships])
    if user is not None:
        tokens = tokens.filter(user=user)
    revoked = 0
    for token in tokens.select_related("user").order_by("pk"):
        _revoke(actor=actor, token=token, reason=reason)
        revoked += 1
    return revoked
