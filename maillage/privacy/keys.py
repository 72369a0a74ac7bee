"""The keyring: encryption keys of nominative values, keys of blind indexes and keys of backups, kept outside
the database.

Three families of 32-byte keys, each key named by a short id, one key active per family:

- ``data``: AES-256-GCM keys that encrypt nominative values (:mod:`maillage.privacy.crypto`);
- ``index``: HMAC-SHA256 keys of the blind indexes that allow exact look-ups without decrypting;
- ``backup``: AES-256-GCM keys of the backup archives (:mod:`maillage.backup`), never used for the data, so
  that an archive and the data keys it needs are two secrets kept apart. Optional when loading (installs
  made before backups have none until ``init_keys``); the backup commands refuse without one.

Keys come from one of two sources, never from the database:

1. The environment, for deployments that inject secrets. When any of these variables is set, the first four
   are required, the last two go together, and the directory is not read::

       MAILLAGE_ENCRYPTION_KEYS="a1b2c3d4:<base64 of 32 bytes>,e5f6a7b8:<base64>"
       MAILLAGE_ACTIVE_ENCRYPTION_KEY="e5f6a7b8"
       MAILLAGE_BLIND_INDEX_KEYS="0c1d2e3f:<base64>"
       MAILLAGE_ACTIVE_BLIND_INDEX_KEY="0c1d2e3f"
       MAILLAGE_BACKUP_KEYS="9a8b7c6d:<base64>"
       MAILLAGE_ACTIVE_BACKUP_KEY="9a8b7c6d"

2. Otherwise the directory ``settings.MAILLAGE_KEYS_DIR`` (default ``var/keys``, mode 0700, files 0600)::

       data-<id>.key    base64 of the 32 bytes of a data key, one line
       index-<id>.key   base64 of the 32 bytes of a blind-index key, one line
       backup-<id>.key  base64 of the 32 bytes of a backup key, one line
       active.json      {"data": "<id>", "index": "<id>", "backup": "<id>"}: the keys that new values and
                        new backups are written with

   A key file is written once and never changed: an id always names the same key. ``active.json`` is
   replaced atomically. ``ensure_keys()`` (command ``init_keys``) creates the first pair and the backup key
   (or only the backup key, for an install that has none), ``add_keys()``
   (``rotate_keys --new``) a new active pair, ``retire_key()`` deletes a key nothing uses any more.

The loaded keyring is cached per process and reloaded when the directory or ``active.json`` changes (so that a
process started before a rotation picks up the new active key) or on ``reload()``.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

DATA = "data"
INDEX = "index"
BACKUP = "backup"
FAMILIES = (DATA, INDEX)  # the keys the data is written with
ALL_FAMILIES = (DATA, INDEX, BACKUP)
KEY_BYTES = 32
ACTIVE_FILE = "active.json"
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
ENV_KEYS = {
    DATA: "MAILLAGE_ENCRYPTION_KEYS",
    INDEX: "MAILLAGE_BLIND_INDEX_KEYS",
    BACKUP: "MAILLAGE_BACKUP_KEYS",
}
ENV_ACTIVE = {
    DATA: "MAILLAGE_ACTIVE_ENCRYPTION_KEY",
    INDEX: "MAILLAGE_ACTIVE_BLIND_INDEX_KEY",
    BACKUP: "MAILLAGE_ACTIVE_BACKUP_KEY",
}
ENV_REQUIRED = (ENV_KEYS[DATA], ENV_ACTIVE[DATA], ENV_KEYS[INDEX], ENV_ACTIVE[INDEX])
ENV_VARIABLES = (*ENV_REQUIRED, ENV_KEYS[BACKUP], ENV_ACTIVE[BACKUP])
FAMILY_NAMES = {
    DATA: "clé de chiffrement (data key)",
    INDEX: "clé d'index aveugle (blind-index key)",
    BACKUP: "clé de sauvegarde (backup key)",
}


class KeyUnavailable(Exception):
    """A key is missing, unreadable or unknown. The message is in French, then in English."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, dict[str, bytes]]  # family → key id → key
    active: dict[str, str]  # family → key id
    source: str  # where the keys come from, for messages: a directory or "l'environnement"
    from_environment: bool
    _ciphers: dict[str, AESGCM] = field(default_factory=dict, compare=False, repr=False)

    def key(self, family: str, key_id: str) -> bytes:
        try:
            return self.keys[family][key_id]
        except KeyError:
            raise KeyUnavailable(
                f"La {FAMILY_NAMES[family]} « {key_id} » est introuvable dans {self.source} : "
                f"elle a été retirée ou n'a pas été installée. / "
                f"Key '{key_id}' ({family}) is not available in {self.source}."
            ) from None

    def cipher(self, key_id: str) -> AESGCM:
        """The AES-GCM cipher of a data key, built once per keyring."""
        if key_id not in self._ciphers:
            self._ciphers[key_id] = AESGCM(self.key(DATA, key_id))
        return self._ciphers[key_id]

    def active_id(self, family: str) -> str:
        return self.active[family]

    def active_key(self, family: str) -> bytes:
        return self.key(family, self.active[family])

    def ids(self, family: str) -> list[str]:
        return sorted(self.keys[family])

    def fingerprint(self, family: str, key_id: str) -> str:
        """Names a key without revealing it: two keyrings agree on a key id when they agree on this."""
        return fingerprint(self.key(family, key_id))

    def active_backup_id(self) -> str:
        """The key new backups are encrypted with. Raises KeyUnavailable when there is none."""
        if self.active.get(BACKUP):
            return self.active[BACKUP]
        if self.from_environment:
            remedy = f"définissez {ENV_KEYS[BACKUP]} et {ENV_ACTIVE[BACKUP]}"
        else:
            remedy = "lancez « maillage init_keys », qui la crée sans toucher aux autres clés"
        raise KeyUnavailable(
            f"Aucune {FAMILY_NAMES[BACKUP]} dans {self.source} : {remedy}. / No backup key in {self.source}."
        )


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"maillage:key-fingerprint:v1", hashlib.sha256).hexdigest()[:32]


# (source signature, keyring, monotonic time of the last check of the source)
_cache: tuple[tuple, Keyring, float] | None = None
# How long a process trusts its keyring before looking at the source again: checking costs a few system
# calls, too much for every value of a list. Writes within that second after a rotation switched keys may
# still use the previous key: `rotate_keys --status` shows them, `rotate_keys` takes them up, and retiring
# that key is refused until then.
RECHECK_SECONDS = 1.0


def keyring(*, fresh: bool = False) -> Keyring:
    """The keyring of this process, reloaded when its source changed. Raises KeyUnavailable.

    `fresh=True` looks at the source now (used when a value names a key this process does not know yet).
    """
    global _cache
    cached = _cache
    now = time.monotonic()
    if cached is not None and not fresh and now - cached[2] < RECHECK_SECONDS:
        return cached[1]
    signature = _signature()
    if cached is not None and cached[0] == signature:
        _cache = (signature, cached[1], now)
        return cached[1]
    loaded = _load_environment() if signature[0] == "environment" else _load_directory(_directory())
    _cache = (signature, loaded, now)
    return loaded


def reload() -> None:
    """Forget the cached keyring: the next use reads the keys again."""
    global _cache
    _cache = None


def ensure_keys() -> tuple[Keyring, tuple[str, ...]]:
    """Create the first data key, blind-index key and backup key if there is none, or the backup key alone
    for an install made before backups. Returns (keyring, the families of the keys created)."""
    if _environment_configured():
        return keyring(), ()
    directory = _directory()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if (directory / ACTIVE_FILE).exists():
        current = keyring(fresh=True)
        if current.active.get(BACKUP):
            return current, ()
        taken = {key_id for family in ALL_FAMILIES for key_id in current.keys[family]}
        backup_id = _write_new_key(directory, BACKUP, taken=taken)
        _fsync_directory(directory)
        _write_active(directory, {**current.active, BACKUP: backup_id})
        reload()
        return keyring(), (BACKUP,)
    if any(directory.glob("*.key")):
        raise KeyUnavailable(
            f"{directory} contient des clés mais pas de fichier {ACTIVE_FILE} : indiquez les clés actives "
            f'({{"data": "<id>", "index": "<id>"}}) plutôt que d\'en créer de nouvelles. / '
            f"{directory} holds keys but no {ACTIVE_FILE}: write it instead of generating new keys."
        )
    directory.chmod(0o700)
    active = _write_new_pair(directory, taken=set())
    active[BACKUP] = _write_new_key(directory, BACKUP, taken=set(active.values()))
    _fsync_directory(directory)
    _write_active(directory, active)
    reload()
    return keyring(), ALL_FAMILIES


def add_keys() -> Keyring:
    """Generate a new data key and a new blind-index key and make them active; old keys stay for reading."""
    current = keyring()
    if current.from_environment:
        raise KeyUnavailable(
            "Les clés viennent de l'environnement : ajoutez une nouvelle clé à MAILLAGE_ENCRYPTION_KEYS et "
            "à MAILLAGE_BLIND_INDEX_KEYS, désignez-les dans MAILLAGE_ACTIVE_ENCRYPTION_KEY et "
            "MAILLAGE_ACTIVE_BLIND_INDEX_KEY, redémarrez, puis relancez la rotation sans --new. / "
            "Keys come from the environment: add and activate new keys there, then rotate without --new."
        )
    directory = _directory()
    taken = {key_id for family in ALL_FAMILIES for key_id in current.keys[family]}
    active = _write_new_pair(directory, taken=taken)
    _write_active(directory, {**current.active, **active})
    reload()
    return keyring()


def retire_key(key_id: str) -> list[str]:
    """Delete the key files named `key_id` (either family). The caller checks first that no value uses it.

    Returns the families the id was found in. Refuses the active keys and keys given by the environment.
    """
    current = keyring()
    families = [family for family in FAMILIES if key_id in current.keys[family]]
    if not families:
        raise KeyUnavailable(
            f"Aucune clé « {key_id} » dans {current.source}. / No key '{key_id}' in {current.source}."
        )
    for family in families:
        if current.active_id(family) == key_id:
            raise KeyUnavailable(
                f"La clé « {key_id} » est la {FAMILY_NAMES[family]} active, elle ne peut pas être retirée. / "
                f"Key '{key_id}' is the active {family} key and cannot be retired."
            )
    if current.from_environment:
        raise KeyUnavailable(
            f"Aucune valeur n'utilise plus la clé « {key_id} » : retirez-la vous-même de "
            f"{' et '.join(ENV_KEYS[f] for f in families)} puis redémarrez. / "
            f"No value uses key '{key_id}' any more: remove it from the environment and restart."
        )
    directory = _directory()
    for family in families:
        (directory / f"{family}-{key_id}.key").unlink()
    _fsync_directory(directory)
    reload()
    return families


def permission_problems() -> list[str]:
    """Key files or directory that other accounts may read, as French sentences; empty when all is well."""
    if _environment_configured():
        return []
    directory = _directory()
    problems = []
    for path in [directory, *sorted(directory.glob("*.key")), directory / ACTIVE_FILE]:
        if path.exists() and path.stat().st_mode & 0o077:
            expected = "700" if path.is_dir() else "600"
            problems.append(f"{path} est accessible à d'autres comptes : chmod {expected} {path}")
    return problems


def generate_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _directory() -> Path:
    return Path(settings.MAILLAGE_KEYS_DIR)


def _environment_configured() -> bool:
    return any(os.environ.get(name) for name in ENV_VARIABLES)


def _signature() -> tuple:
    if _environment_configured():
        return ("environment", *(os.environ.get(name) for name in ENV_VARIABLES))
    directory = _directory()
    parts: list = ["directory", str(directory)]
    for path in (directory, directory / ACTIVE_FILE):
        try:
            stat = path.stat()
        except FileNotFoundError:
            parts.append(None)
        else:
            # Files are replaced, never rewritten in place: the inode tells a new active.json even when two
            # changes fall within the same tick of the file system clock.
            parts.append((stat.st_ino, stat.st_mtime_ns))
    return tuple(parts)


def _decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyUnavailable(
            f"{where} n'est pas une clé valide (base64 de {KEY_BYTES} octets attendu). / "
            f"{where} is not a valid key (base64 of {KEY_BYTES} bytes expected)."
        )
    return key


def _check_key_id(key_id: str, where: str) -> str:
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise KeyUnavailable(
            f"Identifiant de clé invalide « {key_id} » dans {where} (lettres, chiffres, - et _). / "
            f"Invalid key id '{key_id}' in {where}."
        )
    return key_id


def _check_active(keys: dict[str, dict[str, bytes]], active: dict[str, str], source: str) -> None:
    for family in ALL_FAMILIES:
        if family == BACKUP and not active.get(family):
            continue  # optional: the backup commands say what to do
        if not active.get(family):
            raise KeyUnavailable(
                f"Aucune {FAMILY_NAMES[family]} active n'est désignée dans {source}. / "
                f"No active {family} key is set in {source}."
            )
        if active[family] not in keys[family]:
            raise KeyUnavailable(
                f"La {FAMILY_NAMES[family]} active « {active[family]} » est introuvable dans {source}. / "
                f"Active {family} key '{active[family]}' is missing from {source}."
            )


def _load_environment() -> Keyring:
    source = "l'environnement"
    missing = [name for name in ENV_REQUIRED if not os.environ.get(name)]
    if bool(os.environ.get(ENV_KEYS[BACKUP])) != bool(os.environ.get(ENV_ACTIVE[BACKUP])):
        missing.append(ENV_ACTIVE[BACKUP] if os.environ.get(ENV_KEYS[BACKUP]) else ENV_KEYS[BACKUP])
    if missing:
        raise KeyUnavailable(
            f"Clés incomplètes dans l'environnement : il manque {', '.join(missing)}. / "
            f"Incomplete keys in the environment: {', '.join(missing)} missing."
        )
    keys: dict[str, dict[str, bytes]] = {}
    for family, variable in ENV_KEYS.items():
        keys[family] = {}
        listed = os.environ.get(variable, "")  # the backup keys may be absent
        for item in listed.split(",") if listed else []:
            key_id, separator, encoded = item.strip().partition(":")
            if not separator:
                raise KeyUnavailable(
                    f"{variable} attend « id:base64,id:base64 ». / {variable} expects 'id:base64,id:base64'."
                )
            keys[family][_check_key_id(key_id, variable)] = _decode_key(encoded, f"{variable} ({key_id})")
    active = {
        family: os.environ[variable].strip()
        for family, variable in ENV_ACTIVE.items()
        if os.environ.get(variable)
    }
    _check_active(keys, active, source)
    return Keyring(keys=keys, active=active, source=source, from_environment=True)


def _load_directory(directory: Path) -> Keyring:
    if not directory.is_dir():
        raise KeyUnavailable(
            f"Aucune clé de chiffrement : le répertoire {directory} n'existe pas. "
            f"Lancez « maillage init_keys » (ou restaurez les clés sauvegardées). / "
            f"No encryption keys: {directory} does not exist. "
            f"Run 'maillage init_keys' (or restore the saved keys)."
        )
    keys: dict[str, dict[str, bytes]] = {family: {} for family in ALL_FAMILIES}
    for family in ALL_FAMILIES:
        for path in directory.glob(f"{family}-*.key"):
            key_id = _check_key_id(path.stem.removeprefix(f"{family}-"), str(path))
            keys[family][key_id] = _decode_key(path.read_text(), str(path))
    active_path = directory / ACTIVE_FILE
    try:
        active = json.loads(active_path.read_text())
    except FileNotFoundError:
        raise KeyUnavailable(
            f"Le fichier {active_path} est absent : lancez « maillage init_keys ». / "
            f"{active_path} is missing: run 'maillage init_keys'."
        ) from None
    except ValueError:
        raise KeyUnavailable(
            f"Le fichier {active_path} n'est pas du JSON valide. / {active_path} is not valid JSON."
        ) from None
    if not isinstance(active, dict):
        active = {}
    _check_active(keys, active, str(directory))
    return Keyring(
        keys=keys,
        active={f: active[f] for f in ALL_FAMILIES if active.get(f)},
        source=str(directory),
        from_environment=False,
    )


def _write_new_pair(directory: Path, *, taken: set[str]) -> dict[str, str]:
    active = {family: _write_new_key(directory, family, taken=taken) for family in FAMILIES}
    _fsync_directory(directory)
    return active


def _write_new_key(directory: Path, family: str, *, taken: set[str]) -> str:
    """Writes a new key file (the caller syncs the directory); `taken` gets its id."""
    key_id = secrets.token_hex(4)
    while key_id in taken:
        key_id = secrets.token_hex(4)
    taken.add(key_id)
    encoded = base64.b64encode(generate_key()).decode("ascii")
    fd = os.open(directory / f"{family}-{key_id}.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as stream:
        stream.write(encoded + "\n")
        stream.flush()
        os.fsync(stream.fileno())
    return key_id


def _write_active(directory: Path, active: dict[str, str]) -> None:
    """Replace active.json atomically: a crash leaves either the old or the new file, never half of one."""
    temporary = directory / f".{ACTIVE_FILE}.{secrets.token_hex(4)}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as stream:
        json.dump(active, stream)
        stream.write("\n")
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, directory / ACTIVE_FILE)
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
