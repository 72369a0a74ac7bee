"""Calling the API as a token holder."""

from maillage.network import tokens as services
from maillage.network.actor import Actor
from maillage.network.models import ApiToken

API = "/api/v1"


def actor_of(membership) -> Actor:
    return Actor.from_membership(membership.user, membership, [membership])


def create_token(membership, *, scope: str = "read", expires_at=None, name: str = "Script de suivi"):
    """(token, clear key) created through the real service, as the member would on the tokens page (which
    first checks their second-factor code); it expires at the latest allowed, as the page proposes."""
    return services.api_token_create(
        actor=actor_of(membership),
        name=name,
        scope=scope,
        expires_at=expires_at or ApiToken.end_of(ApiToken.last_allowed_day()),
    )


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}
