from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import maillage.territories
from maillage.territories.models import Territory

pytestmark = pytest.mark.django_db

DEMO_FILE = Path(maillage.territories.__file__).parent / "fixtures" / "pays-des-herbiers.json"


def run(*args) -> str:
    out = StringIO()
    call_command("import_territory", *args, stdout=out)
    return out.getvalue()


def test_imports_the_demo_file_then_reimports_it_unchanged():
    assert run(str(DEMO_FILE)).strip() == (
        "Territoire « Pays des Herbiers » importé : 8 communes ajoutées, 0 commune mise à jour."
    )
    herbiers = Territory.objects.get(name="Pays des Herbiers").communes.get(name="Les Herbiers")
    assert (herbiers.postal_code, herbiers.population, herbiers.insee_code) == ("85500", 16135, "85109")

    assert "0 commune ajoutée, 0 commune mise à jour, 8 inchangées" in run(str(DEMO_FILE))
    assert Territory.objects.get().communes.count() == 8


def test_imports_a_csv_file_with_the_territory_given_as_options(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text("nom,code_postal,population\nPouzauges,85700,5500\n", encoding="utf-8")
    run(str(path), "--name", "Pays de Pouzauges", "--kind", "epci", "--department", "85")
    territory = Territory.objects.get(name="Pays de Pouzauges")
    assert territory.department_code == "85"
    assert list(territory.communes.values_list("name", "population")) == [("Pouzauges", 5500)]


def test_reports_every_problem_and_writes_nothing(tmp_path):
    path = tmp_path / "communes.csv"
    path.write_text(
        "nom;code_postal;population\nPouzauges;857;5500\nSèvremont;85700;beaucoup\n", encoding="utf-8"
    )
    with pytest.raises(CommandError) as caught:
        run(str(path), "--name", "Pays de Pouzauges", "--kind", "epci")
    assert str(caught.value) == (
        f"Le fichier {path} n'a pas été importé :\n"
        "- Ligne 2 (Pouzauges) : le code postal « 857 » doit comporter 5 chiffres.\n"
        "- Ligne 3 (Sèvremont) : la population « beaucoup » doit être un nombre entier positif."
    )
    assert not Territory.objects.exists()


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run(str(tmp_path / "absent.json"))
