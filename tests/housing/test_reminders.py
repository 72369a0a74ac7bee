"""Reminders before a stay's planned end and when it overruns: through the real queue and worker (`maillage
worker --once`), to the housing managers of the unit's organisation, exactly once per stay and end date —
also when the job runs twice; the e-mail names nothing."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.housing.enums import StayStatus
from maillage.housing.tasks import remind_stays_ending, remind_stays_overrun
from maillage.jobs import periodic
from maillage.notifications.models import Notification
from tests.housing.factories_calendar import REFUGE_TEST_ADDRESS, HousingWorld

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.timedelta(days=1)


def reminded(world, kind) -> dict[str, int]:
    names = {m.pk: name for name, m in world.memberships.items()}
    counts: dict[str, int] = {}
    for n in Notification.objects.filter(kind=kind):
        counts[names[n.recipient_id]] = counts.get(names[n.recipient_id], 0) + 1
    return counts


def test_the_daily_jobs_are_registered():
    assert {"housing.stays_ending", "housing.stays_overrun"} <= {job.name for job in periodic.registered()}


def test_the_units_managers_are_reminded_once_before_the_end_and_once_of_an_overrun():
    world = HousingWorld()
    world.memberships["refuge_colleague"] = world._member(world.sos, ["housing_manager", "professional"])
    today = timezone.localdate()
    ending = world.stay(world.refuge, today - 10 * DAY, today + 2 * DAY)
    overrun = world.stay(world.flat, today - 10 * DAY, today - DAY)
    world.stay(world.studio, today - 10 * DAY, today + 10 * DAY)  # far from its end
    world.stay(world.studio, today - 30 * DAY, today - 20 * DAY, status=StayStatus.ENDED)  # over
    mail.outbox.clear()
    call_command("worker", "--once", verbosity=0)
    call_command("worker", "--once", verbosity=0)
    remind_stays_ending.enqueue()
    remind_stays_overrun.enqueue()
    call_command("worker", "--once", verbosity=0)
    assert reminded(world, "stay_ending") == {"refuge_manager": 1, "refuge_colleague": 1}
    assert reminded(world, "stay_overrun") == {"housing_manager": 1}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    targets = set(Notification.objects.values_list("target_id", flat=True))
    assert targets == {ending.public_id, overrun.public_id}
    # E-mails: one per reminder, naming nothing.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        world[n].user.email for n in ("refuge_manager", "refuge_colleague", "housing_manager")
    )
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in (
            ending.situation.pseudonym,
            overrun.situation.pseudonym,
            "Refuge",
            REFUGE_TEST_ADDRESS,
        ):
            assert secret not in text


def test_an_extended_stay_is_reminded_again_before_its_new_end():
    world = HousingWorld()
    today = timezone.localdate()
    stay = world.stay(world.flat, today - 5 * DAY, today + DAY)
    call_command("worker", "--once", verbosity=0)
    stay.ends_on = today + 3 * DAY
    stay.save()
    remind_stays_ending.enqueue()
    call_command("worker", "--once", verbosity=0)
    assert reminded(world, "stay_ending") == {"housing_manager": 2}


def test_the_alert_page_shows_unit_and_pseudonym_to_the_manager_and_leads_to_the_calendar():
    world = HousingWorld()
    today = timezone.localdate()
    stay = world.stay(world.flat, today - 5 * DAY, today + DAY)
    call_command("worker", "--once", verbosity=0)
    page = world.client("housing_manager").get("/notifications/").content.decode()
    assert "Fin de séjour prévue bientôt" in page
    assert f"Appartement T3 — {stay.situation.pseudonym}" in page
    alert = Notification.objects.get(recipient=world["housing_manager"], kind="stay_ending")
    opened = world.client("housing_manager").get(f"/notifications/{alert.public_id}/")
    assert opened.status_code == 302
    assert opened.url == f"/hebergement/calendrier/?mois={stay.ends_on:%Y-%m}"
