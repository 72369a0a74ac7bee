"""The referral pages: referring from the situation page, the receiver's summary without identities, the
situation page closed to the receiver until it accepts and closed again at once when it declines or the
sender cancels (the very next request, page and API), clear messages for illegal transitions and double
clicks, a confirmation before removing access, and who may reach which page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.referrals.enums import ReferralNeed, ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import LegalGround
from tests.referrals.factories import consenting_situation, refer

pytestmark = pytest.mark.django_db


def page(situation):
    return reverse("situations:detail", args=[situation.public_id])


def api(situation):
    return reverse("api:situation", args=[situation.public_id])


def detail(referral):
    return reverse("referrals:detail", args=[referral.public_id])


def act(client, referral, action, **data):
    referral.refresh_from_db()
    data.setdefault("version", referral.version)
    return client.post(reverse(f"referrals:{action}", args=[referral.public_id]), data)


def test_the_situation_page_offers_to_refer_it(net):
    situation = consenting_situation(net)
    response = net.client("gendarme").get(page(situation))
    assert reverse("referrals:create", args=[situation.public_id]) in response.content.decode()


def test_referring_from_the_form(net):
    situation = consenting_situation(net)
    client = net.client("gendarme")
    url = reverse("referrals:create", args=[situation.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "receiver": net.cidff.public_id,
            "needs": [ReferralNeed.LEGAL_ADVICE, ReferralNeed.VICTIM_SUPPORT],
            "reason": "Souhaite connaître ses droits",
            "legal_ground": LegalGround.CONSENT,
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == detail(referral)
    assert referral.needs == sorted([ReferralNeed.LEGAL_ADVICE, ReferralNeed.VICTIM_SUPPORT])


def test_a_refused_referral_form_keeps_what_was_typed(net):
    situation = consenting_situation(net, organisations=[net.ccas])
    response = net.client("gendarme").post(
        reverse("referrals:create", args=[situation.public_id]),
        {
            "receiver": net.cidff.public_id,
            "needs": [ReferralNeed.SHELTER],
            "reason": "Mise à l'abri",
            "legal_ground": LegalGround.CONSENT,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "consentement enregistré ne couvre pas" in content
    assert "Mise à l&#x27;abri" in content
    assert not Referral.objects.exists()


@pytest.mark.parametrize("name", ["cidff", "doctor", "referent_elsewhere"])
def test_who_does_not_follow_the_situation_cannot_reach_the_form(net, name):
    situation = consenting_situation(net)
    assert net.client(name).get(reverse("referrals:create", args=[situation.public_id])).status_code == 404


@pytest.mark.parametrize("name", ["observer", "dpo", "org_admin", "housing_manager"])
def test_roles_that_see_no_situation_reach_no_referral_page(net, name):
    referral = refer(net, consenting_situation(net))
    client = net.client(name)
    assert client.get(reverse("referrals:list")).status_code == 403
    assert client.get(detail(referral)).status_code == 403


def test_the_receiver_sees_a_summary_without_identities_until_it_accepts(net):
    situation = consenting_situation(net)
    referral = refer(net, situation, reason="Besoin d'un conseil juridique")
    cidff = net.client("cidff")
    assert cidff.get(page(situation)).status_code == 404
    assert cidff.get(api(situation)).status_code == 404
    summary = cidff.get(detail(referral)).content.decode()
    assert situation.pseudonym in summary
    assert "Besoin d&#x27;un conseil juridique" in summary
    assert "Camille" not in summary and "Exemple" not in summary
    assert page(situation) not in summary  # no link to a page it cannot open
    listed = cidff.get(reverse("referrals:list")).content.decode()
    assert detail(referral) in listed


@pytest.mark.parametrize("name", ["doctor", "ccas", "referent_elsewhere"])
def test_a_referral_is_hidden_from_whoever_neither_sends_nor_receives_it(net, name):
    referral = refer(net, consenting_situation(net))
    assert net.client(name).get(detail(referral)).status_code == 404


def test_accepting_opens_the_situation_on_the_next_request_and_declining_closes_it(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    cidff = net.client("cidff")
    response = act(cidff, referral, "accept")
    assert response.url == page(situation)
    assert cidff.get(page(situation)).status_code == 200
    assert cidff.get(api(situation)).status_code == 200
    assert act(cidff, referral, "decline", reason="Plus de place").status_code == 200  # confirmation first
    assert cidff.get(page(situation)).status_code == 200
    act(cidff, referral, "decline", reason="Plus de place", confirmed="1")
    assert cidff.get(page(situation)).status_code == 404
    assert cidff.get(api(situation)).status_code == 404


def test_cancelling_asks_first_then_closes_the_situation_at_once(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    cidff = net.client("cidff")
    act(cidff, referral, "accept")
    gendarme = net.client("gendarme")
    confirmation = act(gendarme, referral, "cancel").content.decode()
    assert "ne verra plus la situation" in confirmation
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    act(gendarme, referral, "cancel", confirmed="1")
    assert cidff.get(page(situation)).status_code == 404
    assert cidff.get(api(situation)).status_code == 404


def test_a_double_click_on_accept_says_it_and_changes_nothing(net):
    referral = refer(net, consenting_situation(net))
    cidff = net.client("cidff")
    read_at = referral.version
    cidff.post(reverse("referrals:accept", args=[referral.public_id]), {"version": read_at})
    response = cidff.post(
        reverse("referrals:accept", args=[referral.public_id]), {"version": read_at}, follow=True
    )
    assert "elle ne peut plus être acceptée. Rien n&#x27;a été modifié." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.version == read_at + 1


def test_accepting_a_cancelled_referral_says_it(net):
    referral = refer(net, consenting_situation(net))
    read_at = referral.version
    act(net.client("gendarme"), referral, "cancel", confirmed="1")
    response = net.client("cidff").post(
        reverse("referrals:accept", args=[referral.public_id]), {"version": read_at}, follow=True
    )
    assert "« annulée » : elle ne peut plus être acceptée" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CANCELLED


def test_a_colleague_answering_first_wins_and_the_other_is_told(net):
    """Two professionals of the CIDFF read the referral; one accepts, the other then declines from the
    page read before: refused, the acceptance stands."""
    net.memberships["cidff_colleague"] = net._member(net.cidff, ["professional"])
    referral = refer(net, consenting_situation(net))
    read_at = referral.version
    act(net.client("cidff"), referral, "accept", version=read_at)
    response = net.client("cidff_colleague").post(
        reverse("referrals:decline", args=[referral.public_id]),
        {"version": read_at, "reason": "Pas disponible", "confirmed": "1"},
        follow=True,
    )
    assert "Quelqu&#x27;un a agi sur cette orientation" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_declining_without_a_reason_shows_the_error(net):
    referral = refer(net, consenting_situation(net))
    response = act(net.client("cidff"), referral, "decline", reason="")
    assert response.status_code == 400
    assert "Erreur" in response.content.decode()


def test_the_receiver_marks_it_done_and_keeps_the_situation(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    cidff = net.client("cidff")
    act(cidff, referral, "accept")
    act(cidff, referral, "done")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    assert cidff.get(page(situation)).status_code == 200


def test_the_list_filters_by_direction_and_state(net):
    situation = consenting_situation(net)
    first = refer(net, situation)
    second = refer(net, situation, receiver=net.ccas)
    act(net.client("ccas"), second, "decline", reason="Hors de nos missions")
    gendarme = net.client("gendarme")
    sent = gendarme.get(reverse("referrals:list"), {"direction": "sent"}).content.decode()
    assert detail(first) in sent and detail(second) in sent
    declined = gendarme.get(
        reverse("referrals:list"), {"direction": "sent", "status": "declined"}
    ).content.decode()
    assert detail(second) in declined and detail(first) not in declined
    received = gendarme.get(reverse("referrals:list")).content.decode()
    assert detail(first) not in received


def test_reading_a_referral_is_recorded_on_its_situation(net):
    referral = refer(net, consenting_situation(net))
    net.client("cidff").get(detail(referral))
    entry = AuditEntry.objects.filter(action=AuditAction.SITUATION_VIEWED).latest("sequence")
    assert entry.object_public_id == referral.situation.public_id
    assert entry.changes == {"emergency": False, "part": "referral"}
    assert entry.actor_membership_id == net["cidff"].pk


def test_the_list_reads_a_fixed_number_of_queries(net, django_assert_max_num_queries):
    client = net.client("gendarme")
    situation = consenting_situation(net)
    refer(net, situation)
    url = reverse("referrals:list")
    with CaptureQueriesContext(connection) as one:
        client.get(url, {"direction": "sent"})
    refer(net, situation, receiver=net.ccas)
    refer(net, consenting_situation(net), receiver=net.hospital, legal_ground=LegalGround.IMMEDIATE_DANGER)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url, {"direction": "sent"})
    assert response.content.decode().count("/orientations/") >= 3
