"""Signing in as a person who passed the second factor, without going through the login pages."""

import time
from types import SimpleNamespace

from django.test import Client

from maillage.accounts import mfa, sessions
from maillage.accounts.sessions import ACTIVE_MEMBERSHIP_SESSION_KEY


def sign_in(client: Client, user, membership=None, *, second_factor: bool = True) -> Client:
    client.force_login(user)
    session = client.session
    now = time.time()
    session[sessions.STARTED_AT] = now
    session[sessions.LAST_SEEN] = now
    if second_factor:
        request = SimpleNamespace(session=session)
        mfa.record_sign_in_step(request, user, "password")
        mfa.record_sign_in_step(request, user, "mfa", type="totp")
    if membership is not None:
        session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(membership.public_id)
    session.save()
    return client


def audit_entry_queries() -> int:
    """The statements one audit entry costs inside its transaction: lock the chain head, insert, move the
    head; on PostgreSQL the insert and the move are one statement (ADR 0044), so 2 there and 3 on SQLite.
    Query-count tests add this once per entry their request records."""
    from django.db import connection

    return 2 if connection.vendor == "postgresql" else 3
