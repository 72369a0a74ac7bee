"""The « Sécurité » page (allauth's second-factor overview) for an account enrolled as the demo does."""

import pytest
from allauth.mfa.models import Authenticator

from maillage.accounts import mfa
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_account_enrolled_like_the_demo_has_recovery_codes_and_its_security_page_opens(client):
    """The demo gave its accounts a TOTP device and no recovery codes, unlike allauth's own enrolment: the
    security page of every demo account then failed with a server error (found by the every-page browser
    test)."""
    membership = MembershipFactory(roles=["coordinator"])
    mfa.totp_enrol(membership.user)
    assert Authenticator.objects.filter(user=membership.user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client = sign_in(client, membership.user, membership)
    client.raise_request_exception = False
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
