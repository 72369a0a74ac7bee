"""Grids are versioned data: loading is idempotent, a version in use is never edited, only superseded; a
territory chooses its grids."""

import dataclasses
import json

import pytest
from django.core.management import CommandError, call_command

from maillage.assessments.loading import SHIPPED, parse_grid, shipped_grids
from maillage.assessments.models import Assessment, Grid, GridInUseError, GridQuestion
from maillage.assessments.services import grid_load, territory_grids_choose
from maillage.audit.services import console_actor
from maillage.errors import DomainError, PermissionDeniedError
from tests.assessments.helpers import DASH, FRENCH, assess

pytestmark = pytest.mark.django_db


def french_data(**changes):
    data = next(d for d in shipped_grids() if d.code == FRENCH)
    return dataclasses.replace(data, **changes)


def test_the_command_loads_the_shipped_grids_once(db, capsys):
    call_command("load_grids")
    call_command("load_grids")
    assert Grid.objects.count() == 2 and GridQuestion.objects.count() == 47
    assert capsys.readouterr().out.count("déjà à jour") == 2


def test_a_version_in_use_is_never_edited(net, situation, grids):
    grid = grids[FRENCH]
    assess(net.actor("gendarme"), situation, grid)
    grid.title = "Autre titre"
    with pytest.raises(GridInUseError):
        grid.save()
    question = grid.questions.get(number=1)
    question.text = "Autre question"
    with pytest.raises(GridInUseError):
        question.save()
    with pytest.raises(GridInUseError):
        question.delete()
    changed = french_data(high_at_yes=10)
    with pytest.raises(GridInUseError):
        grid_load(actor=console_actor(), data=changed)
    grid.refresh_from_db()
    assert grid.title != "Autre titre" and grid.high_at_yes == 12


def test_a_version_not_used_yet_may_be_replaced(grids):
    _grid, written = grid_load(actor=console_actor(), data=french_data(high_at_yes=13))
    assert written and Grid.objects.get(pk=grids[FRENCH].pk).high_at_yes == 13


def test_a_new_version_supersedes_the_one_in_use(net, situation, grids):
    old = grids[FRENCH]
    before = assess(net.actor("gendarme"), situation, old)
    new, written = grid_load(actor=console_actor(), data=french_data(version=2, high_at_yes=11))
    old.refresh_from_db()
    assert written and old.superseded_by == new and new.superseded_by is None
    assert list(Grid.objects.for_territory(net.territory).filter(code=FRENCH)) == [new]
    # Past assessments keep the questions they were made with.
    assert Assessment.objects.get(pk=before.pk).grid == old
    # A form read before the new version: a clear message, nothing recorded.
    with pytest.raises(DomainError, match="nouvelle version"):
        assess(net.actor("gendarme"), situation, old)
    assert Assessment.objects.count() == 1


def test_a_territory_chooses_its_grids(net, grids):
    assert {g.code for g in Grid.objects.for_territory(net.territory)} == {FRENCH, DASH}
    territory_grids_choose(actor=net.actor("coordinator"), codes=[DASH])
    assert [g.code for g in Grid.objects.for_territory(net.territory)] == [DASH]
    with pytest.raises(PermissionDeniedError):
        territory_grids_choose(actor=net.actor("gendarme"), codes=[FRENCH])
    with pytest.raises(DomainError):
        territory_grids_choose(actor=net.actor("coordinator"), codes=["inconnue"])


def test_a_territory_may_load_its_own_version(net, grids, tmp_path):
    own = json.loads((SHIPPED / "grille-danger-fr-v1.json").read_text())
    own["blocks"][0]["questions"][0]["text"] = "Avez-vous été blessée ?"
    path = tmp_path / "grille.json"
    path.write_text(json.dumps(own), encoding="utf-8")
    call_command("load_grids", "--file", str(path), "--territory", net.territory.name)
    grid = Grid.objects.for_territory(net.territory).get(code=FRENCH)
    assert grid.territory == net.territory and grid.questions.get(number=1).text == "Avez-vous été blessée ?"
    # One choice per code on the coordinator's page: the territory's own version replaces the shipped one.
    html = net.client("coordinator").get("/evaluations/grilles/").content.decode()
    assert html.count('name="codes"') == 2 and "Avez-vous été blessée ?</li>" in html
    with pytest.raises(CommandError, match="introuvable"):
        call_command("load_grids", "--file", str(path), "--territory", "Ailleurs")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"blocks": []}, "aucune question"),
        ({"high_at_yes": 40}, "seuils"),
        ({"high_at_red": 9}, "questions rouges"),
        ({"version": "1"}, "version"),
    ],
)
def test_a_bad_grid_file_is_refused_before_anything_is_written(change, message):
    data = json.loads((SHIPPED / "grille-danger-fr-v1.json").read_text())
    with pytest.raises(DomainError, match=message):
        parse_grid(data | change)
