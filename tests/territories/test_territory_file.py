import json

import pytest
from django.core.exceptions import ValidationError

from maillage.territories.territory_file import (
    MAX_FILE_BYTES,
    CommuneData,
    parse_territory_file,
)

CSV_ARGS = {"name": "Pays de Test", "kind": "epci", "department_code": "85"}


def problems(content: bytes, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        parse_territory_file(content, **kwargs)
    return caught.value.messages


def json_file(**overrides) -> bytes:
    document = {
        "name": "Pays des Herbiers",
        "kind": "epci",
        "department_code": "85",
        "communes": [
            {"name": "Les Herbiers", "postal_code": "85500", "population": 16135, "insee_code": "85109"},
            {"name": "Mouchamps", "postal_code": "85640", "population": 2957},
        ],
    }
    document.update(overrides)
    return json.dumps(document).encode()


def test_json_file_is_read():
    data = parse_territory_file(json_file(), filename="territoire.json")
    assert (data.name, data.kind, data.department_code) == ("Pays des Herbiers", "epci", "85")
    assert data.communes == (
        CommuneData(name="Les Herbiers", postal_code="85500", population=16135, insee_code="85109"),
        CommuneData(name="Mouchamps", postal_code="85640", population=2957, insee_code=""),
    )


def test_json_recognised_without_extension_and_given_values_take_precedence():
    data = parse_territory_file(json_file(), filename="export", name="Autre nom", kind="cispd")
    assert (data.name, data.kind, data.department_code) == ("Autre nom", "cispd", "85")


def test_demo_file_holds_the_eight_communes_of_the_pays_des_herbiers():
    from pathlib import Path

    import maillage.territories

    path = Path(maillage.territories.__file__).parent / "fixtures" / "pays-des-herbiers.json"
    data = parse_territory_file(path.read_bytes(), filename=path.name)
    assert data.name == "Pays des Herbiers"
    assert len(data.communes) == 8
    assert sum(c.population for c in data.communes) == 29946
    by_name = {c.name: c for c in data.communes}
    assert by_name["Les Épesses"] == CommuneData("Les Épesses", "85590", 2914, "85082")
    assert by_name["Saint-Mars-la-Réorthe"].insee_code == "85250"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("separator", [";", ","])
def test_csv_file_with_or_without_bom_and_either_separator(bom, separator):
    text = "\r\n".join(
        [
            separator.join(["nom", "code_postal", "population", "code_insee"]),
            separator.join(["Les Herbiers", "85500", "16135", "85109"]),
            separator.join(["Mouchamps", "85640", "2957", ""]),
            "",
        ]
    )
    data = parse_territory_file(bom + text.encode(), filename="communes.csv", **CSV_ARGS)
    assert data.name == "Pays de Test"
    assert [c.name for c in data.communes] == ["Les Herbiers", "Mouchamps"]
    assert data.communes[0].insee_code == "85109"
    assert data.communes[1].insee_code == ""


def test_csv_without_insee_column_columns_in_any_order_and_spaced_thousands():
    content = "population;nom;code_postal\n16 135;Les Herbiers;85500\n\n980;Saint-Mars-la-Réorthe;85590\n"
    data = parse_territory_file(content.encode(), filename="communes.csv", **CSV_ARGS)
    assert [(c.name, c.population) for c in data.communes] == [
        ("Les Herbiers", 16135),
        ("Saint-Mars-la-Réorthe", 980),
    ]


def test_corsican_insee_code_is_accepted_and_uppercased():
    content = "nom;code_postal;population;code_insee\nAjaccio;20000;70000;2a004\n"
    data = parse_territory_file(content.encode(), filename="c.csv", name="Corse", kind="commune")
    assert data.communes[0].insee_code == "2A004"


def test_every_problem_of_a_csv_file_is_reported_with_its_line():
    content = (
        "nom;code_postal;population;code_insee\n"
        "Les Herbiers;85500;16135;85109\n"  # line 2: fine
        "Mouchamps;8564;2957;85153\n"  # line 3: postal code
        "Vendrennes;85250;-3;\n"  # line 4: population
        ";85590;980;\n"  # line 5: name
        "Beaurepaire;85500;2420;8501\n"  # line 6: INSEE
        "les  herbiers;85500;100;\n"  # line 7: duplicate name
        "Mesnard;85500\n"  # line 8: columns
        "Epesses;85590;0;85109\n"  # line 9: population zero, INSEE already used
    )
    messages = problems(content.encode(), filename="c.csv", **CSV_ARGS)
    assert messages == [
        "Ligne 3 (Mouchamps) : le code postal « 8564 » doit comporter 5 chiffres.",
        "Ligne 4 (Vendrennes) : la population « -3 » doit être un nombre entier positif.",
        "Ligne 5 : le nom de la commune manque.",
        "Ligne 6 (Beaurepaire) : le code INSEE « 8501 » doit comporter 5 caractères "
        "(par exemple 85109 ou 2A004).",
        "Ligne 8 : 4 valeurs attendues, 2 trouvées.",
        "Ligne 9 (Epesses) : la population « 0 » doit être un nombre entier positif.",
        "Ligne 7 : la commune « les herbiers » apparaît déjà (ligne 2).",
    ]


def test_csv_needs_the_territory_fields_and_a_known_header():
    content = "nom;cp;population\nLes Herbiers;85500;16135\n"
    messages = problems(content.encode(), filename="c.csv", kind="district", department_code="999")
    assert messages == [
        "Nom du territoire : indiquez-le.",
        "Type du territoire : « district » n'est pas reconnu ; utilisez epci, commune, cispd ou clspd.",
        "Département : « 999 » n'est pas un code de département (par exemple 85, 2A ou 974).",
        "Ligne 1 (en-tête) : colonne manquante code_postal.",
        "Ligne 1 (en-tête) : colonne inconnue cp.",
        "L'en-tête attendu est : nom;code_postal;population;code_insee (code_insee facultatif).",
    ]


def test_csv_with_a_header_only_has_no_commune():
    messages = problems(b"nom;code_postal;population\n", filename="c.csv", **CSV_ARGS)
    assert messages == ["Le fichier ne contient aucune commune."]


def test_every_problem_of_a_json_file_is_reported_with_its_entry():
    content = json_file(
        kind="",
        communes=[
            {"name": "Les Herbiers", "postal_code": 85500, "population": "16135"},
            {"name": "Mouchamps", "postal_code": "85640", "population": 2.5},
            "Vendrennes",
            {"name": "Beaurepaire", "postal_code": "85500", "population": 2420, "inse": "85017"},
            {"name": "LES HERBIERS", "postal_code": "85500", "population": True},
            {"name": "Mesnard-la-Barotière", "postal_code": "85500", "population": 1440},
            {"name": "Mesnard-la-Barotière", "postal_code": "85500", "population": 1440},
        ],
    )
    messages = problems(content, filename="t.json")
    assert messages == [
        "Type du territoire : indiquez-le (epci, commune, cispd ou clspd).",
        "Commune n° 2 (Mouchamps) : la population « 2.5 » doit être un nombre entier positif.",
        "Commune n° 3 : chaque commune doit être un objet avec name, postal_code, population.",
        "Commune n° 4 : champ inconnu inse.",
        "Commune n° 5 (LES HERBIERS) : la population « True » doit être un nombre entier positif.",
        "Commune n° 7 : la commune « Mesnard-la-Barotière » apparaît déjà (commune n° 6).",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Le fichier est vide."),
        (b"  \n\n", "Le fichier est vide."),
        (b'{"name": "X",', "Le fichier JSON est mal formé (ligne 1, colonne 14)."),
        (b"[]", "Le fichier JSON doit contenir un objet avec name, kind, department_code et communes."),
        (b'{"name": "X", "kind": "epci"}', "Le fichier ne contient pas de liste « communes »."),
        (b'{"name": "X", "kind": "epci", "communes": []}', "Le fichier ne contient aucune commune."),
        (b'{"name": "X", "kind": "epci", "communes": {}}', "« communes » doit être une liste de communes."),
    ],
)
def test_unreadable_json_files(content, message):
    assert problems(content, filename="t.json") == [message]


def test_file_not_in_utf8_names_the_line():
    content = "nom;code_postal;population\nLes Épesses;85590;2914\n".encode("latin-1")
    assert problems(content, filename="c.csv", **CSV_ARGS) == [
        "Le fichier n'est pas encodé en UTF-8 (caractère illisible à la ligne 2). "
        "Enregistrez-le en « UTF-8 » depuis votre tableur ou éditeur, puis réessayez."
    ]


def test_file_over_the_size_limit_is_refused():
    content = b"nom;code_postal;population\n" + b"X;85500;1\n" * (MAX_FILE_BYTES // 10)
    assert problems(content, filename="c.csv", **CSV_ARGS) == [
        "Le fichier dépasse la taille maximale de 1 Mo."
    ]
