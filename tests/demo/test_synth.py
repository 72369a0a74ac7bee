"""`maillage synth`: synthetic volume, written in bulk, with identities really encrypted and everything the
application reads (the access policy, the name search, the pseudonym counter, the stays' nights) true."""

import copy
import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from maillage.demo.synth import Synth
from maillage.demo.synth_follow_up import is_free
from maillage.housing.enums import StayStatus
from maillage.housing.models import Stay
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.network.models import Membership
from maillage.privacy.fields import blind_match
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.situations.enums import ParticipationReason, PersonRole, Sex, SituationStatus
from maillage.situations.models import (
    Participation,
    Person,
    PersonNameToken,
    Situation,
    SituationCounter,
    TimelineEntry,
)
from maillage.situations.names import with_name
from maillage.territories.models import Territory
from tests.helpers import sign_in

NAME = "Pays synthétique"
COUNT = 200


def synth(count: int, territory: str = NAME, **options) -> str:
    out = io.StringIO()
    with override_settings(DEMO_MODE=True):
        call_command("synth", situations=count, territory=territory, stdout=out, **options)
    return out.getvalue()


def build():
    output = synth(COUNT, seed=5, batch_size=75)
    return {"territory": Territory.objects.get(name=NAME), "output": output}


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(build) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return copy.deepcopy(shared_world)


def coordinator(territory) -> Actor:
    membership = Membership.objects.with_role(Role.COORDINATOR).get(territory=territory)
    return Actor.from_membership(membership.user, membership)


def test_prints_progress_per_batch_and_a_summary(world):
    output = world["output"]
    assert (
        "Territoire « Pays synthétique » créé (8 communes, 12 organisations, 3 logements d'urgence)" in output
    )
    assert re.search(r"75 / 200 situations \(\d+ par seconde\)", output)
    assert re.search(r"150 / 200 situations", output) and re.search(r"200 / 200 situations", output)
    assert re.search(r"200 situations écrites en [\d.]+ s \(\d+ par seconde\)", output)


def test_volume_and_shares_follow_the_demo(world):
    situations = Situation.objects.filter(territory=world["territory"])
    assert situations.count() == COUNT
    victims = Person.objects.filter(situation__in=situations, role=PersonRole.VICTIM)
    assert victims.count() == COUNT
    women = victims.filter(sex=Sex.FEMALE).count() / COUNT
    assert 0.8 <= women <= 0.88  # 84 %, exact per batch up to rounding
    assert victims.filter(age__isnull=True).count() == 0
    children = Person.objects.filter(situation__in=situations, role=PersonRole.CHILD)
    assert 1.45 <= children.count() / COUNT <= 1.65
    assert children.filter(age__isnull=True).count() == 0
    assert 0.7 <= Person.objects.filter(situation__in=situations, role=PersonRole.PERPETRATOR).count() / COUNT
    assert 0.09 <= situations.filter(urgent=True).count() / COUNT <= 0.15
    by_commune = Counter(situations.values_list("commune__name", flat=True))
    assert by_commune.most_common(1)[0][0] == "Bourg-Synthèse"  # the town: half the population
    assert len(by_commune) == 8
    sources = Counter(s for row in situations.values_list("sources", flat=True) for s in row)
    assert sources.most_common(1)[0][0] == "law_enforcement"
    today = timezone.localdate()
    assert all((today - day).days <= 3 * 365 + 5 for day in situations.values_list("detected_on", flat=True))
    years = {day.year for day in situations.values_list("detected_on", flat=True)}
    assert len(years) >= 3


def test_statuses_and_closures_are_coherent(world):
    situations = Situation.objects.filter(territory=world["territory"])
    closed = situations.filter(status=SituationStatus.CLOSED)
    assert 0 < closed.count() < COUNT
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not closed.filter(closure_reason="").exists()
    assert not situations.exclude(status=SituationStatus.CLOSED).filter(closed_at__isnull=False).exists()
    assert all(s.closed_at > s.created_at for s in closed)
    # Rows carry the moment they were written, years ago, not the time of the run.
    assert situations.filter(created_at__lt=timezone.now() - timezone.timedelta(days=365)).exists()
    assert not situations.filter(created_at__gt=timezone.now()).exists()


def test_every_situation_has_its_network(world):
    situations = Situation.objects.filter(territory=world["territory"])
    reporters = Participation.objects.filter(situation__in=situations, reason=ParticipationReason.REPORTER)
    assert reporters.count() == COUNT
    assert TimelineEntry.objects.filter(situation__in=situations).count() >= COUNT
    referrals = Referral.objects.filter(situation__in=situations)
    assert referrals.exists()
    for referral in referrals.filter(status__in=[ReferralStatus.ACCEPTED, ReferralStatus.DONE]):
        assert referral.participation.organisation_id == referral.receiver_id
    assert ProtectiveMeasure.objects.filter(situation__in=situations).exists()
    assert situations.exclude(referent=None).exists()


def test_identities_are_really_encrypted(world):
    person = Person.objects.filter(situation__territory=world["territory"], role=PersonRole.VICTIM)[0]
    assert person.phone  # every synthetic victim has one
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT first_name, last_name, phone, last_name_index FROM {table} WHERE id = %s",  # noqa: S608
            [person.pk],
        )
        first_name, last_name, phone, index = cursor.fetchone()
    for raw, clear in ((first_name, person.first_name), (last_name, person.last_name), (phone, person.phone)):
        assert raw.startswith("v1:")
        assert clear not in raw
    assert index and person.last_name not in index
    found = Person.objects.filter(blind_match("last_name_index", person.last_name.upper()))
    assert found.filter(pk=person.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token FROM {PersonNameToken._meta.db_table} WHERE person_id = %s",  # noqa: S608
            [person.pk],
        )
        tokens = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT body FROM {TimelineEntry._meta.db_table} WHERE situation_id = %s",  # noqa: S608
            [person.situation_id],
        )
        bodies = [row[0] for row in cursor.fetchall()]
    assert tokens and all(token.startswith("v1:") for token in tokens)
    assert bodies and all(body.startswith("v1:") for body in bodies)


def test_the_name_search_and_the_access_policy_see_them(world):
    actor = coordinator(world["territory"])
    visible = Situation.objects.visible_to(actor)
    assert visible.count() == COUNT
    assert Situation.objects.filter(territory=world["territory"], restricted=True).count() <= 3
    person = Person.objects.filter(situation__territory=world["territory"], role=PersonRole.VICTIM)[7]
    found = with_name(visible, f"{person.last_name} {person.first_name}")
    assert found.filter(pk=person.situation_id).exists()


def test_pseudonyms_follow_the_scheme_and_advance_the_counter(world):
    pseudonyms = list(
        Situation.objects.filter(territory=world["territory"]).values_list("pseudonym", "created_at")
    )
    assert len({p for p, _ in pseudonyms}) == COUNT
    per_year = Counter()
    for pseudonym, created_at in pseudonyms:
        year = timezone.localdate(created_at).year
        assert re.fullmatch(rf"S-{year}-\d{{4,}}", pseudonym)
        per_year[year] += 1
    counters = dict(
        SituationCounter.objects.filter(territory=world["territory"]).values_list("year", "last_number")
    )
    assert counters == dict(per_year)


def assert_no_overlap(territory):
    stays = Stay.objects.filter(unit__territory=territory).exclude(status=StayStatus.CANCELLED)
    assert stays.exists()
    by_unit = {}
    for stay in stays.order_by("unit", "starts_on"):
        previous = by_unit.get(stay.unit_id)
        assert previous is None or previous.ends_on <= stay.starts_on, (previous, stay)
        by_unit[stay.unit_id] = stay


def test_stays_never_overlap_in_a_unit(world):
    assert_no_overlap(world["territory"])
    today = timezone.localdate()
    for stay in Stay.objects.filter(unit__territory=world["territory"]):
        assert stay.ends_on > stay.starts_on
        assert (stay.status == StayStatus.ENDED) == (stay.ends_on <= today)


def test_a_stay_fits_between_stays_never_across_them():
    day = datetime.date(2026, 3, 1)
    nights = [
        (day, day + datetime.timedelta(days=10)),
        (day + datetime.timedelta(days=20), day + datetime.timedelta(days=30)),
    ]
    assert is_free(nights, day + datetime.timedelta(days=10), day + datetime.timedelta(days=20))
    assert is_free(nights, day - datetime.timedelta(days=5), day)
    assert is_free(nights, day + datetime.timedelta(days=30), day + datetime.timedelta(days=40))
    assert not is_free(nights, day + datetime.timedelta(days=9), day + datetime.timedelta(days=12))
    assert not is_free(nights, day + datetime.timedelta(days=12), day + datetime.timedelta(days=21))
    assert not is_free(nights, day - datetime.timedelta(days=1), day + datetime.timedelta(days=40))
    assert is_free([], day, day + datetime.timedelta(days=1))


def test_running_again_adds_more(world):
    territory = world["territory"]
    before = dict(SituationCounter.objects.filter(territory=territory).values_list("year", "last_number"))
    output = synth(50, seed=5)
    assert "créé" not in output
    situations = Situation.objects.filter(territory=territory)
    assert situations.count() == COUNT + 50
    assert situations.values("pseudonym").distinct().count() == COUNT + 50
    after = dict(SituationCounter.objects.filter(territory=territory).values_list("year", "last_number"))
    assert sum(after.values()) == sum(before.values()) + 50
    assert_no_overlap(territory)
    assert Situation.objects.visible_to(coordinator(territory)).count() == COUNT + 50


def test_same_seed_same_data(db):
    def draw():
        with transaction.atomic():
            call = synth(30, "Pays témoin", seed=9)
            rows = list(
                Person.objects.filter(situation__territory__name="Pays témoin")
                .order_by("situation__pseudonym", "role", "pk")
                .values_list("situation__pseudonym", "situation__commune__name", "role", "sex", "age")
            )
            names = [
                (p.first_name, p.last_name)
                for p in Person.objects.filter(situation__territory__name="Pays témoin").order_by(
                    "situation__pseudonym", "role", "pk"
                )
            ]
            transaction.set_rollback(True)
        assert "Territoire « Pays témoin » créé" in call
        assert "30 situations écrites" in call
        return rows, names

    assert draw() == draw()


def test_refused_outside_demo_mode(db):
    before = Situation.objects.count()
    with pytest.raises(CommandError, match="mode démonstration"):
        call_command("synth", situations=10, territory="Ailleurs", stdout=io.StringIO())
    assert Situation.objects.count() == before
    assert not Territory.objects.filter(name="Ailleurs").exists()


def test_a_territory_without_coordination_is_refused(db, territory):
    with pytest.raises(ValueError, match="pas de coordination"):
        Synth(territory, seed=1)


def test_the_coordinator_opens_synthetic_situations(world, client):
    actor = coordinator(world["territory"])
    sign_in(client, actor.user, actor.membership)
    assert client.get(reverse("situations:list")).status_code == 200
    for situation in Situation.objects.filter(territory=world["territory"]).order_by("pk")[:3]:
        response = client.get(reverse("situations:detail", args=[situation.public_id]))
        assert response.status_code == 200
        assert situation.pseudonym in response.content.decode()


def test_benchmark_stats_prints_the_dashboards_times(db, settings, tmp_path):
    settings.DEMO_MODE = True
    settings.VAR_DIR = tmp_path / "var"
    out = io.StringIO()
    call_command("benchmark_stats", situations=30, runs=1, territory="Pays mesuré", stdout=out)
    printed = out.getvalue()
    assert "30 situations" in printed
    assert re.search(r"coordination \(chiffres exacts\)\s+\d+ ms", printed)
    assert re.search(r"observation \(protégés\)\s+\d+ ms", printed)
    # The number of queries is printed, and the same for both.
    counts = re.findall(r"ms\s+(\d+)$", printed, flags=re.M)
    assert len(counts) == 2 and counts[0] == counts[1]
    # The charts' drawing, first and from the cache.
    assert re.search(r"graphiques, premier dessin \(\d+\)\s+\d+ ms", printed)
    assert re.search(r"graphiques, depuis le cache \(\d+\)\s+\d+ ms", printed)
    assert re.search(r"Charge moyenne de la machine \(1 min\) : [\d.]+ avant, [\d.]+ après", printed)


def test_benchmark_stats_refuses_a_real_database(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="mode démonstration"):
        call_command("benchmark_stats", situations=10, stdout=io.StringIO())
