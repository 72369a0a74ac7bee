"""The prevention and trainings pages: who reaches which (every role; another territory and missing records
answer 404), the lists' filters, totals, empty states and pages, the forms (input kept on every error, a form
sent twice, a stale version), deletion after confirmation, the menu, and the query counts."""

import html
import re
import uuid

import pytest
from django.test import Client

from maillage.prevention.models import PreventionEvent, Training
from tests.helpers import sign_in
from tests.network.factories import MembershipFactory
from tests.prevention.worlds import ACTORS, EDITS, ELSEWHERE, HERE, WRITERS, days_ago

pytestmark = pytest.mark.django_db


def event_data(world, **changes) -> dict:
    data = {
        "title": "Stand au marché des Herbiers",
        "kind": "stand",
        "held_on": days_ago(1).isoformat(),
        "ends_on": "",
        "commune": str(world.herbiers.public_id),
        "audience": "general_public",
        "people_reached": "140",
        "organisations": [str(world.cidff.public_id)],
        "materials": "Violentomètre",
        "description": "",
        "version": "",
        "submission": str(uuid.uuid4()),
    }
    return {**data, **changes}


def training_data(world, rows=((None, None),), **changes) -> dict:
    data = {
        "title": "Repérer les violences — référents des mairies",
        "topic": "detection",
        "held_on": days_ago(1).isoformat(),
        "hours": "2,5",
        "commune": "",
        "trainer_organisations": [],
        "trainers": "Gendarme référente",
        "version": "",
        "submission": str(uuid.uuid4()),
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, (organisation, attendees) in enumerate(rows):
        data[f"participants-{index}-organisation"] = str(organisation.public_id) if organisation else ""
        data[f"participants-{index}-attendees"] = "" if attendees is None else str(attendees)
    return {**data, **changes}


def text(response) -> str:
    return html.unescape(response.content.decode())


def paths(record_name, record) -> dict:
    base = "/prevention/" if record_name in {"school_talk", "press", "event_elsewhere"} else "/formations/"
    return {"detail": f"{base}{record.public_id}/", "edit": f"{base}{record.public_id}/modifier/"}


@pytest.mark.parametrize("name", ACTORS)
def test_who_reaches_which_page(world, name):
    client = world.client(name)
    member = name != "platform_admin"
    for url in ("/prevention/", "/formations/"):
        assert client.get(url).status_code == (200 if member else 403)
    for url in ("/prevention/ajouter/", "/formations/ajouter/"):
        expected = 200 if name in WRITERS | ELSEWHERE else 403
        assert client.get(url).status_code == expected, url
    for record_name, record in world.records.items():
        p = paths(record_name, record)
        status = client.get(p["detail"]).status_code
        assert status == (200 if world.sees(name, record_name) else 403 if not member else 404), record_name
        status = client.get(p["edit"]).status_code
        if name in EDITS[record_name]:
            assert status == 200, record_name
        else:
            assert status == (403 if name in {"observer", "dpo", "platform_admin"} else 404), record_name


@pytest.mark.parametrize("name", sorted(HERE))
def test_only_the_coordinator_deletes(world, name):
    event = world.records["school_talk"]
    client = world.client(name)
    response = client.post(f"/prevention/{event.public_id}/supprimer/", {"version": event.version})
    if name == "coordinator":
        assert response.status_code == 200 and "Supprimer définitivement" in text(response)
    else:
        assert response.status_code == 403
    assert PreventionEvent.objects.filter(pk=event.pk).exists()


def test_the_coordinator_deletes_after_confirming_and_a_second_sending_is_harmless(world):
    client = world.client("coordinator")
    event = world.records["school_talk"]
    url = f"/prevention/{event.public_id}/supprimer/"
    page = text(client.post(url, {"version": event.version}))
    assert "ses 112 personnes touchées ne comptent plus dans les bilans" in page
    response = client.post(url, {"version": event.version, "confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == "/prevention/"
    assert not PreventionEvent.objects.filter(pk=event.pk).exists()
    again = client.post(url, {"version": event.version, "confirmed": "1"}, follow=True)
    assert "n'existe plus" in text(again)
    # Another territory's record, confirmed or not, stays hidden behind the same answers.
    elsewhere = world.records["event_elsewhere"]
    hidden = f"/prevention/{elsewhere.public_id}/supprimer/"
    assert client.post(hidden, {"version": 1}).status_code == 404
    assert client.post(hidden, {"version": 1, "confirmed": "1"}).status_code == 302
    assert PreventionEvent.objects.filter(pk=elsewhere.pk).exists()


def test_deleting_a_training_changed_meanwhile_is_refused(world):
    client = world.client("coordinator")
    training = world.records["cidff_training"]
    response = client.post(
        f"/formations/{training.public_id}/supprimer/",
        {"version": training.version - 1 if training.version > 1 else 99, "confirmed": "1"},
        follow=True,
    )
    assert "Quelqu'un a modifié la formation" in text(response)
    assert Training.objects.filter(pk=training.pk).exists()
    response = client.post(
        f"/formations/{training.public_id}/supprimer/", {"version": training.version, "confirmed": "1"}
    )
    assert response.status_code == 302 and not Training.objects.filter(pk=training.pk).exists()


class TestEventList:
    def test_filters_narrow_the_list_and_its_totals(self, world):
        client = world.client("observer")
        page = text(client.get("/prevention/"))
        assert "Intervention au collège" in page and "Article dans Ouest-France" in page
        assert "Stand au marché de Pouzauges" not in page
        assert totals(page) == ["2", "5\xa0112"]
        page = text(client.get("/prevention/", {"kind": "school_talk"}))
        assert "Article dans Ouest-France" not in page and totals(page) == ["1", "112"]
        page = text(client.get("/prevention/", {"commune": "territoire"}))
        assert "Intervention au collège" not in page and totals(page) == ["1", "5\xa0000"]
        page = text(client.get("/prevention/", {"commune": str(world.mouchamps.public_id)}))
        assert totals(page) == ["1", "112"]
        year = days_ago(400).year
        page = text(client.get("/prevention/", {"year": year}))
        assert "Article dans Ouest-France" in page
        assert f'<option value="{year}" selected>' in page

    def test_empty_states(self, world):
        client, _ = member_elsewhere(world)
        page = text(client.get("/prevention/"))
        assert "Aucune action de prévention enregistrée pour l'instant." in page
        page = text(client.get("/formations/"))
        assert "Aucune formation enregistrée pour l'instant." in page
        page = text(world.client("observer").get("/prevention/", {"kind": "campaign"}))
        assert "Aucune action ne répond à ces filtres." in page
        assert "Enregistrer une action" not in page  # the observer only reads

    def test_pages_of_fifty(self, world, settings):
        coordinator = world.actor("coordinator")
        from maillage.prevention import services

        for index in range(50):
            services.event_record(
                actor=coordinator,
                title=f"Intervention {index}",
                kind="school_talk",
                held_on=days_ago(2),
                audience="pupils",
                people_reached=10,
            )
        client = world.client("coordinator")
        first = text(client.get("/prevention/", {"kind": "school_talk"}))
        assert "Page 1 sur 2" in first and "page=2" in first and "kind=school_talk" in first
        second = text(client.get("/prevention/", {"kind": "school_talk", "page": 2}))
        assert "Intervention au collège" in second and totals(second) == ["51", "612"]


def totals(page: str) -> list[str]:
    block = page.split('data-testid="totals">')[1].split("</dl>")[0]
    return [part.split("</dd>")[0] for part in block.split("<dd>")[1:]]


def member_elsewhere(world):
    """A member of a third territory with nothing recorded."""
    from tests.territories.factories import TerritoryFactory

    membership = MembershipFactory(
        territory=TerritoryFactory(name="Pays de Mortagne"), roles=["professional"]
    )
    return sign_in(Client(), membership.user, membership), membership


class TestEventForm:
    def test_a_member_records_an_event_with_their_organisation(self, world):
        client = world.client("gendarme")
        page = text(client.get("/prevention/ajouter/"))
        assert "Votre organisation, Gendarmerie, en fait toujours partie." in page
        # Ticked for good: a disabled box (not sent), which the service counts anyway.
        own = rf'value="{world.gendarmerie.public_id}" id="id_organisations_\d+" checked disabled>\s*'
        assert re.search(own + r"Gendarmerie \(votre organisation, toujours comptée\)", page)
        data = event_data(world)
        response = client.post("/prevention/ajouter/", data)
        event = PreventionEvent.objects.get(public_id=data["submission"])
        assert response.status_code == 302 and response["Location"] == f"/prevention/{event.public_id}/"
        assert set(event.organisations.all()) == {world.cidff, world.gendarmerie}
        page = text(client.get(response["Location"]))
        assert "Stand au marché des Herbiers" in page and "CIDFF de la Vendée, Gendarmerie" in page
        assert "Modifier l'action" in page and "Supprimer l'action" not in page

    def test_the_coordinator_is_offered_their_organisation_without_being_bound_to_it(self, world):
        page = text(world.client("coordinator").get("/prevention/ajouter/"))
        assert "en fait toujours partie" not in page
        assert re.search(rf'value="{world.epci.public_id}" id="id_organisations_\d+" checked', page)

    def test_errors_keep_the_input(self, world):
        client = world.client("gendarme")
        data = event_data(world, people_reached="", materials="Affiches")
        response = client.post("/prevention/ajouter/", data)
        page = text(response)
        assert response.status_code == 200 and "<title>Erreur : " in page
        assert "Indiquez le nombre de personnes touchées par cette action passée" in page
        assert 'value="Stand au marché des Herbiers"' in page and 'value="Affiches"' in page
        assert re.search(rf'value="{world.cidff.public_id}" id="id_organisations_\d+" checked', page)
        assert not PreventionEvent.objects.filter(title="Stand au marché des Herbiers").exists()

    def test_a_form_sent_twice_records_once(self, world):
        client = world.client("gendarme")
        data = event_data(world)
        first = client.post("/prevention/ajouter/", data)
        second = client.post("/prevention/ajouter/", data, follow=True)
        assert PreventionEvent.objects.filter(title=data["title"]).count() == 1
        assert second.redirect_chain[-1][0] == first["Location"]
        assert "déjà été enregistré" in text(second)

    def test_a_stale_edit_is_refused_with_the_input_kept_and_the_current_version_shown(self, world):
        event = world.records["school_talk"]
        gendarme, coordinator = world.client("gendarme"), world.client("coordinator")
        both = [str(world.college.public_id), str(world.gendarmerie.public_id)]
        # The gendarme's form offers the other organisations only: the gendarmerie is always counted.
        college = [str(world.college.public_id)]
        stale = event_data(
            world, title="Titre du gendarme", version=str(event.version), organisations=college
        )
        coordinator.post(
            f"/prevention/{event.public_id}/modifier/",
            event_data(
                world, title="Titre de la coordination", version=str(event.version), organisations=both
            ),
        )
        response = gendarme.post(f"/prevention/{event.public_id}/modifier/", stale)
        page = text(response)
        assert response.status_code == 200
        assert "Quelqu'un a modifié l'action « Titre de la coordination »" in page
        assert 'value="Titre du gendarme"' in page and "Ce qui est enregistré à présent" in page
        assert f'name="version" value="{event.version + 1}"' in page
        # Saving again (after checking) applies it.
        stale["version"] = str(event.version + 1)
        assert gendarme.post(f"/prevention/{event.public_id}/modifier/", stale).status_code == 302
        event.refresh_from_db()
        assert event.title == "Titre du gendarme"


class TestTrainingForm:
    def test_a_member_records_a_training_with_attendees_per_organisation(self, world):
        client = world.client("gendarme")
        data = training_data(world, rows=[(world.mairie, 3), (None, None), (world.ccas, 2)])
        response = client.post("/formations/ajouter/", data)
        training = Training.objects.get(public_id=data["submission"])
        assert response.status_code == 302
        assert set(training.trainer_organisations.all()) == {world.gendarmerie}
        page = text(client.get(response["Location"]))
        assert "5 participants de 2 organisations" in page and "2,5 h" in page

    @pytest.mark.parametrize(
        ("rows", "message"),
        [
            ([(None, None)], "Indiquez au moins une organisation et son nombre de participants."),
            ("twice", "figure déjà sur une autre ligne"),
            ("no number", "Indiquez combien de personnes de cette organisation ont participé."),
            ("no organisation", "Choisissez l'organisation de ces participants."),
        ],
    )
    def test_attendance_errors_keep_the_input(self, world, rows, message):
        if isinstance(rows, str):
            rows = {
                "twice": [(world.ccas, 2), (world.ccas, 3)],
                "no number": [(world.ccas, None)],
                "no organisation": [(None, 4)],
            }[rows]
        response = world.client("gendarme").post("/formations/ajouter/", training_data(world, rows=rows))
        page = text(response)
        assert response.status_code == 200 and message in page and "<title>Erreur : " in page
        assert 'value="Repérer les violences — référents des mairies"' in page
        assert not Training.objects.filter(title__startswith="Repérer les violences —").exists()

    def test_the_edit_form_shows_the_attendance_and_blank_rows(self, world):
        training = world.records["cidff_training"]
        page = text(world.client("cidff").get(f"/formations/{training.public_id}/modifier/"))
        assert 'name="participants-TOTAL_FORMS" value="5"' in page
        assert 'name="participants-0-attendees" value="4"' in page


def test_the_menu_leads_every_member_to_prevention_and_trainings(world):
    for name in ("observer", "dpo", "housing_manager"):
        page = text(world.client(name).get("/", follow=True))  # the observer lands on the statistics
        assert 'href="/prevention/">Prévention</a>' in page and 'href="/formations/">Formations</a>' in page


class TestQueryCounts:
    """Key pages in a fixed number of queries, whatever the number of records (no N+1)."""

    def more(self, world, count: int) -> None:
        from maillage.prevention import services

        for index in range(count):
            services.event_record(
                actor=world.actor("gendarme"),
                title=f"Action {index}",
                kind="stand",
                held_on=days_ago(index + 1),
                commune=world.mouchamps,
                audience="general_public",
                people_reached=index,
                organisations=[world.cidff, world.college],
            )
            services.training_record(
                actor=world.actor("cidff"),
                title=f"Formation {index}",
                topic="detection",
                held_on=days_ago(index + 1),
                hours=2,
                attendances=[(world.gendarmerie, 2), (world.ccas, 1)],
            )

    @pytest.mark.parametrize("extra", [0, 12])
    def test_lists_and_pages(self, world, extra, django_assert_num_queries):
        self.more(world, extra)
        client = world.client("gendarme")
        client.get("/")  # the session's first request settles its bookkeeping
        event, training = world.records["school_talk"], world.records["gendarmerie_training"]
        # The middleware (session, user, memberships with roles and communes): 5; then the page's own.
        pages = {
            "/prevention/": 5 + 5,  # communes, years, totals, page, organisations
            "/formations/?topic=detection": 5 + 5,  # years, totals (2), page, organisations
            f"/prevention/{event.public_id}/": 5 + 2,  # event with its commune, organisations
            f"/formations/{training.public_id}/": 5 + 3,  # training, organisations, attendance
            f"/prevention/{event.public_id}/modifier/": 5 + 4,  # and the communes, organisations offered
            f"/formations/{training.public_id}/modifier/": 5 + 6,  # and organisations offered twice
            "/prevention/ajouter/": 5 + 2,
            "/formations/ajouter/": 5 + 3,
        }
        for url, queries in pages.items():
            with django_assert_num_queries(queries):
                assert client.get(url).status_code == 200, url
