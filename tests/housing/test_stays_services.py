"""Stay requests and the stay lifecycle through the services: every legal and illegal transition, capacity,
one household a night (on either engine), who may act, versions, audit and notifications without personal
data."""

import datetime
import html
import json

import pytest
from django.core import mail
from django.db import connection

from maillage.audit.models import AuditEntry
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing.enums import ExitSolution, RequestStatus, StayStatus, UnitStatus
from maillage.housing.models import Stay, StayRequest
from maillage.housing.services import stays
from maillage.notifications.models import Notification
from maillage.situations.models import EmergencyAccess
from tests.housing.factories_stays import SECRET_ADDRESS, HousingUnitFactory, StayWorld, today
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def w():
    return StayWorld()


def test_request_created_by_the_requester_side_housing_managers_told_without_personal_data(w):
    request = w.request(urgent=True)
    assert request.status == RequestStatus.PENDING and request.children_ages == [4, 9]
    told = Notification.objects.filter(kind="stay_requested")
    assert {n.recipient_id for n in told} == {w.net["housing_manager"].pk}
    assert told.get().urgent
    entry = AuditEntry.objects.filter(action="housing.stay_requested").get()
    assert "conjoint" not in json.dumps(entry.changes)


@pytest.mark.parametrize("name", ["referent", "gendarme", "coordinator"])
def test_who_may_request(w, name):
    assert w.request(by=name).requested_by == w.net[name]


@pytest.mark.parametrize(
    "name", ["housing_manager", "cidff", "referent_elsewhere", "observer", "dpo", "housing_manager_elsewhere"]
)
def test_who_may_not_request(w, name):
    with pytest.raises(PermissionDeniedError):
        w.request(by=name)
    assert not StayRequest.objects.exists()


def test_break_the_glass_reader_may_not_request(w):
    EmergencyAccess.objects.create(
        situation=w.situation,
        user=w.net["cidff"].user,
        membership=w.net["cidff"],
        reason="Appel de nuit",
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2),
    )
    with pytest.raises(PermissionDeniedError):
        w.request(by="cidff")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"adults": 0}, "entre 1 et"),
        ({"children_ages": [4, 18]}, "entre 0 et 17"),
        ({"days": -1}, "ne peut pas être passée"),
        ({"wished_until": today()}, "doit suivre"),
    ],
)
def test_bad_request_input_gives_a_french_message(w, kwargs, message):
    with pytest.raises(DomainError, match=message):
        w.request(**kwargs)
    assert not StayRequest.objects.exists()


def test_one_open_request_per_situation(w):
    w.request()
    with pytest.raises(DomainError, match="attend déjà"):
        w.request(by="gendarme")


def test_waitlist_refuse_cancel_transitions_and_requester_told(w):
    request = w.request()
    stays.stay_request_waitlist(actor=w.actor("housing_manager"), request=request, version=1)
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING_LIST and request.version == 2
    with pytest.raises(DomainError, match="liste d'attente"):
        stays.stay_request_waitlist(actor=w.actor("housing_manager"), request=request)
    stays.stay_request_refuse(actor=w.actor("coordinator"), request=request, version=2)
    request.refresh_from_db()
    assert request.status == RequestStatus.REFUSED
    for call in (stays.stay_request_cancel, stays.stay_request_refuse, stays.stay_request_waitlist):
        with pytest.raises(DomainError, match="Rien n'a été modifié"):
            call(actor=w.actor("coordinator"), request=request)
    answered = Notification.objects.filter(kind="stay_request_answered")
    assert {n.recipient_id for n in answered} == {w.net["referent"].pk}
    assert not Notification.objects.filter(kind="stay_requested", read_at__isnull=True).exists()


def test_requester_side_cancels_a_pending_request_not_the_housing_manager(w):
    request = w.request()
    with pytest.raises(PermissionDeniedError):
        stays.stay_request_cancel(actor=w.actor("housing_manager"), request=request)
    stays.stay_request_cancel(actor=w.actor("gendarme"), request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


@pytest.mark.parametrize("name", ["referent", "gendarme", "cidff", "housing_manager_elsewhere", "dpo"])
def test_who_may_not_answer(w, name):
    request = w.request()
    with pytest.raises(PermissionDeniedError):
        stays.stay_request_refuse(actor=w.actor(name), request=request)
    with pytest.raises(PermissionDeniedError):
        w.allocate(request, by=name)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING and not Stay.objects.exists()


def test_housing_manager_without_units_in_the_territory_may_not_answer(w):
    request = w.request()
    with pytest.raises(PermissionDeniedError):
        stays.stay_request_waitlist(actor=w.actor("housing_manager_no_unit"), request=request)


def test_stale_version_changes_nothing(w):
    request = w.request()
    stays.stay_request_waitlist(actor=w.actor("housing_manager"), request=request, version=1)
    with pytest.raises(ConflictError, match="rien n'a été modifié"):
        stays.stay_allocate(
            actor=w.actor("housing_manager"),
            request=request,
            unit=w.unit,
            starts_on=today(),
            ends_on=today() + DAY,
            version=1,
        )
    assert not Stay.objects.exists()


def test_full_lifecycle(w):
    request = w.request()
    stay = w.allocate(request, nights=10)
    request.refresh_from_db()
    assert request.status == RequestStatus.ALLOCATED and stay.status == StayStatus.PLANNED
    assert (stay.adults, stay.children) == (1, 2)
    manager = w.actor("housing_manager")
    with pytest.raises(DomainError, match="ne peut plus se terminer"):
        stays.stay_check_out(actor=manager, stay=stay, exit_solution=ExitSolution.RELATIVES)
    stay = stays.stay_check_in(actor=manager, stay=stay, version=1)
    assert stay.status == StayStatus.IN_PROGRESS and stay.checked_in_at
    with pytest.raises(DomainError, match="ne peut plus commencer"):
        stays.stay_check_in(actor=manager, stay=stay)
    with pytest.raises(DomainError, match="ne peut plus être annulé"):
        stays.stay_cancel(actor=manager, stay=stay)
    stay = stays.stay_extend(actor=manager, stay=stay, ends_on=today() + 14 * DAY, version=2)
    assert stay.ends_on == today() + 14 * DAY
    with pytest.raises(DomainError, match="futur"):
        stays.stay_check_out(
            actor=manager, stay=stay, exit_solution=ExitSolution.SIAO, on=today() + DAY, version=3
        )
    with pytest.raises(DomainError, match="suivre la date d'arrivée"):
        stays.stay_check_out(actor=manager, stay=stay, exit_solution=ExitSolution.SIAO, on=today(), version=3)
    # She left two days in: the real departure becomes the end (the stay began two days ago).
    Stay.objects.filter(pk=stay.pk).update(starts_on=today() - 2 * DAY)
    stay = stays.stay_check_out(
        actor=manager, stay=stay, exit_solution=ExitSolution.HOME_AFTER_EVICTION, version=3
    )
    assert stay.status == StayStatus.ENDED and stay.ends_on == today()
    assert stay.exit_solution == ExitSolution.HOME_AFTER_EVICTION
    with pytest.raises(DomainError, match="changer de date"):
        stays.stay_extend(actor=manager, stay=stay, ends_on=today() + 30 * DAY)
    trail = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert SECRET_ADDRESS not in trail and w.unit.name not in trail


def test_cancel_a_planned_stay_frees_its_nights_and_cancels_the_request(w):
    request = w.request()
    stay = w.allocate(request)
    with pytest.raises(PermissionDeniedError):
        stays.stay_cancel(actor=w.actor("referent"), stay=stay)
    stays.stay_cancel(actor=w.actor("coordinator"), stay=stay)
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    w.allocate(w.request(), nights=3)  # the same nights are free again


@pytest.mark.parametrize(
    "adults, ages, fits",
    [
        (2, [1, 5, 8], True),
        (3, [], False),
        (1, [4, 6, 8], False),
        (1, [0, 1, 2, 5], False),
        (1, [0, 1, 5], True),
        (1, [0, 7, 9], True),
    ],
)
def test_capacity(w, adults, ages, fits):
    request = w.request(adults=adults, children_ages=ages)
    if fits:
        assert w.allocate(request).status == StayStatus.PLANNED
    else:
        with pytest.raises(DomainError, match="ne peut pas accueillir ce foyer"):
            w.allocate(request)
        request.refresh_from_db()
        assert request.status == RequestStatus.PENDING


def test_out_of_service_unit_refused(w):
    w.unit.status = UnitStatus.OUT_OF_SERVICE
    w.unit.save()
    with pytest.raises(DomainError, match="hors service"):
        w.allocate(w.request())


def test_housing_manager_allocates_only_own_organisation_units(w):
    other = HousingUnitFactory(territory=w.net.territory, organisation=w.net.epci)
    with pytest.raises(PermissionDeniedError):
        w.allocate(w.request(), other)
    assert w.allocate(w.request(by="gendarme", situation=w.another_situation()), other, by="coordinator")


def test_overlapping_stays_rejected_back_to_back_allowed(w):
    w.allocate(w.request(), start=0, nights=5)
    second = w.request(situation=w.another_situation())
    for start, nights in ((4, 3), (-2, 3), (1, 2), (-3, 20)):
        with pytest.raises(DomainError, match="déjà occupé"):
            w.allocate(second, start=start, nights=nights)
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING and Stay.objects.count() == 1
    assert w.allocate(second, start=5, nights=2)  # arrives the morning the first leaves


def test_extension_into_another_stay_rejected(w):
    first = w.allocate(w.request(), start=0, nights=5)
    w.allocate(w.request(situation=w.another_situation()), start=7, nights=5)
    with pytest.raises(DomainError, match="déjà occupé"):
        stays.stay_extend(actor=w.actor("housing_manager"), stay=first, ends_on=today() + 8 * DAY)
    first.refresh_from_db()
    assert first.ends_on == today() + 5 * DAY and first.version == 1
    stays.stay_extend(actor=w.actor("housing_manager"), stay=first, ends_on=today() + 7 * DAY)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_exclusion_constraint_catches_what_the_check_missed(w, monkeypatch):
    w.allocate(w.request(), start=0, nights=5)
    second = w.request(situation=w.another_situation())
    monkeypatch.setattr(stays, "overlapping", lambda *args, **kwargs: Stay.objects.none())
    with pytest.raises(DomainError, match="déjà occupé"):
        w.allocate(second, start=2, nights=5)
    second.refresh_from_db()
    assert second.status == RequestStatus.PENDING and Stay.objects.count() == 1


def test_alerts_and_their_emails_name_nothing(w, django_capture_on_commit_callbacks):
    run_queued_tasks()  # the e-mails of the world's own alerts…
    mail.outbox.clear()  # …are not the ones counted here
    with django_capture_on_commit_callbacks(execute=True):
        request = w.request(notes="Madame a peur, le conjoint rôde.")
    page = html.unescape(w.client("housing_manager").get("/notifications/").content.decode())
    assert f"Demande d'hébergement {w.situation.pseudonym}" in page and "rôde" not in page
    with django_capture_on_commit_callbacks(execute=True):
        w.allocate(request)
    page = html.unescape(w.client("referent").get("/notifications/").content.decode())
    assert f"Demande d'hébergement {w.situation.pseudonym}" in page
    assert SECRET_ADDRESS not in page and w.unit.name not in page
    # Someone who may not read the request sees the alert without label (none is sent to them anyway).
    assert not Notification.objects.filter(recipient=w.net["housing_manager_elsewhere"]).exists()
    run_queued_tasks()  # the alert e-mails leave through the task queue
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        content = message.subject + message.body
        assert SECRET_ADDRESS not in content and w.unit.name not in content
        assert w.situation.pseudonym not in content and "rôde" not in content


def test_an_excluded_housing_manager_neither_sees_nor_is_told(w):
    from maillage.housing import stay_policies
    from maillage.situations.models import Exclusion

    Exclusion.objects.create(
        situation=w.situation,
        user=w.net["housing_manager"].user,
        reason="Membre de la famille",
        excluded_by=w.net["coordinator"],
    )
    request = w.request()
    assert not Notification.objects.filter(kind="stay_requested").exists()
    assert not stay_policies.requests_visible_to(w.actor("housing_manager")).exists()
    with pytest.raises(PermissionDeniedError):
        stays.stay_request_waitlist(actor=w.actor("housing_manager"), request=request)
    stay = w.allocate(request, by="coordinator")
    assert not stay_policies.stays_visible_to(w.actor("housing_manager")).exists()
    with pytest.raises(PermissionDeniedError):
        stays.stay_check_in(actor=w.actor("housing_manager"), stay=stay)


def test_a_restricted_situation_reaches_only_named_housing_managers(w):
    from maillage.housing import stay_policies
    from maillage.situations.models import NamedAccess

    w.situation.restricted = True
    w.situation.save()
    NamedAccess.objects.create(
        situation=w.situation, user=w.net["referent"].user, granted_by=w.net["coordinator"]
    )
    request = w.request()
    manager = w.actor("housing_manager")
    assert not stay_policies.requests_visible_to(manager).exists()
    assert not Notification.objects.filter(kind="stay_requested").exists()
    NamedAccess.objects.create(
        situation=w.situation, user=w.net["housing_manager"].user, granted_by=w.net["coordinator"]
    )
    assert list(stay_policies.requests_visible_to(manager)) == [request]
    assert list(stay_policies.memberships_answering(request)) == [w.net["housing_manager"]]
