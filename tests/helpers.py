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
