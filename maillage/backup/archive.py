"""The archive file: a readable, authenticated manifest, then the dump encrypted in authenticated chunks.

    MAGIC (16 bytes) | manifest length (4 bytes, big-endian) | manifest (UTF-8 JSON)
    then chunks: ciphertext length (4 bytes, big-endian) | AES-256-GCM ciphertext and tag

The chunk key is derived from the backup key and the manifest's random salt (HKDF-SHA256), so nonces can
be counters: chunk `i` uses nonce `i` (11 bytes) followed by 1 for the last chunk, 0 otherwise, and every
chunk carries the SHA-256 of magic, length and manifest as associated data. A changed byte anywhere (manifest
included) fails a tag; chunks moved, dropped or replayed fail their nonce; a file cut after any chunk lacks
its last chunk, and bytes after the last chunk are refused (the STREAM construction of Hoang, Reyhanitabar,
Rogaway and Vizár).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"MAILLAGE-BACKUP\n"
FORMAT_VERSION = 1
CHUNK_SIZE = 1024 * 1024
TAG_BYTES = 16
MAX_MANIFEST_BYTES = 1024 * 1024
LENGTH = struct.Struct(">I")


class ArchiveError(Exception):
    """The file cannot be read as a Maillage backup. The message is in French."""


class ArchiveDamaged(ArchiveError):
    """Corrupted or truncated: nothing from it may be used."""


def _chunk_key(backup_key: bytes, manifest: dict) -> AESGCM:
    try:
        salt = base64.b64decode(manifest["salt"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise ArchiveDamaged(_damaged("le manifeste n'a pas de sel valide")) from None
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"maillage:backup:v1").derive(
        backup_key
    )
    return AESGCM(derived)


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _damaged(reason: str) -> str:
    return (
        f"L'archive est corrompue ou a été modifiée ({reason}) : elle est refusée et rien n'a été écrit "
        "dans la base. Reprenez une autre copie de cette sauvegarde, ou une sauvegarde plus ancienne."
    )


def _truncated() -> str:
    return (
        "L'archive est tronquée (sa fin manque) : elle est refusée et rien n'a été écrit dans la base. "
        "Reprenez une copie complète de cette sauvegarde, ou une sauvegarde plus ancienne."
    )


def header_bytes(manifest: dict) -> bytes:
    encoded = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode() + b"\n"
    return MAGIC + LENGTH.pack(len(encoded)) + encoded


def new_salt() -> str:
    return base64.b64encode(os.urandom(16)).decode("ascii")


def write(source: BinaryIO, target: BinaryIO, *, manifest: dict, backup_key: bytes) -> None:
    """Writes header and encrypted chunks of `source` (read to its end) to `target`."""
    header = header_bytes(manifest)
    associated = hashlib.sha256(header).digest()
    cipher = _chunk_key(backup_key, manifest)
    target.write(header)
    index, current = 0, source.read(CHUNK_SIZE)
    while True:
        following = source.read(CHUNK_SIZE)
        last = not following
        sealed = cipher.encrypt(_nonce(index, last), current, associated)
        target.write(LENGTH.pack(len(sealed)) + sealed)
        if last:
            return
        index, current = index + 1, following


def read_manifest(stream: BinaryIO) -> tuple[dict, bytes]:
    """The manifest and the header bytes it was read from (unauthenticated until `decrypt`)."""
    if stream.read(len(MAGIC)) != MAGIC:
        raise ArchiveError(
            "Ce fichier n'est pas une sauvegarde Maillage (en-tête inconnu) : il est refusé et rien n'a été "
            "écrit dans la base."
        )
    raw_length = stream.read(LENGTH.size)
    if len(raw_length) < LENGTH.size:
        raise ArchiveDamaged(_truncated())
    (length,) = LENGTH.unpack(raw_length)
    if length > MAX_MANIFEST_BYTES:
        raise ArchiveDamaged(_damaged("longueur du manifeste impossible"))
    encoded = stream.read(length)
    if len(encoded) < length:
        raise ArchiveDamaged(_truncated())
    try:
        manifest = json.loads(encoded.decode())
    except ValueError:
        raise ArchiveDamaged(_damaged("manifeste illisible")) from None
    if not isinstance(manifest, dict):
        raise ArchiveDamaged(_damaged("manifeste illisible"))
    return manifest, MAGIC + raw_length + encoded


def decrypt(path: Path, target: BinaryIO, *, backup_key: bytes) -> tuple[dict, str, int]:
    """Decrypts and authenticates the whole archive into `target`.

    Returns the manifest (now authenticated), the SHA-256 (hex) and the size of the plaintext. Raises
    ArchiveError (ArchiveDamaged) at the first byte that does not verify.
    """
    with path.open("rb") as stream:
        manifest, header = read_manifest(stream)
        cipher = _chunk_key(backup_key, manifest)
        associated = hashlib.sha256(header).digest()
        digest, size, index = hashlib.sha256(), 0, 0
        while True:
            raw_length = stream.read(LENGTH.size)
            if not raw_length:
                raise ArchiveDamaged(_truncated())
            if len(raw_length) < LENGTH.size:
                raise ArchiveDamaged(_truncated())
            (length,) = LENGTH.unpack(raw_length)
            if not TAG_BYTES <= length <= CHUNK_SIZE + TAG_BYTES:
                raise ArchiveDamaged(_damaged(f"bloc n° {index + 1} de longueur impossible"))
            sealed = stream.read(length)
            if len(sealed) < length:
                raise ArchiveDamaged(_truncated())
            last = False
            try:
                plain = cipher.decrypt(_nonce(index, False), sealed, associated)
            except InvalidTag:
                try:
                    plain = cipher.decrypt(_nonce(index, True), sealed, associated)
                except InvalidTag:
                    where = "manifeste ou premier bloc" if index == 0 else f"bloc n° {index + 1}"
                    raise ArchiveDamaged(_damaged(f"{where} altéré")) from None
                last = True
            target.write(plain)
            digest.update(plain)
            size += len(plain)
            if last:
                break
            index += 1
        if stream.read(1):
            raise ArchiveDamaged(_damaged("des octets suivent le dernier bloc"))
    return manifest, digest.hexdigest(), size
