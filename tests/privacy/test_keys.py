import base64
import io
import json
import stat
import time

import pytest
from django.core.management import CommandError, call_command

from maillage.privacy import keys
from maillage.privacy.crypto import decrypt, encrypt
from maillage.privacy.keys import DATA, INDEX, KeyUnavailable


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def encoded_key() -> str:
    return base64.b64encode(keys.generate_key()).decode()


def test_first_keys_are_created_owner_only(keys_dir):
    ring = keys.keyring()
    assert mode(keys_dir) == 0o700
    data_file = keys_dir / f"data-{ring.active_id(DATA)}.key"
    index_file = keys_dir / f"index-{ring.active_id(INDEX)}.key"
    backup_file = keys_dir / f"backup-{ring.active_backup_id()}.key"
    for path in (data_file, index_file, backup_file, keys_dir / "active.json"):
        assert mode(path) == 0o600
    assert len(base64.b64decode(data_file.read_text())) == 32
    assert len(base64.b64decode(backup_file.read_text())) == 32
    assert json.loads((keys_dir / "active.json").read_text()) == {
        "data": ring.active_id(DATA),
        "index": ring.active_id(INDEX),
        "backup": ring.active_backup_id(),
    }
    assert len({ring.active_id(DATA), ring.active_id(INDEX), ring.active_backup_id()}) == 3


def test_ensure_keys_keeps_existing_keys(keys_dir):
    before = keys.keyring()
    ring, created = keys.ensure_keys()
    assert not created
    assert ring.keys == before.keys


def test_init_keys_command_creates_then_reports(settings, tmp_path):
    settings.MAILLAGE_KEYS_DIR = tmp_path / "other" / "keys"
    keys.reload()
    call_command("init_keys", stdout=(first := io.StringIO()))
    assert "Clés créées" in first.getvalue()
    call_command("init_keys", stdout=(second := io.StringIO()))
    assert "Clés présentes" in second.getvalue()
    assert (tmp_path / "other" / "keys" / "active.json").exists()


def test_init_keys_warns_about_open_permissions(keys_dir, capsys):
    (keys_dir / "active.json").chmod(0o644)
    call_command("init_keys")
    assert f"{keys_dir / 'active.json'} est accessible à d'autres comptes" in capsys.readouterr().err


def test_missing_directory_is_a_clear_error(settings, tmp_path):
    settings.MAILLAGE_KEYS_DIR = tmp_path / "nowhere"
    keys.reload()
    with pytest.raises(KeyUnavailable, match="Lancez « maillage init_keys ».*Run 'maillage init_keys'"):
        encrypt("Le Goff", context="testapp.person.last_name")


def test_active_key_missing_from_directory_is_a_clear_error(keys_dir):
    ring = keys.keyring()
    (keys_dir / f"data-{ring.active_id(DATA)}.key").unlink()
    keys.reload()
    with pytest.raises(KeyUnavailable, match=f"active « {ring.active_id(DATA)} » est introuvable"):
        keys.keyring()


def test_damaged_key_file_is_refused(keys_dir):
    ring = keys.keyring()
    (keys_dir / f"index-{ring.active_id(INDEX)}.key").write_text("pas une clé\n")
    keys.reload()
    with pytest.raises(KeyUnavailable, match="n'est pas une clé valide"):
        keys.keyring()


def test_keys_without_active_file_are_not_replaced(keys_dir):
    (keys_dir / "active.json").unlink()
    keys.reload()
    with pytest.raises(KeyUnavailable, match="contient des clés mais pas de fichier active.json"):
        keys.ensure_keys()
    assert not (keys_dir / "active.json").exists()


def switch_keys_as_another_process_would(keys_dir) -> str:
    """A rotation in another process adds a data key and makes it active; this process is not told."""
    index_id = keys.keyring().active_id(INDEX)
    (keys_dir / "data-fresh01.key").write_text(encoded_key() + "\n")
    (keys_dir / ".tmp").write_text(json.dumps({"data": "fresh01", "index": index_id}))
    (keys_dir / ".tmp").replace(keys_dir / "active.json")
    return "fresh01"


def test_new_active_key_written_by_another_process_is_picked_up(keys_dir, monkeypatch):
    first = keys.keyring()
    switch_keys_as_another_process_would(keys_dir)
    assert keys.keyring() is first  # trusted for RECHECK_SECONDS: no system call per value
    monkeypatch.setattr(keys, "RECHECK_SECONDS", 0)
    assert encrypt("Le Goff", context="c").startswith("v1:fresh01:")


def test_value_under_a_key_this_process_has_not_seen_yet_decrypts(keys_dir, monkeypatch):
    first = keys.keyring()
    switch_keys_as_another_process_would(keys_dir)
    keys.reload()
    token = encrypt("Morel", context="c")  # as written by the other process
    # This process still holds, and trusts, the keyring it loaded before the switch.
    monkeypatch.setattr(keys, "_cache", (("stale",), first, time.monotonic()))
    assert "fresh01" not in keys.keyring().keys[DATA]
    assert decrypt(token, context="c") == "Morel"


def test_keys_from_the_environment(monkeypatch, keys_dir):
    monkeypatch.setenv("MAILLAGE_ENCRYPTION_KEYS", f"old1:{encoded_key()}, new2:{encoded_key()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_ENCRYPTION_KEY", "new2")
    monkeypatch.setenv("MAILLAGE_BLIND_INDEX_KEYS", f"idx1:{encoded_key()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_BLIND_INDEX_KEY", "idx1")
    keys.reload()  # the environment of a running process does not change: only a restart reads it again
    ring = keys.keyring()
    assert ring.from_environment
    assert ring.ids(DATA) == ["new2", "old1"]
    token = encrypt("06 12 34 56 78", context="c")
    assert token.startswith("v1:new2:")
    assert decrypt(token, context="c") == "06 12 34 56 78"
    with pytest.raises(KeyUnavailable, match="viennent de l'environnement"):
        keys.add_keys()


def test_incomplete_environment_names_what_is_missing(monkeypatch):
    monkeypatch.setenv("MAILLAGE_ENCRYPTION_KEYS", f"k1:{encoded_key()}")
    keys.reload()
    with pytest.raises(
        KeyUnavailable,
        match="il manque MAILLAGE_ACTIVE_ENCRYPTION_KEY, MAILLAGE_BLIND_INDEX_KEYS, MAILLAGE_ACTIVE_BLIND",
    ):
        keys.keyring()


def test_environment_key_of_wrong_length_is_refused(monkeypatch):
    monkeypatch.setenv("MAILLAGE_ENCRYPTION_KEYS", f"k1:{base64.b64encode(b'short').decode()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_ENCRYPTION_KEY", "k1")
    monkeypatch.setenv("MAILLAGE_BLIND_INDEX_KEYS", f"i1:{encoded_key()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_BLIND_INDEX_KEY", "i1")
    keys.reload()
    with pytest.raises(KeyUnavailable, match=r"MAILLAGE_ENCRYPTION_KEYS \(k1\) n'est pas une clé valide"):
        keys.keyring()


def test_retiring_the_active_key_is_refused(keys_dir):
    ring = keys.keyring()
    with pytest.raises(KeyUnavailable, match="active"):
        keys.retire_key(ring.active_id(DATA))
    assert (keys_dir / f"data-{ring.active_id(DATA)}.key").exists()


def test_unknown_key_id_cannot_be_retired_by_command():
    with pytest.raises(CommandError, match="Aucune clé « nope »"):
        call_command("rotate_keys", retire="nope")


def test_init_keys_adds_a_backup_key_to_an_install_made_before_backups(keys_dir):
    before = keys.keyring()
    backup_id = before.active_backup_id()
    (keys_dir / f"backup-{backup_id}.key").unlink()
    (keys_dir / "active.json").write_text(
        json.dumps({"data": before.active_id(DATA), "index": before.active_id(INDEX)})
    )
    keys.reload()
    with pytest.raises(KeyUnavailable, match="Aucune clé de sauvegarde.*maillage init_keys"):
        keys.keyring().active_backup_id()

    call_command("init_keys", stdout=(out := io.StringIO()))

    ring = keys.keyring()
    assert f"Clé de sauvegarde {ring.active_backup_id()} créée" in out.getvalue()
    assert ring.active_backup_id() not in (backup_id, ring.active_id(DATA), ring.active_id(INDEX))
    assert {family: ring.keys[family] for family in (DATA, INDEX)} == {
        family: before.keys[family] for family in (DATA, INDEX)
    }
    assert mode(keys_dir / f"backup-{ring.active_backup_id()}.key") == 0o600


def test_a_rotation_keeps_the_backup_key(keys_dir):
    backup_id = keys.keyring().active_backup_id()
    ring = keys.add_keys()
    assert ring.active_backup_id() == backup_id


def test_backup_key_from_the_environment_is_optional_but_goes_in_pairs(monkeypatch, keys_dir):
    monkeypatch.setenv("MAILLAGE_ENCRYPTION_KEYS", f"k1:{encoded_key()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_ENCRYPTION_KEY", "k1")
    monkeypatch.setenv("MAILLAGE_BLIND_INDEX_KEYS", f"i1:{encoded_key()}")
    monkeypatch.setenv("MAILLAGE_ACTIVE_BLIND_INDEX_KEY", "i1")
    keys.reload()
    with pytest.raises(KeyUnavailable, match="définissez MAILLAGE_BACKUP_KEYS"):
        keys.keyring().active_backup_id()
    monkeypatch.setenv("MAILLAGE_BACKUP_KEYS", f"b1:{encoded_key()}")
    keys.reload()
    with pytest.raises(KeyUnavailable, match="il manque MAILLAGE_ACTIVE_BACKUP_KEY"):
        keys.keyring()
    monkeypatch.setenv("MAILLAGE_ACTIVE_BACKUP_KEY", "b1")
    keys.reload()
    ring = keys.keyring()
    assert ring.active_backup_id() == "b1"
    assert ring.fingerprint(keys.BACKUP, "b1") != ring.fingerprint(DATA, "k1")
