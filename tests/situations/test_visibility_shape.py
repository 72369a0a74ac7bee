"""`visible_to` names only the grounds the actor holds (ADR 0046): without any individual access, a
professional's visibility is `NOT restricted AND EXISTS (participation)`, which PostgreSQL plans as a
semi-join; a named, break-the-glass or meeting access brings its condition back, read with the actor."""

from datetime import timedelta

from django.utils import timezone

from maillage.situations.models import EmergencyAccess, NamedAccess, Situation
from maillage.situations.policies import individual_accesses
from tests.situations.factories import actor_of, report_situation

INDIVIDUAL_TABLES = ("situations_namedaccess", "situations_emergencyaccess", "situations_meetingaccess")


def sql_of(actor) -> str:
    return str(Situation.objects.visible_to(actor).query)


def grant_emergency(membership, situation):
    return EmergencyAccess.objects.create(
        situation=situation,
        user=membership.user,
        membership=membership,
        reason="Appel de la victime en détresse, référente absente",
        expires_at=timezone.now() + timedelta(minutes=30),
    )


def test_without_individual_access_only_the_roles_grounds_are_in_the_query(net):
    for name in ("gendarme", "referent"):
        actor = actor_of(net[name])
        assert individual_accesses(actor) == frozenset()
        sql = sql_of(actor)
        assert not [table for table in INDIVIDUAL_TABLES if table in sql], (name, sql)
    assert "situations_participation" in sql_of(actor_of(net["gendarme"]))


def test_an_emergency_access_opens_the_situation_to_an_actor_resolved_after_it(net):
    situation = report_situation(net["cidff"], commune=net.mouchamps)
    before = actor_of(net["ccas"])
    assert not Situation.objects.visible_to(before).filter(pk=situation.pk).exists()

    grant_emergency(net["ccas"], situation)
    after = actor_of(net["ccas"])
    assert individual_accesses(after) == {"emergency"}
    assert "situations_emergencyaccess" in sql_of(after)
    assert Situation.objects.visible_to(after).filter(pk=situation.pk).exists()
    # The actor of a request is what it held when resolved, like its roles: the next request sees the access.
    assert not Situation.objects.visible_to(before).filter(pk=situation.pk).exists()


def test_an_expired_access_read_with_the_actor_still_opens_nothing(net):
    situation = report_situation(net["cidff"], commune=net.mouchamps)
    access = grant_emergency(net["ccas"], situation)
    actor = actor_of(net["ccas"])
    EmergencyAccess.objects.filter(pk=access.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert individual_accesses(actor) == {"emergency"}
    assert not Situation.objects.visible_to(actor).filter(pk=situation.pk).exists()


def test_a_named_access_opens_a_restricted_situation_only(net):
    situation = report_situation(net["cidff"], commune=net.mouchamps)
    Situation.objects.filter(pk=situation.pk).update(restricted=True)
    NamedAccess.objects.create(situation=situation, user=net["doctor"].user, granted_by=net["coordinator"])
    doctor = actor_of(net["doctor"])
    assert individual_accesses(doctor) == {"named"}
    assert Situation.objects.visible_to(doctor).filter(pk=situation.pk).exists()
    Situation.objects.filter(pk=situation.pk).update(restricted=False)
    assert not Situation.objects.visible_to(doctor).filter(pk=situation.pk).exists()
