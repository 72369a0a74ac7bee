"""Every « Cellule de suivi » route × every kind of member → the expected answer, during the meeting and
after it. A new route under /cellule/ without an entry fails `test_every_meeting_route_has_an_entry`.

Kinds of member: the coordinator, a member of the group who accepted the charter (CIDFF), one who has not
(the doctor), one excluded from the situation examined (the Vendrennes referent), a member of the network
outside the group (CCAS), the roles that see no situation (DPO, observer, housing manager, organisation
admin), the platform admin, and the coordinator of another territory."""

import copy
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from maillage.meetings import services
from maillage.situations import services as situation_services
from tests.helpers import sign_in
from tests.meetings.worlds import Cell
from tests.network.factories import MembershipFactory
from tests.urls import walk

pytestmark = pytest.mark.whole_app

PAGES = {
    "cellule/": "all",
    "cellule/membres/": "all",
    "cellule/charte/": "group",
    "cellule/charte/publier/": "coordinator",
    "cellule/reunions/programmer/": "coordinator",
    "cellule/reunions/<uuid:public_id>/": "group",
    "cellule/reunions/<uuid:public_id>/cellule-de-suivi.ics": "group",
    "cellule/reunions/<uuid:public_id>/modifier/": "coordinator",
    "cellule/reunions/<uuid:public_id>/ordre-du-jour/": "coordinator",
    "cellule/reunions/<uuid:public_id>/presences/": "coordinator",
    "cellule/reunions/<uuid:public_id>/points/<uuid:item_id>/": "coordinator",
    # The minutes: before they are final, the coordinator's (to prepare and review); for the others the
    # same 404 as a missing page (test_final_minutes: once final, the members who accepted the charter).
    "cellule/reunions/<uuid:public_id>/compte-rendu/": "minutes",
    "cellule/reunions/<uuid:public_id>/compte-rendu.pdf": "final_only",
    # POST-only or confirmation steps: refused to all but the coordinator, whose GET is a 405 or a redirect.
    "cellule/membres/<uuid:membership_id>/retirer/": "post",
    "cellule/reunions/<uuid:public_id>/annuler/": "post",
    "cellule/reunions/<uuid:public_id>/ordre-du-jour/proposer/": "post",
    "cellule/reunions/<uuid:public_id>/ordre-du-jour/<uuid:item_id>/retirer/": "post",
    "cellule/reunions/<uuid:public_id>/ordre-du-jour/<uuid:item_id>/monter/": "post",
    "cellule/reunions/<uuid:public_id>/ordre-du-jour/<uuid:item_id>/descendre/": "post",
    "cellule/reunions/<uuid:public_id>/ouvrir/": "post",
    "cellule/reunions/<uuid:public_id>/clore/": "post",
    "cellule/reunions/<uuid:public_id>/compte-rendu/preparer/": "post",
    "cellule/reunions/<uuid:public_id>/compte-rendu/valider/": "post",
}
SEEING = {"coordinator", "cidff", "doctor", "referent_elsewhere", "ccas", "coordinator_elsewhere"}
GROUP = {"coordinator", "cidff", "doctor", "referent_elsewhere"}
ACTORS = [*sorted(SEEING), "dpo", "observer", "housing_manager", "org_admin", "platform_admin"]


def expected(route: str, kind: str, actor: str) -> set[int]:
    """The statuses a GET may answer: 403 to the roles a page is not for, the same 404 for a meeting that is
    missing or hidden (another territory, outside the group), 405 or a redirect for POST-only actions."""
    coordinator = actor in ("coordinator", "coordinator_elsewhere")
    if actor not in SEEING:
        return {403}
    if kind == "all":
        return {200}
    if kind == "post":
        return ({405, 302, 404} if actor == "coordinator_elsewhere" else {405, 302}) if coordinator else {403}
    if actor == "coordinator_elsewhere":
        return {404} if "<uuid:public_id>" in route else {200}
    if kind == "minutes":
        return {200} if actor == "coordinator" else {404}
    if kind == "final_only":
        return {404}
    if kind == "group":
        return {200} if actor in GROUP else {404}
    return {200} if actor == "coordinator" else {403}


class World(Cell):
    def __init__(self):
        super().__init__()
        self.memberships["coordinator_elsewhere"] = MembershipFactory(roles=["coordinator"])
        self.situation_examined = self.situation()
        situation_services.exclusion_add(
            actor=self.actor("coordinator"),
            situation=self.situation_examined,
            user=self["referent_elsewhere"].user,
            reason="Voisin",
        )
        self.open = self.open_meeting(self.situation_examined)

    def client_for(self, name) -> Client:
        if name == "platform_admin":
            return self.client(name)
        membership = self[name]
        return sign_in(Client(), membership.user, membership)


@pytest.fixture(scope="module")
def shared_world(built_once):
    with built_once(World) as world:
        yield world


@pytest.fixture
def world(shared_world, db):
    return copy.deepcopy(shared_world)


def test_every_meeting_route_has_an_entry():
    assert {route for route, _view in walk() if route.startswith("cellule/")} == set(PAGES)


def path_of(world, route: str, meeting=None) -> str:
    meeting = meeting or world.open
    item = meeting.items.first()
    return "/" + (
        route.replace("<uuid:public_id>", str(meeting.public_id))
        .replace("<uuid:item_id>", str(item.public_id if item else uuid.uuid4()))
        .replace("<uuid:membership_id>", str(world["cidff"].public_id))
    )


@pytest.mark.parametrize("actor", ACTORS)
def test_pages_during_the_meeting(world, actor):
    client = world.client_for(actor)
    for route, kind in PAGES.items():
        status = client.get(path_of(world, route)).status_code
        assert status in expected(route, kind, actor), (route, actor, status)


FINAL_MINUTES = {
    "coordinator": 200,
    "cidff": 200,
    "referent_elsewhere": 200,  # the minutes without the situation she is excluded from
    "doctor": 404,  # the charter not accepted
    "ccas": 404,
    "coordinator_elsewhere": 404,
    "dpo": 403,
    "observer": 403,
    "housing_manager": 403,
    "org_admin": 403,
    "platform_admin": 403,
}


@pytest.mark.parametrize("actor", ACTORS)
def test_final_minutes(world, actor):
    coordinator = world.actor("coordinator")
    meeting = services.meeting_close(actor=coordinator, meeting=world.open, version=None)
    services.minutes_finalise(
        actor=coordinator, minutes=services.minutes_draft(actor=coordinator, meeting=meeting), version=None
    )
    client = world.client_for(actor)
    for route in (
        "cellule/reunions/<uuid:public_id>/compte-rendu/",
        "cellule/reunions/<uuid:public_id>/compte-rendu.pdf",
    ):
        response = client.get(path_of(world, route, meeting))
        assert response.status_code == FINAL_MINUTES[actor], (route, actor, response.status_code)
        if actor == "referent_elsewhere":
            body = response.content if route.endswith("/") else b""
            assert world.situation_examined.pseudonym.encode() not in body


@pytest.mark.parametrize("actor", ["cidff", "doctor", "referent_elsewhere", "ccas", "dpo", "platform_admin"])
def test_the_situation_examined_during_and_after(world, actor):
    """During the meeting, only the members who accepted the charter and are not excluded read it; after
    it, none of them (the gendarme, who reported it, still does)."""
    page = reverse("situations:detail", args=[world.situation_examined.public_id])
    during = world.client_for(actor).get(page).status_code
    assert during == (200 if actor == "cidff" else (403 if actor in ("dpo", "platform_admin") else 404)), (
        actor
    )
    services.meeting_close(actor=world.actor("coordinator"), meeting=world.open, version=None)
    after = world.client_for(actor).get(page).status_code
    assert after == (403 if actor in ("dpo", "platform_admin") else 404), actor
    assert world.client_for("gendarme").get(page).status_code == 200


@pytest.mark.parametrize("actor", sorted(SEEING - {"coordinator"}))
def test_nobody_but_the_coordinator_acts(world, actor):
    client = world.client_for(actor)
    version = world.open.version
    for route, kind in PAGES.items():
        if kind == "post":
            status = client.post(path_of(world, route), {"version": version, "confirmed": "1"}).status_code
            assert status in (403, 404), (route, actor, status)
    world.open.refresh_from_db()
    assert world.open.status == "open" and world.open.version == version
    assert world.open.items.count() == 1
