"""The pseudonymiser as the meetings' minutes call it: the three layers together, placeholders, `replace`."""

import pytest

from maillage.privacy.pseudonymiser import (
    PLACEHOLDERS,
    Result,
    Span,
    find_spans,
    pseudonymise,
    pseudonymise_many,
)
from maillage.privacy.pseudonymiser.ner import EXCLUDE, model

NOTE = (
    "Compte rendu du 12 mars 2025. Reçue Mme Aurélie LE GOFF, née Dubois le 03/04/1987, demeurant "
    "12 rue des Lilas, 85500 Les Herbiers, tél. 06 12 34 56 78, avec sa fille Lina (04/05/2019).\n"
    "Elle dit que M. Kévin Morel l'a frappée devant sa voisine, Nadia Benali. Le Dr Lefèvre a constaté "
    "les blessures ; Lefèvre propose un suivi au CMP. Véhicule de Monsieur : AB-123-CD.\n"
    "Orientation vers le CIDFF et le juge aux affaires familiales ; point en cellule le lundi 7 avril."
)
KNOWN = {
    "victim": {"first_name": "Aurélie", "last_name": "Le Goff", "birth_name": "Dubois"},
    "perpetrator": {"first_name": "Kévin", "last_name": "Morel", "phone": ""},
    "children": ["Lina"],
}


@pytest.fixture(scope="session")
def nlp():
    """spaCy's French model, loaded once for the whole test process (the engine's module cache)."""
    return model()


def test_the_model_runs_the_recogniser_alone(nlp):
    assert nlp.pipe_names == ["ner"]
    assert "tok2vec" in EXCLUDE


def test_a_note_names_nobody_and_stays_readable(nlp):
    result = pseudonymise(NOTE, KNOWN)
    assert result.text == (
        "Compte rendu du 12 mars 2025. Reçue Mme [victime], née [victime] le [date de naissance], demeurant "
        "[adresse], tél. [téléphone], avec sa fille [enfant 1] ([date de naissance]).\n"
        "Elle dit que M. [auteur] l'a frappée devant sa voisine, [personne]. Le Dr [personne] a constaté "
        "les blessures ; [personne] propose un suivi au CMP. Véhicule de Monsieur : [immatriculation].\n"
        "Orientation vers le CIDFF et le juge aux affaires familiales ; point en cellule le lundi 7 avril."
    )


def test_spans_are_in_the_original_offsets_sorted_and_apart(nlp):
    spans = find_spans(NOTE, KNOWN)
    assert spans == sorted(spans, key=lambda s: s.start)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))
    start = NOTE.index("Aurélie LE GOFF")
    assert spans[0] == Span(start, start + len("Aurélie LE GOFF"), "PERSON", "victim", "known")
    phone = NOTE.index("06 12")
    assert Span(phone, phone + 14, "PHONE", None, "pattern") in spans
    assert {s.source for s in spans} <= {"known", "pattern", "ner"}


def test_replace_chooses_the_words(nlp):
    def minutes(span: Span, original: str) -> str:
        return "la victime" if span.who == "victim" else f"<{span.label.lower()}>"

    result = pseudonymise("Mme Aurélie Le Goff a appelé Nadia Benali au 06 12 34 56 78.", KNOWN, minutes)
    assert result.text == "Mme la victime a appelé <person> au <phone>."
    assert isinstance(result, Result)


def test_without_known_identities_the_patterns_and_the_model_still_work(nlp):
    result = pseudonymise(
        "Mme Claire Bodin, née le 12/03/1987, joignable au 0612345678, habite 4 rue Pasteur."
    )
    assert (
        result.text
        == "Mme [personne], née le [date de naissance], joignable au [téléphone], habite [adresse]."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Madame est reçue par la Gendarmerie, puis par le CCAS et le CIDFF.",
        "Le Juge aux affaires familiales statuera le Mardi 3 juin.",
        "Orientation vers la Maison des solidarités des Herbiers et le collège Jean Monnet.",
        "Elle vit à Mouchamps depuis Noël ; Monsieur est parti à Cholet.",
        "Appeler le 3919 ou le 17. Procédure n° 00412/2025.",
        "Consignes rappelées. Rappel : plainte déposée le 2 mai 2025.",
        "Avocate au barreau de La Roche-sur-Yon ; audience à Saint-Paul-en-Pareds.",
    ],
)
def test_ordinary_words_institutions_communes_and_dates_are_left_alone(nlp, text):
    assert pseudonymise(text).text == text


def test_a_birthplace_is_not_a_person(nlp):
    text = "Plaignante : SONIA PERROT, née le 8 septembre 1996 à Montaigu-Vendée, 28 ans, aide-soignante."
    expected = (
        "Plaignante : [personne], née le [date de naissance] à Montaigu-Vendée, 28 ans, aide-soignante."
    )
    assert pseudonymise(text).text == expected


def test_names_from_forms_signatures_and_lists(nlp):
    text = (
        "Accueillante : Daniela (BOUCHET).\nEnfants : Noah (7 ans) et Ayden (1 ans).\n"
        "Sa seule amie est Aïcha, une collègue.\nBien à vous,\nVirginie Reynaud-Meunier"
    )
    assert pseudonymise(text).text == (
        "Accueillante : [personne] ([personne]).\nEnfants : [personne] (7 ans) et [personne] (1 ans).\n"
        "Sa seule amie est [personne], une collègue.\nBien à vous,\n[personne]"
    )


def test_a_name_found_once_is_replaced_everywhere(nlp):
    text = "Le Dr Lefèvre a examiné Madame. LEFÈVRE transmet son certificat."
    assert pseudonymise(text).text == "Le Dr [personne] a examiné Madame. [personne] transmet son certificat."


def test_placeholders_are_french():
    assert PLACEHOLDERS["PERSON"] == "[personne]"
    assert PLACEHOLDERS["PHONE"] == "[téléphone]"
    assert PLACEHOLDERS["NIR"] == "[n° de sécurité sociale]"
    assert set(PLACEHOLDERS) == {
        "PERSON", "PHONE", "EMAIL", "NIR", "IBAN", "PLATE", "DATE_OF_BIRTH", "ADDRESS", "LOCATION",
    }  # fmt: skip


def test_many_notes_at_once_give_the_same_result(nlp):
    items = [(NOTE, KNOWN), ("Mme Claire Bodin, 06 12 34 56 78.", None), ("", None)]
    assert list(pseudonymise_many(items)) == [pseudonymise(text, known) for text, known in items]
