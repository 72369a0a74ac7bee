"""Personal API tokens: created (with a fresh second-factor code, asked by the page), revoked by their owner,
and revoked for good, with their membership, account or organisation, by the services that deactivate them.
A token acts as the membership it was created under: it lives and dies with it, so it belongs to `network`.
"""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.accounts.models import User
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import ApiToken, Membership


@transaction.atomic
def api_token_create(
    *, actor: Actor, name: str, scope: str, expires_at: datetime | None
) -> tuple[ApiToken, str]:
    """Returns the token and its clear key, shown once and never stored.

    Every token expires, at the latest at the end of the MAILLAGE_API_TOKEN_DAYS-th day from today. The page
    asks a fresh second-factor code before calling this (`maillage.api.token_views`)."""
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
    *,
    actor: Actor,
    reason: str,
    memberships: Iterable[Membership] | None = None,
    user: User | None = None,
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
