"""The one Chromium finder, shared by the browser fixtures and `make test-prerequisites`."""

import stat

from tests.browser import chromium


def executable(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_maillage_chromium_comes_first(tmp_path, monkeypatch):
    monkeypatch.setenv("MAILLAGE_CHROMIUM", executable(tmp_path / "my-chromium"))
    assert chromium.find_chromium() == str(tmp_path / "my-chromium")


def test_without_debian_binaries_chromium_on_path_is_found(tmp_path, monkeypatch):
    monkeypatch.setattr(chromium, "DEBIAN_BINARIES", (str(tmp_path / "absent"),))
    monkeypatch.setenv("MAILLAGE_CHROMIUM", str(tmp_path / "not-executable"))
    (tmp_path / "not-executable").write_text("")
    (tmp_path / "bin").mkdir()
    found = executable(tmp_path / "bin" / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert chromium.find_chromium() == found


def test_nothing_found_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(chromium, "DEBIAN_BINARIES", (str(tmp_path / "absent"),))
    monkeypatch.delenv("MAILLAGE_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert chromium.find_chromium() is None
