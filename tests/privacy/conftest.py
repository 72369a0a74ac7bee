import pytest

from maillage.privacy import keys


@pytest.fixture(autouse=True)
def keys_dir(tmp_path, settings, monkeypatch):
    """Fresh keys in a temporary directory per test: never the developer's var/keys nor the environment."""
    for name in keys.ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    directory = tmp_path / "keys"
    settings.MAILLAGE_KEYS_DIR = directory
    keys.reload()
    keys.ensure_keys()
    yield directory
    keys.reload()
