"""The situations API: who reaches what (the same policy as the pages), what each answer holds, the audit of
reads, the token's scope, and a fixed number of queries whatever the rows."""

import datetime
import json
import uuid

import pytest
from django.test import Client

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.situations import services
from maillage.situations.enums import (
    ConsentAnswer,
    ContactChannel,
    NoteVisibility,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
)
from maillage.situations.models import Situation
from tests.api.helpers import API, bearer, create_token
from tests.helpers import audit_entry_queries
from tests.network.factories import MembershipFactory
from tests.queue import run_queued_tasks
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

VICTIM = {"role": PersonRole.VICTIM, "sex": Sex.FEMALE, "first_name": "Maëlle", "last_name": "Tournesol"}
VICTIM_PHONE = "06 11 22 33 44"

# Every role of DOMAIN.md §2 and the places it stands, against a situation located in Mouchamps and
# followed by the gendarmerie (reported by a colleague of "gendarme").
SEES = {"coordinator", "referent", "gendarme"}
HIDDEN = {"referent_elsewhere", "cidff", "other_territory"}  # the same 404 as a missing situation
ROLE_REFUSED = {
    "org_admin",
    "housing_manager",
    "observer",
    "dpo",
    "platform_admin",
}  # 403, before any look-up
ACTORS = sorted(SEES | HIDDEN | ROLE_REFUSED)


def status_for(actor: str, *, allowed: int) -> int:
    if actor in ROLE_REFUSED:
        return 403
    return allowed if actor in SEES else 404


@pytest.fixture
def other_territory(net):
    territory = TerritoryFactory(name="Pays de Pouzauges")
    commune = CommuneFactory(territory=territory, name="Pouzauges")
    # The gendarmerie serves both territories: the other coordinator shares an organisation, not a territory.
    net.gendarmerie.territories.add(territory)
    membership = MembershipFactory(territory=territory, roles=["coordinator"])
    net.memberships["other_territory"] = membership
    return commune


@pytest.fixture
def situation(net, other_territory):
    return report_situation(
        net["gendarme_colleague"],
        commune=net.mouchamps,
        persons=[
            {**VICTIM, "phone": VICTIM_PHONE},
            {"role": PersonRole.CHILD, "first_name": "Léo", "age": 6},
        ],
        safe_contacts=[
            {
                "channel": ContactChannel.SMS,
                "allowed": True,
                "safe_hours": "9 h – 12 h",
                "code_word": "Lilas",
            },
            {"channel": ContactChannel.PHONE, "allowed": False, "safe_hours": "", "code_word": ""},
        ],
    )


def client_of(net, name: str) -> Client:
    return net.client(name)


def post(client: Client, path: str, data: dict, **kwargs):
    return client.post(path, json.dumps(data, default=str), content_type="application/json", **kwargs)


def report_payload(commune, **overrides) -> dict:
    payload = {
        "commune": str(commune.public_id),
        "detected_on": "2026-03-02",
        "sources": ["law_enforcement", "victim"],
        "violence_types": ["physical", "psychological"],
        "urgent": False,
        "persons": [VICTIM, {"role": "child", "first_name": "Léo", "age": 6}, {"role": "perpetrator"}],
        "consent": {"answer": "given", "organisations": []},
        "safe_contacts": [{"channel": "sms", "allowed": True, "safe_hours": "après 18 h", "code_word": ""}],
    }
    payload.update(overrides)
    return payload


NOTE = {
    "kind": "note",
    "visibility": "participants",
    "body": "Premier entretien fait.",
    "occurred_on": "2026-03-03",
}


def assert_not_found(response):
    assert response.status_code == 404
    assert response.json() == {"detail": "Ressource introuvable."}


# ------------------------------------------------------------------------------------------- matrix


class TestWhoReachesWhat:
    @pytest.mark.parametrize("actor", ACTORS)
    def test_list(self, net, situation, actor):
        response = client_of(net, actor).get(f"{API}/situations")
        assert response.status_code == (403 if actor in ROLE_REFUSED else 200)
        if response.status_code == 200:
            pseudonyms = [item["pseudonym"] for item in response.json()["items"]]
            assert pseudonyms == ([situation.pseudonym] if actor in SEES else [])

    @pytest.mark.parametrize("actor", ACTORS)
    def test_detail(self, net, situation, actor):
        response = client_of(net, actor).get(f"{API}/situations/{situation.public_id}")
        assert response.status_code == status_for(actor, allowed=200)
        if actor in HIDDEN:
            assert_not_found(response)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_tasks(self, net, situation, actor):
        response = client_of(net, actor).get(f"{API}/situations/{situation.public_id}/tasks")
        assert response.status_code == status_for(actor, allowed=200)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_add_note(self, net, situation, actor):
        response = post(client_of(net, actor), f"{API}/situations/{situation.public_id}/notes", NOTE)
        assert response.status_code == status_for(actor, allowed=201)
        assert situation.timeline.count() == (1 if actor in SEES else 0)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_add_task(self, net, situation, actor):
        task = {
            "title": "Rappeler la victime",
            "owner": str(net["coordinator"].public_id),
            "due_on": "2026-12-01",
        }
        response = post(client_of(net, actor), f"{API}/situations/{situation.public_id}/tasks", task)
        assert response.status_code == status_for(actor, allowed=201)
        assert situation.tasks.count() == (1 if actor in SEES else 0)

    @pytest.mark.parametrize("actor", ACTORS)
    def test_report(self, net, other_territory, actor):
        # Each caller reports in a commune of its own territory.
        commune = other_territory if actor == "other_territory" else net.vendrennes
        response = post(client_of(net, actor), f"{API}/situations", report_payload(commune))
        assert response.status_code == (403 if actor in ROLE_REFUSED else 201)
        assert Situation.objects.filter(commune=commune).count() == (0 if actor in ROLE_REFUSED else 1)

    def test_missing_situation_answers_the_same_404_as_a_hidden_one(self, net, situation):
        client = client_of(net, "coordinator")
        missing = uuid.uuid4()
        assert_not_found(client.get(f"{API}/situations/{missing}"))
        assert_not_found(client.get(f"{API}/situations/{missing}/tasks"))
        assert_not_found(post(client, f"{API}/situations/{missing}/notes", NOTE))

    def test_anonymous_gets_401(self, client, situation):
        assert client.get(f"{API}/situations").status_code == 401
        assert client.get(f"{API}/situations/{situation.public_id}").status_code == 401
        assert post(client, f"{API}/situations/{situation.public_id}/notes", NOTE).status_code == 401

    def test_not_a_uuid_is_not_found(self, net, situation):
        assert client_of(net, "coordinator").get(f"{API}/situations/S-2026-0001").status_code == 404

    def test_an_excluded_coordinator_gets_404(self, net, situation):
        services.exclusion_add(
            actor=net.actor("coordinator"),
            situation=situation,
            user=net["referent"].user,
            reason="Voisin de la famille",
        )
        assert_not_found(client_of(net, "referent").get(f"{API}/situations/{situation.public_id}"))

    def test_restricted_situation_only_for_the_coordinator_and_named_users(self, net, situation):
        services.situation_restrict(
            actor=net.actor("coordinator"),
            situation=situation,
            named_users=[net["cidff"].user],
            reason="La victime travaille dans le réseau",
        )
        path = f"{API}/situations/{situation.public_id}"
        assert client_of(net, "coordinator").get(path).status_code == 200
        assert client_of(net, "cidff").get(path).status_code == 200
        assert_not_found(client_of(net, "referent").get(path))
        assert_not_found(client_of(net, "gendarme").get(path))


class TestTokens:
    def test_read_token_reads_but_may_not_write(self, client, net, situation):
        _, key = create_token(net["gendarme"], scope="read")
        headers = bearer(key)
        assert client.get(f"{API}/situations/{situation.public_id}", headers=headers).status_code == 200
        for path, data in [
            (f"{API}/situations", report_payload(net.mouchamps)),
            (f"{API}/situations/{situation.public_id}/notes", NOTE),
            (
                f"{API}/situations/{situation.public_id}/tasks",
                {"title": "Appeler", "owner": str(net["gendarme"].public_id), "due_on": "2026-12-01"},
            ),
        ]:
            response = post(client, path, data, headers=headers)
            assert response.status_code == 403, path
            assert "lecture seule" in response.json()["detail"]
        assert Situation.objects.count() == 1
        assert not situation.timeline.exists() and not situation.tasks.exists()

    def test_write_token_writes_as_its_membership(self, client, net, situation):
        _, key = create_token(net["gendarme"], scope="write")
        response = post(client, f"{API}/situations/{situation.public_id}/notes", NOTE, headers=bearer(key))
        assert response.status_code == 201
        assert response.json()["author"]["public_id"] == str(net["gendarme"].public_id)


# ------------------------------------------------------------------------------------------- answers


class TestList:
    def test_items_carry_the_pseudonym_and_never_an_identity(self, net, situation):
        response = client_of(net, "coordinator").get(f"{API}/situations")
        body = response.json()
        assert body["count"] == 1
        (item,) = body["items"]
        assert item == {
            "public_id": str(situation.public_id),
            "pseudonym": situation.pseudonym,
            "commune": {"public_id": str(net.mouchamps.public_id), "name": "Mouchamps"},
            "detected_on": "2026-03-02",
            "status": "new",
            "status_label": "Nouvelle",
            "urgent": False,
            "high_danger": False,
            "restricted": False,
            "sources": ["law_enforcement"],
            "violence_types": ["physical"],
            "updated_at": item["updated_at"],
        }
        content = response.content.decode()
        for secret in ("Maëlle", "Tournesol", "Léo", VICTIM_PHONE, "Lilas"):
            assert secret not in content

    def test_filters(self, net, situation):
        actor = net["gendarme"]
        urgent = report_situation(
            actor, commune=net.vendrennes, urgent=True, detected_on=datetime.date(2025, 6, 1)
        )
        closed = report_situation(actor, commune=net.vendrennes, detected_on=datetime.date(2024, 1, 10))
        services.situation_close(actor=net.actor("coordinator"), situation=closed, reason="resolved")
        client = client_of(net, "coordinator")

        def pseudonyms(query: str) -> list[str]:
            response = client.get(f"{API}/situations?{query}")
            assert response.status_code == 200, response.content
            return [item["pseudonym"] for item in response.json()["items"]]

        assert pseudonyms("") == [situation.pseudonym, urgent.pseudonym, closed.pseudonym]
        assert pseudonyms(f"commune={net.vendrennes.public_id}") == [urgent.pseudonym, closed.pseudonym]
        assert pseudonyms("status=closed") == [closed.pseudonym]
        assert pseudonyms("urgent=true") == [urgent.pseudonym]
        assert pseudonyms("urgent=false") == [situation.pseudonym, closed.pseudonym]
        assert pseudonyms("date_from=2025-01-01") == [situation.pseudonym, urgent.pseudonym]
        assert pseudonyms("date_from=2024-01-01&date_to=2025-06-01") == [urgent.pseudonym, closed.pseudonym]
        assert pseudonyms(f"q={urgent.pseudonym[-4:]}") == [urgent.pseudonym]
        assert pseudonyms(f"commune={uuid.uuid4()}") == []
        assert client.get(f"{API}/situations?status=inconnu").status_code == 422

    def test_paginates_by_cursor(self, net, situation):
        for _ in range(4):
            report_situation(net["gendarme"], commune=net.mouchamps)
        client = client_of(net, "referent")
        first = client.get(f"{API}/situations?limit=2").json()
        assert first["count"] == 5 and first["count_capped"] is False and first["previous"] is None
        second = client.get(f"{API}/situations", {"limit": 2, "cursor": first["next"]}).json()
        third = client.get(f"{API}/situations", {"limit": 2, "cursor": second["next"]}).json()
        assert third["next"] is None and len(third["items"]) == 1
        seen = [i["public_id"] for page in (first, second, third) for i in page["items"]]
        assert len(set(seen)) == 5
        back = client.get(f"{API}/situations", {"limit": 2, "cursor": third["previous"]}).json()
        assert back["items"] == second["items"]
        assert client.get(f"{API}/situations?limit=0").status_code == 422
        assert client.get(f"{API}/situations?limit=201").status_code == 422

    @pytest.mark.parametrize("cursor", ["xyz", "W10", "WyJhIiwgWzFdXQ", "WyJhIiwgWyIyMDI2LTEzLTAxIiwgMV1d"])
    def test_a_cursor_it_did_not_write_answers_400(self, net, situation, cursor):
        response = client_of(net, "referent").get(f"{API}/situations", {"cursor": cursor})
        assert response.status_code == 400
        assert "Curseur de pagination invalide" in response.json()["detail"]

    @pytest.mark.parametrize("rows", [1, 50])
    def test_query_count_is_fixed(self, net, rows, django_assert_num_queries):
        for _ in range(rows):
            report_situation(net["gendarme"], commune=net.mouchamps)
        client = client_of(net, "referent")
        # session, user, memberships (+roles, +communes as referent), page, count
        with django_assert_num_queries(7):
            response = client.get(f"{API}/situations")
        assert len(response.json()["items"]) == min(rows, 50)


class TestDetail:
    def test_identities_only_on_request_and_each_read_is_audited(self, net, situation):
        client = client_of(net, "referent")
        path = f"{API}/situations/{situation.public_id}"

        body = client.get(path).json()
        assert body["identities_visible"] is False
        assert all(person["identity"] is None for person in body["persons"])
        assert "Tournesol" not in json.dumps(body) and VICTIM_PHONE not in json.dumps(body)
        victim = body["persons"][0]
        assert victim["role"] == "victim" and victim["sex"] == "female"
        assert victim["safe_contacts"] == [
            {
                "channel": "phone",
                "channel_label": "Appel téléphonique",
                "allowed": False,
                "safe_hours": "",
                "code_word": None,
            },
            {
                "channel": "sms",
                "channel_label": "SMS",
                "allowed": True,
                "safe_hours": "9 h – 12 h",
                "code_word": None,
            },
        ]
        assert body["persons"][1]["age"] == 6

        revealed = client.get(f"{path}?identities=true").json()
        assert revealed["identities_visible"] is True
        identity = revealed["persons"][0]["identity"]
        assert (identity["first_name"], identity["last_name"], identity["phone"]) == (
            "Maëlle",
            "Tournesol",
            VICTIM_PHONE,
        )
        assert revealed["persons"][0]["safe_contacts"][1]["code_word"] == "Lilas"

        reads = list(
            AuditEntry.objects.filter(
                object_public_id=situation.public_id,
                action__in=[AuditAction.SITUATION_VIEWED, AuditAction.SITUATION_IDENTITY_VIEWED],
            ).values_list("action", "actor_user_id", "changes")
        )
        user_id = net["referent"].user_id
        assert reads == [
            (AuditAction.SITUATION_VIEWED, user_id, {"emergency": False}),
            (AuditAction.SITUATION_VIEWED, user_id, {"emergency": False}),
            (AuditAction.SITUATION_IDENTITY_VIEWED, user_id, {"emergency": False}),
        ]

    def test_shows_participants_consent_referent_and_status(self, net, situation):
        coordinator = net.actor("coordinator")
        services.consent_record(
            actor=coordinator, situation=situation, answer=ConsentAnswer.GIVEN, organisations=[net.cidff]
        )
        services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
        services.referent_assign(actor=coordinator, situation=situation, membership=net["referent"])

        body = client_of(net, "cidff").get(f"{API}/situations/{situation.public_id}").json()

        assert body["status"] == SituationStatus.FOLLOWED and body["status_label"] == "Suivie"
        assert body["version"] > 1
        assert [p["organisation"]["name"] for p in body["participations"]] == [
            "Gendarmerie — brigade des Herbiers",
            "CIDFF de la Vendée",
        ]
        assert [p["reason"] for p in body["participations"]] == ["reporter", "added"]
        assert body["consent"]["answer"] == "given"
        assert [o["name"] for o in body["consent"]["organisations"]] == ["CIDFF de la Vendée"]
        assert body["consent"]["recorded_by"]["public_id"] == str(net["coordinator"].public_id)
        assert body["referent"]["public_id"] == str(net["referent"].public_id)
        assert body["closure_reason"] is None and body["closed_at"] is None

    def test_timeline_follows_each_visibility_level(self, net, situation):
        coordinator = net.actor("coordinator")
        gendarme = net.actor("gendarme")
        for visibility in NoteVisibility.values:
            services.timeline_add(
                actor=gendarme,
                situation=situation,
                kind=TimelineKind.NOTE,
                visibility=visibility,
                body=f"Note gendarmerie {visibility}",
            )
        services.timeline_add(
            actor=coordinator,
            situation=situation,
            kind=TimelineKind.DECISION,
            visibility=NoteVisibility.COORDINATION,
            body="Décision de la coordination",
        )

        def bodies(name: str) -> set[str]:
            response = client_of(net, name).get(f"{API}/situations/{situation.public_id}")
            return {entry["body"] for entry in response.json()["timeline"]}

        everything = {f"Note gendarmerie {v}" for v in NoteVisibility.values} | {
            "Décision de la coordination"
        }
        # The gendarmerie wrote the three notes; the coordination's decision is not for it.
        assert bodies("gendarme") == everything - {"Décision de la coordination"}
        assert bodies("coordinator") == everything - {"Note gendarmerie organisation"}
        assert bodies("referent") == everything - {"Note gendarmerie organisation"}
        coordination_only = {"Note gendarmerie coordination", "Décision de la coordination"}
        services.consent_record(
            actor=coordinator, situation=situation, answer=ConsentAnswer.GIVEN, organisations=[net.cidff]
        )
        services.participant_add(actor=coordinator, situation=situation, organisation=net.cidff)
        assert bodies("cidff") == everything - {"Note gendarmerie organisation"} - coordination_only

    def test_tasks_show_owner_and_overdue(self, net, situation):
        coordinator = net.actor("coordinator")
        services.task_add(
            actor=coordinator,
            situation=situation,
            title="Trouver un hébergement",
            owner=net["gendarme"],
            due_on=datetime.date(2026, 3, 10),
        )
        tasks = client_of(net, "gendarme").get(f"{API}/situations/{situation.public_id}/tasks").json()
        (task,) = tasks
        assert task["title"] == "Trouver un hébergement"
        assert task["owner"]["public_id"] == str(net["gendarme"].public_id)
        assert task["owner"]["organisation"] == "Gendarmerie — brigade des Herbiers"
        assert task["done"] is False and task["overdue"] is True

    def test_read_through_break_the_glass_is_audited_as_such(self, net, situation):
        services.emergency_access_request(
            actor=net.actor("cidff"),
            pseudonym=situation.pseudonym,
            reason="La victime appelle en détresse, la référente est absente",
        )
        response = client_of(net, "cidff").get(f"{API}/situations/{situation.public_id}")
        assert response.status_code == 200
        entry = AuditEntry.objects.filter(action=AuditAction.SITUATION_VIEWED).get()
        assert entry.changes == {"emergency": True}

    @pytest.mark.parametrize("rows", [1, 4])
    def test_query_count_is_fixed(self, net, situation, rows, django_assert_num_queries):
        coordinator = net.actor("coordinator")
        for i in range(rows):
            services.person_add(actor=coordinator, situation=situation, role=PersonRole.CHILD, age=i + 2)
            services.timeline_add(
                actor=coordinator,
                situation=situation,
                kind=TimelineKind.NOTE,
                visibility=NoteVisibility.PARTICIPANTS,
                body=f"Note {i}",
            )
            services.task_add(
                actor=coordinator,
                situation=situation,
                title=f"Tâche {i}",
                owner=net["gendarme"],
                due_on=datetime.date(2026, 12, 1),
            )
        client = client_of(net, "gendarme")
        path = f"{API}/situations/{situation.public_id}?identities=true"
        # auth (5); situation (with the reader's grounds), participations, persons, safe contacts, consents,
        # consent organisations (6); timeline; tasks; two audited reads in one transaction (savepoint,
        # head, insert, head, insert, head, release: 8 on SQLite — 2 fewer since page and identities are one
        # read; on PostgreSQL each insert moves the head in the same statement)
        with django_assert_num_queries(15 + 2 * audit_entry_queries()):
            body = client.get(path).json()
        assert len(body["timeline"]) == rows and len(body["tasks"]) == rows


# ------------------------------------------------------------------------------------------- writes


class TestReport:
    def test_creates_the_situation_through_the_service(
        self, net, situation, mailoutbox, django_capture_on_commit_callbacks
    ):
        payload = report_payload(
            net.mouchamps,
            urgent=True,
            consent={"answer": "given", "organisations": [str(net.hospital.public_id)]},
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client_of(net, "cidff"), f"{API}/situations", payload)
        assert response.status_code == 201, response.content
        body = response.json()
        created = Situation.objects.get(public_id=body["public_id"])
        assert body == {
            "public_id": str(created.public_id),
            "pseudonym": created.pseudonym,
            "urgent": True,
            "visible": True,
        }
        assert created.status == SituationStatus.NEW and created.sources == ["law_enforcement", "victim"]
        assert [p.organisation for p in created.participations.all()] == [net.cidff]
        assert list(created.consents.get().organisations.all()) == [net.hospital]
        victim = created.persons.get(role=PersonRole.VICTIM)
        assert (victim.first_name, victim.last_name) == ("Maëlle", "Tournesol")
        assert victim.safe_contacts.get().safe_hours == "après 18 h"
        assert sorted(created.persons.values_list("role", flat=True)) == ["child", "perpetrator", "victim"]
        assert AuditEntry.objects.filter(
            action=AuditAction.SITUATION_REPORTED, object_public_id=created.public_id
        ).exists()
        # The coordinator and the Mouchamps referent are alerted, by an e-mail that names nothing.
        run_queued_tasks()  # the alert e-mails leave through the task queue
        assert {m.to[0] for m in mailoutbox} == {net["coordinator"].user.email, net["referent"].user.email}
        for message in mailoutbox:
            for secret in ("Tournesol", "Maëlle", "Mouchamps", created.pseudonym):
                assert secret not in message.body + message.subject

    def test_a_referent_reporting_outside_their_communes_is_told_they_will_not_see_it(self, net):
        response = post(client_of(net, "referent"), f"{API}/situations", report_payload(net.vendrennes))
        assert response.status_code == 201
        assert response.json()["visible"] is False
        created = Situation.objects.get()
        assert_not_found(client_of(net, "referent").get(f"{API}/situations/{created.public_id}"))
        assert (
            client_of(net, "referent_elsewhere").get(f"{API}/situations/{created.public_id}").status_code
            == 200
        )

    def test_refusals_are_explained_in_french(self, net, other_territory):
        client = client_of(net, "gendarme")
        cases = [
            (report_payload(other_territory), "ne fait pas partie de votre territoire"),
            (report_payload(net.mouchamps, detected_on="2099-01-01"), "dans le futur"),
            (
                report_payload(
                    net.mouchamps, consent={"answer": "given", "organisations": [str(uuid.uuid4())]}
                ),
                "ne fait pas partie du réseau",
            ),
            (report_payload(net.mouchamps, persons=[{"role": "child", "age": 4}]), "au moins une victime"),
        ]
        for payload, message in cases:
            response = post(client, f"{API}/situations", payload)
            assert response.status_code == 400, payload
            assert message in response.json()["detail"]
        assert not Situation.objects.exists()

    def test_malformed_input_is_refused_before_the_service(self, net):
        client = client_of(net, "gendarme")
        for payload in [
            report_payload(net.mouchamps, sources=[]),
            report_payload(net.mouchamps, sources=["ouï-dire"]),
            report_payload(net.mouchamps, persons=[]),
            {"commune": str(net.mouchamps.public_id)},
        ]:
            assert post(client, f"{API}/situations", payload).status_code == 422
        assert not Situation.objects.exists()


class TestNotes:
    def test_adds_an_entry_visible_at_its_level(self, net, situation):
        response = post(
            client_of(net, "referent"),
            f"{API}/situations/{situation.public_id}/notes",
            {**NOTE, "visibility": "coordination", "body": "Point avec la mairie"},
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["visibility"] == "coordination" and body["kind"] == "note"
        assert body["author"]["public_id"] == str(net["referent"].public_id)
        entry = situation.timeline.get()
        assert entry.body == "Point avec la mairie" and str(entry.public_id) == body["public_id"]
        gendarme_view = client_of(net, "gendarme").get(f"{API}/situations/{situation.public_id}").json()
        assert gendarme_view["timeline"] == []

    def test_a_contact_through_an_unsafe_channel_is_refused(self, net, situation):
        contact = {**NOTE, "kind": "contact", "channel": "phone", "body": "Appel à la victime"}
        response = post(client_of(net, "gendarme"), f"{API}/situations/{situation.public_id}/notes", contact)
        assert response.status_code == 400
        assert "n'est pas indiqué comme sûr" in response.json()["detail"]
        sms = {**contact, "channel": "sms"}
        assert (
            post(client_of(net, "gendarme"), f"{API}/situations/{situation.public_id}/notes", sms).status_code
            == 201
        )

    def test_a_medical_note_without_consent_stays_in_the_hospital(self, net, situation):
        coordinator = net.actor("coordinator")
        services.participant_add(
            actor=coordinator, situation=situation, organisation=net.hospital, legal_ground="immediate_danger"
        )
        services.consent_record(actor=coordinator, situation=situation, answer=ConsentAnswer.REFUSED)
        response = post(
            client_of(net, "doctor"),
            f"{API}/situations/{situation.public_id}/notes",
            {**NOTE, "medical": True, "body": "Constat de lésions"},
        )
        assert response.status_code == 201
        assert response.json()["visibility"] == "organisation"
        assert (
            client_of(net, "coordinator").get(f"{API}/situations/{situation.public_id}").json()["timeline"]
            == []
        )


class TestTasks:
    def test_adds_a_task_for_someone_who_sees_the_situation(self, net, situation):
        task = {
            "title": "Proposer un rendez-vous au CIDFF",
            "owner": str(net["gendarme"].public_id),
            "due_on": "2026-12-15",
        }
        response = post(client_of(net, "coordinator"), f"{API}/situations/{situation.public_id}/tasks", task)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["title"] == task["title"] and body["due_on"] == "2026-12-15"
        assert body["owner"]["name"] == net["gendarme"].user.get_full_name()
        assert situation.tasks.get().owner == net["gendarme"]

    def test_an_owner_who_cannot_see_the_situation_is_refused(self, net, situation, other_territory):
        client = client_of(net, "coordinator")
        for owner in (net["cidff"], net["other_territory"], net["observer"]):
            task = {"title": "Appeler", "owner": str(owner.public_id), "due_on": "2026-12-15"}
            response = post(client, f"{API}/situations/{situation.public_id}/tasks", task)
            assert response.status_code == 400
            assert "n'a pas accès à la situation" in response.json()["detail"]
        assert not situation.tasks.exists()


def test_openapi_documents_the_situation_endpoints_in_french(client):
    document = client.get(f"{API}/openapi.json").json()
    paths = document["paths"]
    expected = {
        f"{API}/situations": {"get", "post"},
        f"{API}/situations/{{public_id}}": {"get"},
        f"{API}/situations/{{public_id}}/notes": {"post"},
        f"{API}/situations/{{public_id}}/tasks": {"get", "post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"] and operation["description"], (method, path)
            assert operation["tags"] == ["Situations"]
            assert "401" in operation["responses"]
    assert "404" in paths[f"{API}/situations/{{public_id}}"]["get"]["responses"]
    listing = paths[f"{API}/situations"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {
        "limit",
        "cursor",
        "q",
        "commune",
        "status",
        "urgent",
        "date_from",
        "date_to",
    }
    assert "identité" in paths[f"{API}/situations/{{public_id}}"]["get"]["description"]
