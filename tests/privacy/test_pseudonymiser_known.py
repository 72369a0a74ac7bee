"""Layer 1 of the pseudonymiser: the situation's known identities in every form they are written in."""

import pytest

from maillage.privacy.pseudonymiser.known import compile_known, find_known
from maillage.privacy.pseudonymiser.text import fold

KNOWN = {
    "victim": {
        "first_name": "Aurélie",
        "last_name": "Le Goff-Marchand",
        "birth_name": "Dubois",
        "phone": "06 12 34 56 78",
        "email": "aurelie.legoff@example.fr",
        "address": "12 bis rue des Lilas, 85500 Les Herbiers",
        "date_of_birth": "1987-03-12",
    },
    "perpetrator": {"first_name": "Kévin", "last_name": "Roche", "phone": "+33698765432"},
    "children": ["Lina", "Rose"],
}


def found(text: str, known=KNOWN) -> list[tuple[str, str, str | None]]:
    return [
        (text[s.start : s.end], s.label, s.who) for s in find_known(text, fold(text), compile_known(known))
    ]


@pytest.mark.parametrize(
    "written",
    [
        "Aurélie Le Goff-Marchand",
        "LE GOFF-MARCHAND Aurélie",
        "aurelie le goff marchand",
        "AURELIE LEGOFF-MARCHAND",
    ],
)
def test_a_name_is_found_in_any_case_spacing_and_accent(written):
    text = f"Reçue ce jour : {written}, orientée par l'ISCG."
    assert {who for _, label, who in found(text) if label == "PERSON"} == {"victim"}
    covered = "".join(part for part, label, _ in found(text) if label == "PERSON")
    assert all(fold(word) in fold(covered) for word in written.replace("-", " ").split())


def test_the_parts_of_a_hyphenated_name_and_the_birth_name_are_the_same_person():
    text = "Mme Marchand, née Dubois, dit que Mme Le Goff est absente."
    assert found(text) == [("Marchand", "PERSON", "victim"), ("Dubois", "PERSON", "victim"),
                           ("Le Goff", "PERSON", "victim")]  # fmt: skip


def test_a_particle_may_be_dropped():
    known = {"victim": {"first_name": "Hélène", "last_name": "de La Brosse"}}
    assert [f for f, *_ in found("Mme de La Brosse et Mme La Brosse", known)] == ["de La Brosse", "La Brosse"]


@pytest.mark.parametrize("initials", ["A. L.", "A.L.", "A. D."])
def test_initials(initials):
    assert found(f"Victime : Mme {initials} (prénom connu)") == [(initials, "PERSON", "victim")]


def test_initials_of_a_compound_first_name():
    known = {"victim": {"first_name": "Marie-Claire", "last_name": "Girard"}}
    assert found("Victime : M.-C. G., 34 ans", known) == [("M.-C. G.", "PERSON", "victim")]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06\u00a012\u00a034\u00a056\u00a078",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "06/12/34/56/78",
        "06 123 456 78",
    ],
)
def test_the_known_phone_in_every_french_format(phone):
    assert found(f"Joignable au {phone} après 14 h.") == [(phone, "PHONE", "victim")]


def test_each_phone_belongs_to_its_owner():
    assert found("Il appelle depuis le 06 98 76 54 32.") == [("06 98 76 54 32", "PHONE", "perpetrator")]


def test_the_email_in_any_case():
    emails = [f for f in found("Écrire à AURELIE.LEGOFF@EXAMPLE.FR") if f[1] == "EMAIL"]
    assert emails == [("AURELIE.LEGOFF@EXAMPLE.FR", "EMAIL", "victim")]


@pytest.mark.parametrize(
    "written", ["12 mars 1987", "12/03/1987", "12/03/87", "1987-03-12", "12.03.1987", "12 MARS 1987"]
)
def test_the_known_date_of_birth_in_any_written_form_even_without_a_cue(written):
    assert found(f"Pièce d'identité : {written}, Cholet.") == [(written, "DATE_OF_BIRTH", "victim")]


def test_another_date_is_not_the_date_of_birth():
    assert found("Audience du 12 mars 2025.") == []


@pytest.mark.parametrize(
    "written",
    [
        "12 bis rue des Lilas",
        "12 bis, r. des lilas",
        "12 BIS RUE DES LILAS 85500 LES HERBIERS",
        "rue des Lilas",
    ],
)
def test_the_known_address_with_or_without_its_number(written):
    [(text, label, who)] = found(f"Elle vit au {written}.")
    assert (label, who) == ("ADDRESS", "victim")
    assert text == written


def test_a_hamlet_is_found_by_its_name_alone():
    known = {"victim": {"address": "lieu-dit La Rousselière, 85640 Mouchamps"}}
    assert found("Elle est retournée à La Rousselière.", known) == [("La Rousselière", "ADDRESS", "victim")]


def test_children_are_numbered_in_order():
    assert found("Lina garde sa sœur.") == [("Lina", "PERSON", "child:0")]


def test_a_name_that_is_a_common_word_is_the_word_in_an_ordinary_sentence():
    assert found("Elle portait un pull rose.") == []
    assert found("Rose était à l'école.") == [("Rose", "PERSON", "child:1")]


def test_in_a_text_message_without_capitals_the_child_is_the_child():
    assert found("dis a rose que papa l aime") == [("rose", "PERSON", "child:1")]


def test_a_surname_inside_a_place_name_is_the_place():
    assert found("Il vit à La Roche-sur-Yon.") == []
    assert found("M. Roche est arrivé.") == [("Roche", "PERSON", "perpetrator")]


def test_a_shared_surname_belongs_to_nobody_in_particular():
    known = {"victim": {"first_name": "Julie", "last_name": "Morel"}, "perpetrator": {"last_name": "Morel"}}
    assert found("Mme Morel", known) == [("Morel", "PERSON", None)]


PARTIAL = [
    None, {}, {"victim": None}, {"victim": {"first_name": "", "phone": None}},
    {"children": [None, "", "Noé"]}, {"victim": {"date_of_birth": "inconnue"}},
]  # fmt: skip


@pytest.mark.parametrize("known", PARTIAL)
def test_partial_or_empty_identities_are_fine(known):
    spans = find_known("Noé est là.", fold("Noé est là."), compile_known(known))
    assert [s.who for s in spans] == (["child:2"] if known and known.get("children") else [])
