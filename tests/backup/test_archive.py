"""The archive format alone: what goes in comes out, and any change to the file is refused."""

import io
import os

import pytest

from maillage.backup import archive
from maillage.backup.archive import ArchiveDamaged, ArchiveError

KEY = bytes(range(32))
PLAIN = os.urandom(250)  # three chunks of 100 bytes (see the fixture), the last one short


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(archive, "CHUNK_SIZE", 100)


def manifest() -> dict:
    return {"format": "maillage-backup", "audit_head": "12:" + "ab" * 32, "salt": archive.new_salt()}


def sealed(plain: bytes = PLAIN) -> bytes:
    target = io.BytesIO()
    archive.write(io.BytesIO(plain), target, manifest=manifest(), backup_key=KEY)
    return target.getvalue()


def opened(data: bytes, tmp_path, key: bytes = KEY) -> tuple[dict, bytes]:
    path = tmp_path / "archive"
    path.write_bytes(data)
    target = io.BytesIO()
    found, digest, size = archive.decrypt(path, target, backup_key=key)
    assert size == len(target.getvalue())
    return found, target.getvalue()


def header_length(data: bytes) -> int:
    return len(archive.MAGIC) + 4 + int.from_bytes(data[len(archive.MAGIC) : len(archive.MAGIC) + 4], "big")


def chunks(data: bytes) -> list[bytes]:
    """The framed chunks (length + ciphertext) after the header."""
    found, position = [], header_length(data)
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        found.append(data[position : position + 4 + length])
        position += 4 + length
    return found


@pytest.mark.parametrize("plain", [b"", b"x" * 100, b"x" * 200, PLAIN], ids=["empty", "one", "two", "three"])
def test_what_goes_in_comes_out(plain, tmp_path):
    data = sealed(plain)
    found, result = opened(data, tmp_path)
    assert result == plain
    assert found["audit_head"] == "12:" + "ab" * 32
    assert plain[:50] not in data or not plain


def test_the_manifest_is_readable_without_the_key():
    found, _header = archive.read_manifest(io.BytesIO(sealed()))
    assert found["audit_head"].startswith("12:")


def test_every_flipped_byte_is_refused(tmp_path):
    data = sealed()
    # Every byte of the manifest's JSON, the framing and the payload; a changed magic is "not an archive".
    for position in range(len(archive.MAGIC), len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        with pytest.raises(ArchiveDamaged):
            opened(bytes(damaged), tmp_path)
    damaged = bytearray(data)
    damaged[0] ^= 0x01
    with pytest.raises(ArchiveError, match="n'est pas une sauvegarde Maillage"):
        opened(bytes(damaged), tmp_path)


def test_a_cut_at_any_byte_is_refused_as_truncated(tmp_path):
    data = sealed()
    boundaries = [header_length(data)]
    for chunk in chunks(data)[:-1]:
        boundaries.append(boundaries[-1] + len(chunk))
    for size in [*range(len(archive.MAGIC), len(data), 7), *boundaries]:
        with pytest.raises(ArchiveDamaged, match="tronquée"):
            opened(data[:size], tmp_path)


def test_chunks_moved_dropped_or_added_are_refused(tmp_path):
    data = sealed()
    header = data[: header_length(data)]
    first, second, third = chunks(data)
    for order in (
        [second, first, third],
        [first, third],
        [first, second, third, third],
        [first, first, third],
    ):
        with pytest.raises(ArchiveDamaged, match="corrompue"):
            opened(header + b"".join(order), tmp_path)
    with pytest.raises(ArchiveDamaged, match="des octets suivent le dernier bloc"):
        opened(data + b"\x00", tmp_path)


def test_another_key_or_another_archive_s_manifest_is_refused(tmp_path):
    data = sealed()
    with pytest.raises(ArchiveDamaged, match="manifeste ou premier bloc altéré"):
        opened(data, tmp_path, key=bytes(32))
    other = sealed()
    with pytest.raises(ArchiveDamaged):
        opened(other[: header_length(other)] + data[header_length(data) :], tmp_path)
