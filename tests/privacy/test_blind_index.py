import pytest

from maillage.privacy import keys
from maillage.privacy.crypto import blind_index, blind_index_values, normalise
from maillage.privacy.fields import blind_match
from maillage.privacy.keys import INDEX
from tests.privacy.factories import PersonFactory
from tests.privacy.helpers import stored
from tests.testapp.models import Person


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Le Goff", "le goff"),
        ("LE GOFF", "le goff"),
        ("le-goff", "le goff"),
        ("  Le  Göff ", "le goff"),
        ("Jean-Pierre", "jean pierre"),
        ("JEAN_PIERRE", "jean pierre"),
        ("jean.pierre", "jean pierre"),
        ("N’Diaye", "n diaye"),
        ("N'DIAYE", "n diaye"),
        ("Lætitia Cœur", "laetitia coeur"),
        ("Strauß", "strauss"),
        ("Hélène\tMÉNARD", "helene menard"),
        ("Marie–José", "marie jose"),
    ],
)
def test_normalise(typed, normalised):
    assert normalise(typed) == normalised


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Le Goff", "LE GOFF", "le-goff", "Le  Göff", "le goff ", "LE_GÖFF"])
def test_last_name_found_whatever_the_spelling(typed):
    le_goff = PersonFactory(last_name="Le Goff")
    PersonFactory(last_name="Legoff")
    PersonFactory(last_name="Le Goffic")
    assert list(Person.objects.filter(blind_match("last_name_index", typed))) == [le_goff]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Jean-Pierre", "jean pierre", "JEAN PIERRE", "Jean Pierre", "jean–pierre"])
def test_compound_first_names_match(typed):
    jean_pierre = PersonFactory(first_name="Jean-Pierre")
    PersonFactory(first_name="Jean")
    PersonFactory(first_name="Pierre")
    assert list(Person.objects.filter(blind_match("first_name_index", typed))) == [jean_pierre]


@pytest.mark.django_db
def test_index_is_keyed_hmac_and_carries_its_key_id():
    person = PersonFactory(last_name="Le Goff")
    index_id = keys.keyring().active_id(INDEX)
    raw = stored(person, "last_name_index")
    key_id, digest = raw.split(":")
    assert key_id == index_id
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert "goff" not in raw.lower()
    assert blind_index("Martin") != blind_index("Martine")


@pytest.mark.django_db
def test_same_name_under_two_index_keys_differs():
    old_id = keys.keyring().active_id(INDEX)
    new_id = keys.add_keys().active_id(INDEX)
    under_old = blind_index("Le Goff", key_id=old_id)
    under_new = blind_index("Le Goff", key_id=new_id)
    assert under_old.split(":")[1] != under_new.split(":")[1]
    assert sorted(blind_index_values("LE GOFF")) == sorted([under_old, under_new])


@pytest.mark.django_db
def test_look_ups_keep_working_while_keys_rotate():
    before = PersonFactory(last_name="Le Goff")
    keys.add_keys()
    after = PersonFactory(last_name="le goff")
    assert stored(before, "last_name_index").split(":")[0] != stored(after, "last_name_index").split(":")[0]
    assert set(Person.objects.filter(blind_match("last_name_index", "LE GOFF"))) == {before, after}


@pytest.mark.django_db
def test_index_follows_changes_and_empty_values():
    person = PersonFactory(first_name="Anne", last_name="Morel")
    person.last_name = "Le Goff"
    person.first_name = ""
    person.save()
    assert list(Person.objects.filter(blind_match("last_name_index", "le goff"))) == [person]
    assert not Person.objects.filter(blind_match("last_name_index", "Morel")).exists()
    assert stored(person, "first_name_index") is None
    assert not Person.objects.filter(blind_match("first_name_index", "")).exists()
