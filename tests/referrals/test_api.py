"""The referrals API: the same policy and state machine as the pages."""

import pytest
from django.urls import reverse

from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from tests.referrals.factories import consenting_situation, refer

pytestmark = pytest.mark.django_db


def act_url(referral, action):
    return reverse("api:referral_act", kwargs={"public_id": referral.public_id, "action": action})


def test_create_then_accept_then_decline_through_the_api(net):
    situation = consenting_situation(net)
    gendarme, cidff = net.client("gendarme"), net.client("cidff")
    response = gendarme.post(
        reverse("api:referral_create"),
        {
            "situation": str(situation.public_id),
            "receiver": str(net.cidff.public_id),
            "needs": ["legal_advice"],
            "reason": "Conseil juridique",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["situation"]["pseudonym"] == situation.pseudonym
    referral = Referral.objects.get(public_id=body["public_id"])
    situation_url = reverse("api:situation", args=[situation.public_id])
    assert cidff.get(situation_url).status_code == 404
    listed = cidff.get(reverse("api:referrals")).json()
    assert [item["public_id"] for item in listed["items"]] == [str(referral.public_id)]
    accepted = cidff.post(act_url(referral, "accept"), {"version": 1}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert cidff.get(situation_url).status_code == 200
    again = cidff.post(act_url(referral, "accept"), {"version": 1}, content_type="application/json")
    assert again.status_code == 400 and "ne peut plus être acceptée" in again.json()["detail"]
    stale = cidff.post(
        act_url(referral, "decline"), {"version": 1, "reason": "Non"}, content_type="application/json"
    )
    assert stale.status_code == 409
    declined = cidff.post(
        act_url(referral, "decline"), {"version": 2, "reason": "Non"}, content_type="application/json"
    )
    assert declined.json()["status"] == ReferralStatus.DECLINED
    assert cidff.get(situation_url).status_code == 404


@pytest.mark.parametrize("name, status", [("doctor", 404), ("referent_elsewhere", 404), ("observer", 403)])
def test_who_neither_sends_nor_receives_reaches_nothing(net, name, status):
    referral = refer(net, consenting_situation(net))
    client = net.client(name)
    assert client.get(reverse("api:referral", args=[referral.public_id])).status_code == status
    response = client.post(act_url(referral, "accept"), {}, content_type="application/json")
    assert response.status_code == status
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


def test_the_sender_cannot_accept_its_own_referral(net):
    referral = refer(net, consenting_situation(net))
    response = net.client("gendarme").post(act_url(referral, "accept"), {}, content_type="application/json")
    assert response.status_code == 403


def test_referring_a_situation_one_cannot_see_is_404(net):
    situation = consenting_situation(net)
    response = net.client("doctor").post(
        reverse("api:referral_create"),
        {
            "situation": str(situation.public_id),
            "receiver": str(net.cidff.public_id),
            "needs": ["health"],
            "reason": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
