"""The policy matrix gains referral states: the matrix world of tests/situations/worlds.py plus one situation
reported by the gendarmerie in Vendrennes for each referral path to the CIDFF. Only an accepted or done
referral lets the CIDFF open the situation; everyone else sees it as before. Forward and reverse sides agree,
membership by membership; the CIDFF reads every referral it received (summary), nobody else outside the
situation's readers reads one."""

import pytest
from django.utils import timezone

from maillage.network.models import Membership
from maillage.referrals import services
from maillage.referrals.enums import ReferralNeed
from maillage.referrals.models import Referral
from maillage.referrals.policies import memberships_receiving
from maillage.situations.enums import LegalGround
from maillage.situations.models import Situation
from maillage.situations.policies import memberships_seeing
from tests.situations.worlds import EXPECTED, World, bare_situation

PATHS = {
    "proposed": [],
    "accepted": ["accept"],
    "declined": ["decline"],
    "done": ["accept", "done"],
    "cancelled": ["cancel"],
    "accepted_then_declined": ["accept", "decline"],
    "accepted_then_cancelled": ["accept", "cancel"],
}
OPENS_FOR_RECEIVER = {"accepted", "done"}
# Who sees every referred situation whatever its referral: the coordinator, the Vendrennes referent and
# the gendarmerie's professionals (the reporter), as for any situation of theirs.
ALWAYS = {
    "coordinator",
    "referent_elsewhere",
    "professional_participating",
    "professional_excluded",
    "professional_named",
}


def build() -> World:
    w = World()
    w.referrals = {}
    sender, receiver = w.actor("professional_participating"), w.actor("professional_other_org")
    for state, steps in PATHS.items():
        situation = bare_situation(w.vendrennes, [w.gendarmerie], w.memberships["professional_participating"])
        referral = services.referral_propose(
            actor=sender,
            situation=situation,
            receiver=w.cidff,
            needs=[ReferralNeed.VICTIM_SUPPORT],
            reason="Accompagnement",
            legal_ground=LegalGround.IMMEDIATE_DANGER,
        )
        for step in steps:
            if step == "accept":
                referral = services.referral_accept(actor=receiver, referral=referral)
            elif step == "decline":
                referral = services.referral_decline(actor=receiver, referral=referral, reason="Complet")
            elif step == "done":
                referral = services.referral_done(actor=receiver, referral=referral)
            else:
                referral = services.referral_cancel(actor=sender, referral=referral)
        w.situations[f"referred_{state}"] = situation
        w.referrals[state] = referral
    return w


@pytest.fixture(scope="module")
def world(built_once):
    with built_once(build) as w:
        yield w


@pytest.fixture
def db_access(world, db):
    return world


REFERRED = {f"referred_{state}" for state in PATHS}


def expected(actor: str) -> set[str]:
    """The situations matrix (EXPECTED) plus the referred situations this actor may open."""
    seen = set(EXPECTED[actor])
    if actor in ALWAYS:
        seen |= REFERRED
    if actor == "professional_other_org":
        seen |= {f"referred_{state}" for state in OPENS_FOR_RECEIVER}
    return seen


ACTORS = sorted(EXPECTED)


@pytest.mark.parametrize("actor", ACTORS)
def test_policy_matrix_with_referral_states(db_access, actor):
    assert db_access.seen_by(actor) == expected(actor)


def test_reverse_side_agrees_with_the_forward_side(db_access):
    w = db_access
    members = {name: m for name, m in w.memberships.items()}
    for key in REFERRED:
        situation = Situation.objects.get(pk=w.situations[key].pk)
        seeing = set(memberships_seeing(situation).values_list("pk", flat=True))
        for name, membership in members.items():
            assert (membership.pk in seeing) == (key in w.seen_by(name)), (key, name)


@pytest.mark.parametrize("actor", ACTORS)
def test_who_reads_which_referral(db_access, actor):
    """The situation's readers read its referrals; the CIDFF (receiver) reads every one it received."""
    w = db_access
    read = set(Referral.objects.visible_to(w.actor(actor)).values_list("pk", flat=True))
    expected_states = set(PATHS) if actor in ALWAYS | {"professional_other_org"} else set()
    assert read == {w.referrals[state].pk for state in expected_states}


def test_receivers_told_are_the_receiving_readers(db_access):
    w = db_access
    for referral in w.referrals.values():
        receiving = set(memberships_receiving(referral).values_list("pk", flat=True))
        assert receiving == {w.memberships["professional_other_org"].pk}
        assert set(Membership.objects.filter(pk__in=receiving)) <= set(w.memberships.values())


def test_received_by_is_visible_to_narrowed_to_the_receiver(db_access):
    """`received_by` takes a shorter form for professionals (referrals/policies.py): the same rows as the
    long form, for every member, with a referral of every situation of the matrix to each organisation."""
    w = db_access
    sender = w.memberships["professional_participating"]
    organisations = {m.organisation for m in w.memberships.values() if m.organisation_id}
    Referral.objects.bulk_create(
        Referral(
            situation=situation,
            sender=sender.organisation,
            sent_by=sender,
            receiver=organisation,
            reason="Vérification",
            legal_ground=LegalGround.IMMEDIATE_DANGER,
            created_at=timezone.now(),
        )
        for situation in Situation.objects.filter(pk__in=[s.pk for s in w.situations.values()])
        for organisation in organisations
    )
    for name in ACTORS:
        actor = w.actor(name)
        if not actor.is_member:
            continue
        long_form = Referral.objects.visible_to(actor).filter(receiver_id=actor.membership.organisation_id)
        short = set(Referral.objects.received_by(actor).values_list("pk", flat=True))
        assert short == set(long_form.values_list("pk", flat=True)), name
        assert short or name not in ("professional_participating", "professional_other_org"), name
