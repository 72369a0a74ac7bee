"""The measure forms: bad input gets a clear French message and keeps what was typed; a stale form is
refused and tells what changed; an illegal move of the status changes nothing."""

import pytest

from maillage.protection.enums import MeasureStatus
from maillage.protection.models import ProtectiveMeasure

pytestmark = pytest.mark.django_db


def add_path(world):
    return f"/situations/{world.situation.public_id}/mesures/ajouter/"


def edit_path(world):
    return f"/situations/{world.situation.public_id}/mesures/{world.measure.public_id}/"


def form_of(world, **values):
    measure = world.measure
    data = {
        "kind": measure.kind,
        "authority": measure.authority,
        "status": measure.status,
        "requested_on": "",
        "decided_on": measure.decided_on.isoformat(),
        "starts_on": measure.starts_on.isoformat(),
        "ends_on": measure.ends_on.isoformat(),
        "version": measure.version,
    }
    data.update(values)
    return data


def test_missing_choices_and_reversed_dates_are_said_and_the_input_kept(world):
    response = world.client("gendarme").post(
        add_path(world),
        {
            "kind": "",
            "authority": "parquet",
            "status": "in_force",
            "starts_on": "2026-05-10",
            "ends_on": "2026-05-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Erreur : " in html
    assert "Ce champ est obligatoire" in html
    assert "La fin de la mesure ne peut pas précéder son début." in html
    assert 'value="2026-05-10"' in html and 'value="parquet" selected' in html
    assert ProtectiveMeasure.objects.count() == 1


def test_a_measure_in_force_without_a_start_is_refused_with_the_reason(world):
    response = world.client("gendarme").post(
        add_path(world), {"kind": "bar", "authority": "jaf", "status": "in_force", "version": ""}
    )
    assert response.status_code == 200
    assert "Indiquez depuis quand la mesure est en vigueur." in response.content.decode()
    assert ProtectiveMeasure.objects.count() == 1


def test_a_malformed_date_is_refused(world):
    response = world.client("gendarme").post(
        add_path(world),
        {"kind": "complaint", "authority": "police", "status": "requested", "requested_on": "32/13/2026"},
    )
    assert response.status_code == 200
    assert "Saisissez une date valide." in response.content.decode()


def test_a_measure_is_recorded_and_listed(world):
    client = world.client("referent")
    response = client.post(
        add_path(world),
        {"kind": "protection_order", "authority": "jaf", "status": "in_force", "starts_on": "2026-06-01"},
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Ordonnance de protection" in page and "31/05/2027" in page
    assert "Fin proche" in page  # the TGD of the world ends within the reminder period


def test_a_stale_form_is_refused_and_says_what_changed(world):
    client = world.client("coordinator")
    stale = form_of(world, status="ended")
    assert client.post(edit_path(world), form_of(world, ends_on="2026-12-31")).status_code == 302
    response = client.post(edit_path(world), stale)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Quelqu&#x27;un a modifié cette mesure" in html and "31/12/2026" in html
    world.measure.refresh_from_db()
    assert world.measure.status == MeasureStatus.IN_FORCE
    # The form now carries the current version: saving again applies what was typed.
    assert f'value="{world.measure.version}"' in html
    assert client.post(edit_path(world), {**stale, "version": world.measure.version}).status_code == 302
    world.measure.refresh_from_db()
    assert world.measure.status == MeasureStatus.ENDED


def test_an_illegal_move_is_refused_and_changes_nothing(world):
    client = world.client("coordinator")
    response = client.post(edit_path(world), form_of(world, status="requested"))
    assert "ne peut pas passer à « Demandée »" in response.content.decode()
    world.measure.refresh_from_db()
    assert (world.measure.status, world.measure.version) == (MeasureStatus.IN_FORCE, 1)


def test_a_double_click_on_save_changes_once_and_tells_the_second(world):
    client = world.client("coordinator")
    data = form_of(world, status="ended")
    assert client.post(edit_path(world), data).status_code == 302
    second = client.post(edit_path(world), data)
    assert second.status_code == 200
    assert "Quelqu&#x27;un a modifié cette mesure" in second.content.decode()
    world.measure.refresh_from_db()
    assert world.measure.version == 2
