"""The referral state machine: every legal and illegal transition, the sharing ground, and access
following the referral (accepting opens the situation to the receiver, declining or cancelling closes it at
once unless another ground remains)."""

import pytest

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.referrals import services
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.services import TRANSITIONS
from maillage.situations import services as situation_services
from maillage.situations.enums import ConsentAnswer, LegalGround, ParticipationReason, SituationStatus
from maillage.situations.models import Participation
from maillage.situations.policies import can_open
from tests.referrals.factories import consenting_situation, refer

pytestmark = pytest.mark.django_db

ACT = {
    "accept": lambda net, r, **kw: services.referral_accept(actor=net.actor("cidff"), referral=r, **kw),
    "decline": lambda net, r, **kw: services.referral_decline(
        actor=net.actor("cidff"), referral=r, reason="Pas de place avant trois semaines", **kw
    ),
    "done": lambda net, r, **kw: services.referral_done(actor=net.actor("cidff"), referral=r, **kw),
    "cancel": lambda net, r, **kw: services.referral_cancel(actor=net.actor("gendarme"), referral=r, **kw),
}
# How to bring a fresh referral to each state.
PATHS = {
    ReferralStatus.PROPOSED: [],
    ReferralStatus.ACCEPTED: ["accept"],
    ReferralStatus.DECLINED: ["decline"],
    ReferralStatus.DONE: ["accept", "done"],
    ReferralStatus.CANCELLED: ["cancel"],
}


def in_state(net, state):
    referral = refer(net, consenting_situation(net))
    for step in PATHS[state]:
        referral = ACT[step](net, referral)
    return referral


@pytest.mark.parametrize("state", list(PATHS))
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_transition_from_every_state(net, state, name):
    referral = in_state(net, state)
    sources, target = TRANSITIONS[name]
    if state in sources:
        moved = ACT[name](net, referral)
        assert moved.status == target
        assert moved.version == referral.version + 1
        return
    entries = AuditEntry.objects.count()
    with pytest.raises(DomainError, match="Rien n'a été modifié"):
        ACT[name](net, referral)
    referral.refresh_from_db()
    assert referral.status == state
    assert AuditEntry.objects.count() == entries


def test_accepting_a_cancelled_referral_says_so_and_changes_nothing(net):
    referral = in_state(net, ReferralStatus.CANCELLED)
    with pytest.raises(DomainError, match="« annulée » : elle ne peut plus être acceptée"):
        ACT["accept"](net, referral)
    assert not can_open(net.actor("cidff"), referral.situation)


def test_a_double_click_on_accept_is_refused_the_second_time(net):
    referral = refer(net, consenting_situation(net))
    ACT["accept"](net, referral, version=referral.version)
    with pytest.raises(DomainError, match="« acceptée » : elle ne peut plus être acceptée"):
        ACT["accept"](net, referral, version=referral.version)
    assert Participation.objects.filter(situation=referral.situation, organisation=net.cidff).count() == 1


def test_an_answer_read_at_an_older_version_is_refused(net):
    """A colleague accepted meanwhile: declining from the page read before is refused (nothing changed)."""
    referral = refer(net, consenting_situation(net))
    read_at = referral.version
    ACT["accept"](net, referral, version=read_at)
    with pytest.raises(ConflictError):
        ACT["decline"](net, referral, version=read_at)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert can_open(net.actor("cidff"), referral.situation)


def test_accepting_opens_the_situation_and_declining_closes_it_at_once(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    cidff = net.actor("cidff")
    assert not can_open(cidff, situation)
    accepted = ACT["accept"](net, referral)
    participation = Participation.objects.get(situation=situation, organisation=net.cidff)
    assert participation.reason == ParticipationReason.REFERRAL
    assert accepted.participation == participation
    assert can_open(cidff, situation)
    ACT["decline"](net, accepted)
    assert not can_open(cidff, situation)
    assert not Participation.objects.filter(situation=situation, organisation=net.cidff).exists()


def test_done_keeps_access_and_cancel_after_acceptance_removes_it(net):
    situation = consenting_situation(net)
    done = ACT["done"](net, ACT["accept"](net, refer(net, situation)))
    assert can_open(net.actor("cidff"), situation)
    with pytest.raises(DomainError):
        ACT["cancel"](net, done)
    second = services.referral_accept(
        actor=net.actor("ccas"),
        referral=refer(net, situation, receiver=net.ccas, sender="gendarme_colleague"),
    )
    assert second.status == ReferralStatus.ACCEPTED
    services.referral_cancel(actor=net.actor("gendarme_colleague"), referral=second)
    assert not can_open(net.actor("ccas"), situation)
    assert can_open(net.actor("cidff"), situation)


def test_another_accepted_referral_keeps_the_access(net):
    situation = consenting_situation(net)
    first = ACT["accept"](net, refer(net, situation))
    second = ACT["accept"](net, refer(net, situation, sender="coordinator"))
    assert second.participation == first.participation
    ACT["decline"](net, first)
    assert can_open(net.actor("cidff"), situation)
    ACT["decline"](net, second)
    assert not can_open(net.actor("cidff"), situation)


def test_an_organisation_following_on_another_ground_keeps_it(net):
    """The CCAS was added by the coordination: a referral to it, declined, leaves it following."""
    situation = consenting_situation(net)
    situation_services.participant_add(
        actor=net.actor("coordinator"), situation=situation, organisation=net.ccas
    )
    referral = services.referral_accept(
        actor=net.actor("ccas"), referral=refer(net, situation, receiver=net.ccas)
    )
    assert referral.participation is None
    services.referral_decline(actor=net.actor("ccas"), referral=referral, reason="Déjà suivie chez nous")
    assert can_open(net.actor("ccas"), situation)
    assert (
        Participation.objects.get(situation=situation, organisation=net.ccas).reason
        == ParticipationReason.ADDED
    )


def test_accepting_follows_a_new_situation(net):
    situation = consenting_situation(net)
    assert situation.status == SituationStatus.NEW
    ACT["accept"](net, refer(net, situation))
    situation.refresh_from_db()
    assert situation.status == SituationStatus.FOLLOWED


def test_a_referral_needs_consent_naming_the_receiver_or_immediate_danger(net):
    situation = consenting_situation(net, organisations=[net.ccas])
    with pytest.raises(DomainError, match="consentement enregistré ne couvre pas"):
        refer(net, situation)
    referral = refer(net, situation, legal_ground=LegalGround.IMMEDIATE_DANGER)
    entry = AuditEntry.objects.filter(action=AuditAction.REFERRAL_PROPOSED).latest("sequence")
    assert entry.changes["legal_ground"] == LegalGround.IMMEDIATE_DANGER
    assert entry.object_public_id == situation.public_id
    assert referral.legal_ground == LegalGround.IMMEDIATE_DANGER


def test_a_refused_consent_blocks_a_consent_referral(net):
    situation = consenting_situation(net)
    situation_services.consent_record(
        actor=net.actor("gendarme"), situation=situation, answer=ConsentAnswer.REFUSED, organisations=[]
    )
    with pytest.raises(DomainError, match="consentement"):
        refer(net, situation)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"needs": []}, "au moins un besoin"),
        ({"needs": ["astrology"]}, "au moins un besoin"),
        ({"reason": "  "}, "motif de l'orientation"),
    ],
)
def test_bad_input_is_refused(net, kwargs, message):
    with pytest.raises(DomainError, match=message):
        refer(net, consenting_situation(net), **kwargs)


def test_a_second_pending_referral_to_the_same_organisation_is_refused(net):
    situation = consenting_situation(net)
    refer(net, situation)
    with pytest.raises(DomainError, match="attend déjà"):
        refer(net, situation, sender="coordinator")


def test_referring_to_ones_own_organisation_is_refused(net):
    with pytest.raises(DomainError, match="autre organisation"):
        refer(net, consenting_situation(net), receiver=net.gendarmerie)


@pytest.mark.parametrize(
    "name", ["cidff", "doctor", "ccas", "observer", "dpo", "org_admin", "housing_manager"]
)
def test_only_coordination_and_participants_refer(net, name):
    """Who does not follow the situation cannot refer it (the CIDFF before it accepts, too)."""
    with pytest.raises(PermissionDeniedError):
        refer(net, consenting_situation(net), sender=name, receiver=net.hospital)


@pytest.mark.parametrize("name", ["gendarme", "doctor", "coordinator", "referent", "org_admin"])
def test_only_the_receiving_professionals_answer(net, name):
    referral = refer(net, consenting_situation(net))
    for act in (services.referral_accept, services.referral_done):
        with pytest.raises(PermissionDeniedError):
            act(actor=net.actor(name), referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PROPOSED


@pytest.mark.parametrize("name", ["cidff", "doctor", "ccas", "referent_elsewhere"])
def test_only_the_sender_and_coordination_cancel(net, name):
    referral = refer(net, consenting_situation(net))
    with pytest.raises(PermissionDeniedError):
        services.referral_cancel(actor=net.actor(name), referral=referral)


def test_the_coordination_may_cancel(net):
    referral = refer(net, consenting_situation(net))
    assert services.referral_cancel(actor=net.actor("coordinator"), referral=referral).status == "cancelled"


def test_an_excluded_receiver_cannot_answer(net):
    situation = consenting_situation(net)
    referral = refer(net, situation)
    situation_services.exclusion_add(
        actor=net.actor("coordinator"), situation=situation, user=net["cidff"].user, reason="Voisine"
    )
    with pytest.raises(PermissionDeniedError):
        ACT["accept"](net, referral)


def test_declining_needs_a_reason(net):
    referral = refer(net, consenting_situation(net))
    with pytest.raises(DomainError, match="motif du refus"):
        services.referral_decline(actor=net.actor("cidff"), referral=referral, reason=" ")
