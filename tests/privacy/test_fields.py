import datetime

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from maillage.privacy import keys
from maillage.privacy.crypto import DecryptionError
from maillage.privacy.fields import BlindIndexField, EncryptedCharField
from maillage.privacy.keys import DATA
from tests.privacy.factories import PersonFactory
from tests.privacy.helpers import store, stored
from tests.testapp.models import Person

pytestmark = pytest.mark.django_db

ENCRYPTED_COLUMNS = ("first_name", "last_name", "phone", "email", "address", "birth_date")


def test_database_holds_no_plaintext_and_names_the_key():
    person = PersonFactory(
        first_name="Gwenaëlle",
        last_name="Le Goff",
        phone="06 12 34 56 78",
        email="gwen.legoff@example.org",
        address="3 impasse des Lilas, 85500 Les Herbiers",
        birth_date=datetime.date(1987, 5, 14),
    )
    key_id = keys.keyring().active_id(DATA)
    for column in ENCRYPTED_COLUMNS:
        raw = stored(person, column)
        assert raw.startswith(f"v1:{key_id}:"), column
        for plaintext in ("Gwena", "Goff", "06 12", "example.org", "Lilas", "1987"):
            assert plaintext not in raw
    assert stored(person, "note") == ""


def test_same_value_encrypts_differently_each_time():
    first, second = PersonFactory(last_name="Martin"), PersonFactory(last_name="Martin")
    assert stored(first, "last_name") != stored(second, "last_name")


def test_values_round_trip_through_the_orm():
    person = PersonFactory(
        first_name="Jean-Pierre",
        last_name="N'Diaye",
        phone="+33 2 51 91 00 00",
        email="jp@example.org",
        address="La Métairie\nroute de Mouchamps",
        birth_date=datetime.date(1979, 12, 31),
    )
    again = Person.objects.get(pk=person.pk)
    assert (again.first_name, again.last_name, again.phone, again.email, again.address, again.birth_date) == (
        "Jean-Pierre",
        "N'Diaye",
        "+33 2 51 91 00 00",
        "jp@example.org",
        "La Métairie\nroute de Mouchamps",
        datetime.date(1979, 12, 31),
    )
    assert list(Person.objects.values_list("last_name", flat=True)) == ["N'Diaye"]


def test_empty_values_are_stored_unencrypted_as_empty():
    person = PersonFactory(first_name="", phone="", birth_date=None)
    assert stored(person, "first_name") == ""
    assert stored(person, "birth_date") is None
    assert stored(person, "first_name_index") is None
    again = Person.objects.get(pk=person.pk)
    assert (again.first_name, again.phone, again.birth_date) == ("", "", None)


def test_value_copied_into_another_column_does_not_decrypt():
    person = PersonFactory(first_name="Anne", last_name="Le Goff")
    store(person, "first_name", stored(person, "last_name"))
    key_id = keys.keyring().active_id(DATA)
    with pytest.raises(DecryptionError) as caught:
        Person.objects.get(pk=person.pk)
    message = str(caught.value)
    assert "testapp.person.first_name" in message
    assert f"clé « {key_id} »" in message
    assert "provient d'un autre champ" in message


def test_value_copied_from_another_row_of_the_same_column_still_reads():
    # Documented limit: the binding is to model and field, not to the row.
    anne, paul = PersonFactory(last_name="Durand"), PersonFactory(last_name="Morel")
    store(paul, "last_name", stored(anne, "last_name"))
    assert Person.objects.get(pk=paul.pk).last_name == "Durand"


def test_tampered_ciphertext_fails_loudly():
    person = PersonFactory(phone="06 12 34 56 78")
    raw = stored(person, "phone")
    flipped = raw[:-3] + ("A" if raw[-3] != "A" else "B") + raw[-2:]
    store(person, "phone", flipped)
    with pytest.raises(DecryptionError, match="testapp.person.phone.*altérée"):
        Person.objects.get(pk=person.pk)


def test_truncated_or_relabelled_values_fail_loudly():
    person = PersonFactory(last_name="Morel")
    raw = stored(person, "last_name")
    store(person, "last_name", raw[:20])
    with pytest.raises(DecryptionError, match="altérée"):
        Person.objects.get(pk=person.pk)
    new = keys.add_keys()
    store(person, "last_name", raw.replace(raw.split(":")[1], new.active_id(DATA), 1))
    with pytest.raises(DecryptionError, match="altérée"):
        Person.objects.get(pk=person.pk)


def test_plaintext_found_in_an_encrypted_column_fails_loudly():
    person = PersonFactory()
    store(person, "last_name", "Le Goff")
    with pytest.raises(DecryptionError, match="valeur illisible"):
        Person.objects.get(pk=person.pk)


def test_missing_key_fails_with_a_clear_message(keys_dir):
    person = PersonFactory(last_name="Le Goff")
    key_id = keys.keyring().active_id(DATA)
    keys.add_keys()
    (keys_dir / f"data-{key_id}.key").unlink()
    keys.reload()
    with pytest.raises(DecryptionError) as caught:
        Person.objects.get(pk=person.pk)
    assert f"Impossible de déchiffrer testapp.person.first_name (clé « {key_id} »)" in str(caught.value)
    assert "n'est pas disponible" in str(caught.value)
    assert f"Cannot decrypt testapp.person.first_name (key '{key_id}')" in str(caught.value)


@pytest.mark.parametrize(
    "lookup",
    [
        {"last_name": "Le Goff"},
        {"last_name__icontains": "goff"},
        {"birth_date__year": 1987},
        {"phone__in": ["x"]},
    ],
)
def test_lookups_on_encrypted_fields_are_refused(lookup):
    with pytest.raises(FieldError, match="est chiffré.*blind_match"):
        Person.objects.filter(**lookup)


def test_isnull_lookup_works():
    PersonFactory(birth_date=None)
    dated = PersonFactory(birth_date=datetime.date(1990, 1, 1))
    assert list(Person.objects.filter(birth_date__isnull=False)) == [dated]


def test_saving_a_source_without_its_index_is_refused():
    person = PersonFactory(last_name="Morel")
    person.last_name = "Le Goff"
    with pytest.raises(ImproperlyConfigured, match="last_name_index"):
        person.save(update_fields=["last_name"])
    person.save(update_fields=["last_name", "last_name_index"])
    assert Person.objects.get(pk=person.pk).last_name == "Le Goff"


@isolate_apps("tests.testapp")
def test_checks_refuse_unique_encrypted_fields_and_bad_index_sources():
    class Broken(models.Model):
        name = EncryptedCharField(max_length=50, unique=True)
        plain = models.CharField(max_length=50)
        plain_index = BlindIndexField(source="plain")
        ghost_index = BlindIndexField(source="ghost")

        class Meta:
            app_label = "testapp"

        def __str__(self):
            return self.plain

    errors = [error for error in Broken.check() if error.id.startswith("privacy.")]
    assert sorted((error.id, error.obj.name) for error in errors) == [
        ("privacy.E001", "name"),
        ("privacy.E002", "ghost_index"),
        ("privacy.E002", "plain_index"),
    ]
