"""Authenticated encryption of values and keyed blind indexes, with the keys of :mod:`maillage.privacy.keys`.

An encrypted value is stored as text: ``v1:<data key id>:<base64url(nonce ‖ ciphertext ‖ tag), unpadded>``.
AES-256-GCM with a random 96-bit nonce; the associated data ``maillage:v1:<key id>:<context>`` binds the value
to its key id and to its context (model and field, e.g. ``testapp.person.last_name``), so a value copied into
another column, or relabelled with another key id, fails to decrypt instead of reading as something else.

A blind index is ``<index key id>:<hex HMAC-SHA256(index key, normalise(value))>``: equal for values that
differ only by case, accents, punctuation or spacing, useless without the index key.
"""

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata

from cryptography.exceptions import InvalidTag

from maillage.privacy.keys import DATA, INDEX, KeyUnavailable, keyring

VERSION = "v1"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value cannot be decrypted: missing key, altered value, or value from another field."""

    def __init__(self, *, context: str, key_id: str | None, reason_fr: str, reason_en: str):
        self.context = context
        self.key_id = key_id
        key = f"clé « {key_id} »" if key_id else "clé inconnue"
        super().__init__(
            f"Impossible de déchiffrer {context} ({key}) : {reason_fr}. / "
            f"Cannot decrypt {context} (key '{key_id or '?'}'): {reason_en}."
        )


def _associated_data(key_id: str, context: str) -> bytes:
    return f"maillage:{VERSION}:{key_id}:{context}".encode()


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypt with the active data key. Raises KeyUnavailable when there is no usable key."""
    ring = keyring()
    key_id = ring.active_id(DATA)
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.cipher(key_id).encrypt(nonce, plaintext.encode("utf-8"), _associated_data(key_id, context))
    return f"{VERSION}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).rstrip(b'=').decode('ascii')}"


def token_key_id(token: str) -> str | None:
    """The id of the key that encrypted a stored value, or None if it is not in the expected format."""
    version, _, rest = token.partition(":")
    key_id, separator, _ = rest.partition(":")
    return key_id if version == VERSION and separator and key_id else None


def decrypt(token: str, *, context: str) -> str:
    """Decrypt a stored value, or raise DecryptionError: never a wrong or empty result."""
    key_id = token_key_id(token)
    if key_id is None:
        raise DecryptionError(
            context=context,
            key_id=None,
            reason_fr=f"valeur illisible, le format {VERSION}:<clé>:<données> est attendu",
            reason_en=f"unreadable value, {VERSION}:<key id>:<data> expected",
        )
    ring = keyring()
    if key_id not in ring.keys[DATA]:
        ring = keyring(fresh=True)  # a key added by another process since this one last looked
    try:
        cipher = ring.cipher(key_id)
    except KeyUnavailable as error:
        raise DecryptionError(
            context=context,
            key_id=key_id,
            reason_fr="cette clé n'est pas disponible (retirée, non installée ou mauvais répertoire de clés)",
            reason_en="this key is not available (retired, not installed or wrong keys directory)",
        ) from error
    encoded = token[len(VERSION) + len(key_id) + 2 :]
    try:
        blob = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(blob) < NONCE_BYTES + 16:
            raise ValueError("too short")
        plaintext = cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _associated_data(key_id, context))
        return plaintext.decode("utf-8")
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise DecryptionError(
            context=context,
            key_id=key_id,
            reason_fr="la valeur a été altérée ou provient d'un autre champ (authentification AES-GCM)",
            reason_en="the value was altered or belongs to another field (AES-GCM authentication failed)",
        ) from error


# Letters that Unicode decomposition keeps whole but that people write either way in French names.
_FOLDED_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_SEPARATOR_SYMBOLS = frozenset("`´ʼ")


def normalise(value: str) -> str:
    """The form compared by blind indexes: "Le  Göff", "LE-GOFF" and "le goff" all give "le goff".

    Unicode NFKD, accents dropped, case folded, every punctuation mark (hyphens, apostrophes, underscores,
    dots…) turned into a space, runs of spaces collapsed, ends trimmed.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    letters = letters.translate(_FOLDED_LETTERS)
    spaced = "".join(
        " " if unicodedata.category(c).startswith("P") or c in _SEPARATOR_SYMBOLS else c for c in letters
    )
    return " ".join(spaced.split())


def blind_index(value: str, *, key_id: str | None = None) -> str:
    """The blind index of `value` under the given index key (the active one by default)."""
    ring = keyring()
    key_id = key_id or ring.active_id(INDEX)
    digest = hmac.new(ring.key(INDEX, key_id), normalise(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{key_id}:{digest}"


def blind_index_values(value: str) -> list[str]:
    """The index of `value` under every known index key, so that look-ups keep working during a rotation."""
    if value is None or value == "":
        return []
    return [blind_index(value, key_id=key_id) for key_id in keyring().ids(INDEX)]
