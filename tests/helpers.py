"""Signing in as a person who passed the second factor, without going through the login pages."""

import time

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.test import Client

from maillage.accounts import sessions
from maillage.accounts.actor import ACTIVE_MEMBERSHIP_SESSION_KEY


def sign_in(client: Client, user, membership=None, *, second_factor: bool = True) -> Client:
    client.force_login(user)
    session = client.session
    now = time.time()
    session[sessions.STARTED_AT] = now
    session[sessions.LAST_SEEN] = now
    if second_factor:
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now},
            {"method": "mfa", "at": now, "type": "totp"},
        ]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    if membership is not None:
        session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(membership.public_id)
    session.save()
    return client
