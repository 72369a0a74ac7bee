import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from maillage.audit.models import AuditEntry
from maillage.privacy import keys, rotation
from maillage.privacy.fields import blind_match
from maillage.privacy.keys import DATA, INDEX
from tests.privacy.factories import PersonFactory
from tests.privacy.helpers import store, stored
from tests.testapp.models import Person

pytestmark = pytest.mark.django_db

ENCRYPTED_COLUMNS = ("first_name", "last_name", "phone", "email", "address", "birth_date")
INDEX_COLUMNS = ("first_name_index", "last_name_index")


def key_ids(person) -> tuple[set[str], set[str]]:
    """The data key ids and index key ids found in a person's stored row."""
    data = {stored(person, column).split(":")[1] for column in ENCRYPTED_COLUMNS}
    index = {stored(person, column).split(":")[0] for column in INDEX_COLUMNS}
    return data, index


def snapshot() -> list[tuple]:
    return [
        (p.first_name, p.last_name, p.phone, p.email, p.address, p.birth_date)
        for p in Person.objects.order_by("pk")
    ]


def rotate(*args, **kwargs) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_keys", *args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def people():
    return [
        PersonFactory(last_name=name, birth_date=datetime.date(1980 + i, 1, 1 + i))
        for i, name in enumerate(["Le Goff", "Morel", "Durand", "N'Diaye", "Guérin"])
    ]


def test_rotation_reencrypts_every_value_and_index(people):
    old = keys.keyring()
    before = snapshot()
    out, err = rotate("--new", batch_size=2)
    new = keys.keyring()
    assert new.active_id(DATA) != old.active_id(DATA)
    assert new.active_id(INDEX) != old.active_id(INDEX)
    for person in people:
        assert key_ids(person) == ({new.active_id(DATA)}, {new.active_id(INDEX)})
    assert snapshot() == before
    assert list(Person.objects.filter(blind_match("last_name_index", "LE-GOFF"))) == [people[0]]
    assert f"[{'#' * 30}] 5/5 testapp.Person" in err
    assert "Rotation terminée : 5 ligne(s) réécrite(s)" in out
    assert old.active_id(DATA) in out.split("retirables")[1]


def test_interrupted_rotation_loses_nothing_and_resumes(people, monkeypatch):
    old_data = keys.keyring().active_id(DATA)
    keys.add_keys()
    new = keys.keyring()
    before = snapshot()
    real_rewrite = rotation.rewrite
    calls = []

    def crash_during_second_batch(spec, rows, **kwargs):
        calls.append(len(rows))
        real_rewrite(spec, rows, **kwargs)  # the batch is written, then the process dies before its commit
        if len(calls) == 2:
            raise RuntimeError("panne simulée")

    monkeypatch.setattr(rotation, "rewrite", crash_during_second_batch)
    with pytest.raises(RuntimeError, match="panne simulée"):
        rotate(batch_size=2)
    monkeypatch.undo()

    # The first batch is committed under the new keys; the second rolled back whole; all still reads.
    assert snapshot() == before
    states = [key_ids(person) for person in people]
    assert states[:2] == [({new.active_id(DATA)}, {new.active_id(INDEX)})] * 2
    assert all(data == {old_data} for data, _ in states[2:])

    out, err = rotate(batch_size=2)
    assert "3/3 testapp.Person" in err
    assert all(key_ids(person) == ({new.active_id(DATA)}, {new.active_id(INDEX)}) for person in people)
    assert snapshot() == before


def test_ctrl_c_tells_how_to_resume(people, monkeypatch):
    keys.add_keys()

    def interrupted(spec, rows, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(rotation, "rewrite", interrupted)
    with pytest.raises(CommandError, match="Relancez « maillage rotate_keys » \\(sans --new\\)"):
        rotate()
    monkeypatch.undo()
    assert snapshot()[0][1] == "Le Goff"


def test_retire_after_rotation_keeps_every_value_readable(people, keys_dir):
    old = keys.keyring()
    before = snapshot()
    rotate("--new")
    for key_id in (old.active_id(DATA), old.active_id(INDEX)):
        out, _ = rotate(retire=key_id)
        assert f"Clé « {key_id} » retirée" in out
    assert not (keys_dir / f"data-{old.active_id(DATA)}.key").exists()
    assert not (keys_dir / f"index-{old.active_id(INDEX)}.key").exists()
    keys.reload()
    assert snapshot() == before
    assert list(Person.objects.filter(blind_match("last_name_index", "morel"))) == [people[1]]


def test_retiring_a_key_still_in_use_is_refused(people, keys_dir):
    old = keys.keyring()
    keys.add_keys()
    PersonFactory(last_name="Nouveau")
    with pytest.raises(CommandError) as caught:
        rotate(retire=old.active_id(DATA))
    assert f"La clé « {old.active_id(DATA)} » sert encore à 30 valeur(s)" in str(caught.value)
    assert "testapp.Person.last_name : 5" in str(caught.value)
    assert (keys_dir / f"data-{old.active_id(DATA)}.key").exists()
    with pytest.raises(CommandError, match="testapp.Person.last_name_index : 5"):
        rotate(retire=old.active_id(INDEX))


def test_retiring_the_active_key_is_refused_by_the_command():
    with pytest.raises(CommandError, match="ne peut pas être retirée"):
        rotate(retire=keys.keyring().active_id(DATA))


def test_status_counts_values_per_key(people):
    old = keys.keyring()
    PersonFactory(first_name="", phone="")
    rotate("--new", batch_size=2)
    new = keys.keyring()
    out, _ = rotate(status=True)
    assert f"données : {', '.join(new.ids(DATA))} (active {new.active_id(DATA)})" in out
    assert f"testapp.Person.last_name — {new.active_id(DATA)} (active) : 6" in out
    assert f"testapp.Person.first_name — {new.active_id(DATA)} (active) : 5" in out
    assert f"testapp.Person.last_name_index — {new.active_id(INDEX)} (active) : 6" in out
    assert old.active_id(DATA) not in out.split("\n", 1)[1]


def test_status_during_a_rotation_and_with_a_lost_key(people, keys_dir):
    old = keys.keyring()
    keys.add_keys()
    PersonFactory(last_name="Nouveau")
    new = keys.keyring()
    out, _ = rotate(status=True)
    assert f"testapp.Person.last_name — {new.active_id(DATA)} (active) : 1, {old.active_id(DATA)} : 5" in out
    (keys_dir / f"data-{old.active_id(DATA)}.key").unlink()
    keys.reload()
    out, _ = rotate(status=True)
    assert f"testapp.Person.last_name — {new.active_id(DATA)} (active) : 1, clé inconnue : 5" in out


def test_rotation_repairs_missing_and_stale_indexes(people):
    # Indexes bypassed by QuerySet.update() (which the fields cannot see) are recomputed by a rotation.
    Person.objects.filter(pk=people[0].pk).update(last_name_index=None)
    Person.objects.filter(pk=people[1].pk).update(first_name="")
    out, err = rotate()
    assert "2/2 testapp.Person" in err
    assert list(Person.objects.filter(blind_match("last_name_index", "le goff"))) == [people[0]]
    assert stored(people[1], "first_name_index") is None


def test_rotation_with_nothing_to_do_says_so(people):
    _, err = rotate()
    assert "testapp.Person : rien à rechiffrer." in err


def test_rotation_fails_loudly_on_an_unreadable_value(people):
    old_data = keys.keyring().active_id(DATA)
    keys.add_keys()
    store(people[3], "phone", "v1:lost0000:AAAA")
    with pytest.raises(CommandError, match="testapp.person.phone.*lost0000"):
        rotate(batch_size=2)
    assert key_ids(people[0])[0] == {keys.keyring().active_id(DATA)}
    assert key_ids(people[2])[0] == {old_data}  # same batch as the unreadable row: left as it was


@pytest.mark.parametrize("size", ["0", "-3", "abc"])
def test_batch_size_must_be_positive(size):
    with pytest.raises(CommandError, match="--batch-size.*n'est pas un nombre entier positif"):
        call_command("rotate_keys", f"--batch-size={size}")


def test_rotation_and_retirement_are_in_the_audit_trail():
    old = keys.keyring().active_id(DATA)
    call_command("rotate_keys", "--new", stdout=io.StringIO(), stderr=io.StringIO())
    call_command("rotate_keys", retire=old, stdout=io.StringIO(), stderr=io.StringIO())
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", "actor_label", "changes"))
    assert [a for a, _, _ in actions] == [
        "privacy.keys_created",
        "privacy.values_reencrypted",
        "privacy.key_retired",
    ]
    assert all(label == "console" for _, label, _ in actions)
    assert actions[2][2] == {"key": old}
