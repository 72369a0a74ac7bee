"""Calling the API as a token holder."""

from maillage.accounts import services
from maillage.accounts.actor import Actor

API = "/api/v1"


def actor_of(membership) -> Actor:
    return Actor.from_membership(membership.user, membership, [membership])


def create_token(membership, *, scope: str = "read", expires_at=None, name: str = "Script de suivi"):
    """(token, clear key) created through the real service, as the member would on the tokens page."""
    return services.api_token_create(
        actor=actor_of(membership), name=name, scope=scope, expires_at=expires_at
    )


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}
