"""Layer 2 of the pseudonymiser: identifiers with a shape, each validated before it is taken."""

import pytest

from maillage.privacy.pseudonymiser.patterns import find_birth_dates, find_patterns
from maillage.privacy.pseudonymiser.spans import Span, join_adjacent, resolve


def found(text: str, label: str) -> list[str]:
    spans = join_adjacent(text, resolve(find_patterns(text)))
    return [text[s.start : s.end] for s in spans if s.label == label]


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "06\u00a012\u00a034\u00a056\u00a078",
        "07 81 84 59 52",
        "02 51 66 12 34",
        "+33 6 12 34 56 78",
        "+33612345678",
        "0033 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "06/12/34/56/78",
    ],
)
def test_french_phone_numbers_in_every_format(phone):
    assert found(f"Tél. : {phone}, le soir.", "PHONE") == [phone]


@pytest.mark.parametrize(
    "text",
    [
        "Appeler le 3919, le 17 ou le 115, ou France Victimes au 116 006.",
        "Procédure n° 00412/2025, main courante 2025/004512.",
        "N° parquet 25118000456, RG 25/01234.",
        "Le 01/02/2025 10h30, audience.",
        "SIRET 12345678901234.",
        "N° unique départemental : 0851346225.",
    ],
)
def test_numbers_that_are_not_phones(text):
    assert found(text, "PHONE") == []


def test_a_number_in_one_block_is_a_phone_when_the_sentence_speaks_of_phones():
    assert found("Il appelle depuis de nouveaux numéros, dont le 0608240797.", "PHONE") == ["0608240797"]
    assert found("N° de téléphone : 0608240797", "PHONE") == ["0608240797"]


@pytest.mark.parametrize(
    "email", ["aurelie.dupont@gmail.com", "K.MOREL85@ORANGE.FR", "jean-luc_b+cispd@mairie.example"]
)
def test_emails(email):
    assert found(f"Courriel ({email}).", "EMAIL") == [email]


@pytest.mark.parametrize(
    "nir",
    [
        "2 87 03 85 109 045 66",
        "287038510904566",
        "2 87 03 85 109 045 - 66",
        "2870385109045 66",
        "1 92 11 2A 004 123 03",
    ],
)
def test_a_nir_with_a_valid_key(nir):
    assert found(f"NIR : {nir}.", "NIR") == [nir]


def test_a_nir_with_a_wrong_key_is_not_a_nir():
    assert found("Référence 2 87 03 85 109 045 67.", "NIR") == []


def test_thirteen_digits_are_a_nir_only_after_a_cue():
    assert found("Carte Vitale n° 2 87 03 85 109 045.", "NIR") == ["2 87 03 85 109 045"]
    assert found("Dossier 2 87 03 85 109 045.", "NIR") == []


@pytest.mark.parametrize("iban", ["FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"])
def test_an_iban_with_a_valid_checksum(iban):
    assert found(f"IBAN {iban} au nom de Madame.", "IBAN") == [iban]


def test_an_iban_with_a_wrong_checksum_is_not_taken():
    assert found("IBAN FR76 3000 6000 0112 3456 7890 188.", "IBAN") == []


@pytest.mark.parametrize("plate", ["AB-123-CD", "AB 123 CD", "AB123CD", "GF-223-PS"])
def test_plates_of_the_current_system(plate):
    assert found(f"Une Clio {plate} garée devant.", "PLATE") == [plate]


def test_letters_the_system_never_issues_are_not_a_plate():
    assert found("Code AI-123-OU, série SS-123-AB.", "PLATE") == []


def test_an_old_plate_needs_a_vehicle_nearby():
    assert found("Véhicule immatriculé 1234 AB 85.", "PLATE") == ["1234 AB 85"]
    assert found("Colis 1234 AB 85 reçu.", "PLATE") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Elle demeure 12 rue des Lilas, 85500 Les Herbiers.", "12 rue des Lilas, 85500 Les Herbiers"),
        ("Au 3 bis, impasse du Moulin à Mouchamps.", "3 bis, impasse du Moulin"),
        ("au 12 rue des lilas jte préviens", "12 rue des lilas"),
        ("Adresse : 7 av. de la Gare – 85590 LES ÉPESSES", "7 av. de la Gare – 85590 LES ÉPESSES"),
        ("Le lieu-dit La Grande Métairie, 85640 Mouchamps.", "lieu-dit La Grande Métairie, 85640 Mouchamps"),
        ("Elle habite rue Nationale depuis mai.", "rue Nationale"),
        (
            "Résidence Les Tilleuls, bât. B, appt 12, 4 rue Pasteur, 85500 Les Herbiers",
            "Résidence Les Tilleuls, bât. B, appt 12, 4 rue Pasteur, 85500 Les Herbiers",
        ),
    ],
)
def test_addresses(text, address):
    assert found(text, "ADDRESS") == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Le véhicule a été vu rue Nationale, près de l'école.",
        "Information sur la résidence des enfants.",
        "Sur place, la patrouille constate les faits.",
        "Au cours de la soirée, il est parti.",
    ],
)
def test_a_street_merely_mentioned_is_not_an_address(text):
    assert found(text, "ADDRESS") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Mme X, née le 12 mars 1987 à Cholet.", "12 mars 1987"),
        ("né(e) le 12/03/87", "12/03/87"),
        ("Née le : 1er AVRIL 1990", "1er AVRIL 1990"),
        ("née Dubois le 27/3/1983", "27/3/1983"),
        ("DDN : 1987-03-12", "1987-03-12"),
        ("DN 12.03.1987", "12.03.1987"),
        ("Date de naissance : 12 mars 1987", "12 mars 1987"),
        ("(° 12.03.1987)", "12.03.1987"),
        ("Accouchement le 3 mai 2024 à Cholet.", "3 mai 2024"),
        ("le 12/03/1987 (37 ans)", "12/03/1987"),
        ("la date de naissance de sa fille (20 décembre 2022)", "20 décembre 2022"),
    ],
)
def test_a_date_announced_as_a_birth_is_a_date_of_birth(text, date):
    assert [text[s.start : s.end] for s in find_birth_dates(text, [])] == [date]


def test_a_date_in_brackets_right_after_a_name_is_a_date_of_birth():
    text = "Enfants : Lina (04/05/2019), Noé."
    assert [text[s.start : s.end] for s in find_birth_dates(text, [Span(10, 14, "PERSON")])] == ["04/05/2019"]


def test_a_year_announced_as_a_birth_year():
    assert found("Il est né en 1987 à Nantes.", "DATE_OF_BIRTH") == ["1987"]


@pytest.mark.parametrize(
    "text",
    [
        "Le 12 mars 2025 à 21h30, les gendarmes interviennent.",
        "Audience du 3 juin 2025 devant le juge aux affaires familiales.",
        "Elle ne viendra pas le 12 mars.",
        "Mariés le 14 juillet 2010, séparés le 02/01/2024.",
        "Ordonnance de protection du 5 mai 2025, valable jusqu'au 4 novembre 2025.",
        "Lina (7 ans) et Noé.",
    ],
)
def test_other_dates_stay_readable(text):
    assert find_birth_dates(text, [Span(0, 4, "PERSON")]) == []
