"""On the demo (12 situations): the refuge's demo address appears in none of the availability, calendar,
figures or alert pages, nor in the reminders' e-mails, for any demo member; the refuge and its stays are
there (positive control: the coordinator's calendar shows the refuge and a pseudonym)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from maillage.demo.housing import REFUGE_DEMO_ADDRESS
from maillage.housing.enums import StayStatus
from maillage.housing.models import HousingUnit, Stay
from maillage.jobs import periodic
from maillage.network.models import Membership
from maillage.notifications.models import Notification
from tests.helpers import sign_in
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEMO_MODE = True
    call_command("load_demo", situations=12, stdout=io.StringIO())
    mail.outbox.clear()
    # The reminders, then their e-mails (queued when the alerts' transaction commits).
    with django_capture_on_commit_callbacks(execute=True):
        periodic.enqueue_due(whatever_the_hour=True)
        run_queued_tasks()
    run_queued_tasks()


def test_the_refuges_address_shows_nowhere_on_these_pages(demo):
    refuge = HousingUnit.objects.get(secret=True)
    assert refuge.address == REFUGE_DEMO_ADDRESS and refuge.commune is None
    current = Stay.objects.get(unit=refuge, status=StayStatus.IN_PROGRESS)
    months = sorted({f"{d:%Y-%m}" for d in Stay.objects.values_list("starts_on", flat=True)})
    assert Notification.objects.filter(kind="stay_ending", target_id=current.public_id).exists()
    pages = ["/hebergement/disponibilites/", "/hebergement/chiffres/", "/notifications/"]
    pages += [
        f"/hebergement/disponibilites/?adults=1&children=2&starts_on={timezone.localdate()}&nights=3",
        "/hebergement/chiffres/?starts_on=2000-01-01&ends_on=2100-01-01",
        *(f"/hebergement/calendrier/?mois={month}" for month in months),
    ]
    seen = 0
    for membership in Membership.objects.select_related("user").order_by("pk"):
        client = sign_in(Client(), membership.user, membership)
        for alert in Notification.objects.filter(recipient=membership, target_type="housing.stay"):
            response = client.get(f"/notifications/{alert.public_id}/", follow=True)
            assert REFUGE_DEMO_ADDRESS not in response.content.decode()
        for page in pages:
            response = client.get(page)
            seen += response.status_code == 200
            assert REFUGE_DEMO_ADDRESS not in response.content.decode(), (membership.user.email, page)
    assert seen > 100
    assert mail.outbox
    for message in mail.outbox:
        assert REFUGE_DEMO_ADDRESS not in message.subject + message.body
    # Positive control: the coordinator reads the refuge and who is in it (pseudonym), its manager too.
    for email in ("claire.mercier@exemple.fr", "agnes.charrier@exemple.fr"):
        membership = Membership.objects.get(user__email=email)
        page = sign_in(Client(), membership.user, membership).get("/hebergement/calendrier/").content.decode()
        assert "Appartement refuge" in page and current.situation.pseudonym in page
