"""Local secrets kept under var/, generated on first use with owner-only permissions."""

import os
import secrets
from pathlib import Path


def read_or_create_secret(path: Path, nbytes: int = 50) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(nbytes)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value
