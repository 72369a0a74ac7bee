"""`maillage serve`: gunicorn with config.wsgi, production settings, static files collected, no access log."""

import importlib
import os

import pytest
from django.core.management import CommandError, call_command

import config.gunicorn_conf
from maillage import cli
from maillage.web.management.commands import serve

GUNICORN_VARIABLES = ("MAILLAGE_BIND", "MAILLAGE_WEB_WORKERS", "MAILLAGE_WEB_THREADS", "MAILLAGE_WEB_TIMEOUT")


@pytest.fixture
def gunicorn_settings(monkeypatch):
    """`gunicorn_settings(**env)` → the gunicorn configuration module as read under that environment."""

    def load(**env):
        for name in GUNICORN_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(config.gunicorn_conf)

    yield load
    monkeypatch.undo()
    importlib.reload(config.gunicorn_conf)


def test_defaults_fit_the_machine_and_write_no_access_log(gunicorn_settings, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    conf = gunicorn_settings()
    assert conf.bind == ["127.0.0.1:8000"]
    assert (conf.worker_class, conf.workers, conf.threads, conf.timeout) == ("gthread", 5, 4, 30)
    assert conf.accesslog is None  # gunicorn's line would carry the query string
    assert conf.control_socket_disable is True


def test_the_environment_overrides_them(gunicorn_settings):
    conf = gunicorn_settings(
        MAILLAGE_BIND="0.0.0.0:8001,[::]:8001",
        MAILLAGE_WEB_WORKERS="3",
        MAILLAGE_WEB_THREADS="8",
        MAILLAGE_WEB_TIMEOUT="60",
    )
    assert conf.bind == ["0.0.0.0:8001", "[::]:8001"]
    assert (conf.workers, conf.threads, conf.timeout, conf.graceful_timeout) == (3, 8, 60, 60)


@pytest.mark.parametrize("value", ["0", "-2", "beaucoup"])
def test_a_wrong_number_stops_with_a_french_message(gunicorn_settings, value):
    with pytest.raises(SystemExit, match="MAILLAGE_WEB_WORKERS doit être un entier positif"):
        gunicorn_settings(MAILLAGE_WEB_WORKERS=value)


def test_serve_runs_with_the_production_settings_unless_told_otherwise(monkeypatch):
    seen = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: seen.append((argv[1], os.environ["DJANGO_SETTINGS_MODULE"])),
    )
    for command in ("serve", "migrate"):
        monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
        monkeypatch.setattr("sys.argv", ["maillage", command])
        cli.main()
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.test")
    cli.main()
    assert seen == [
        ("serve", "config.settings.prod"),
        ("migrate", "config.settings.dev"),
        ("migrate", "config.settings.test"),
    ]


def test_serve_refuses_debug(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(os, "execv", lambda *args: pytest.fail("gunicorn must not start"))
    with pytest.raises(CommandError, match="DEBUG est activé"):
        call_command("serve")


def test_serve_collects_hashed_compressed_static_files_then_becomes_gunicorn(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    started = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(argv))

    call_command("serve")

    (argv,) = started
    assert argv == serve.gunicorn_command()
    assert argv[1:] == [
        "-m",
        "gunicorn",
        "--config",
        "python:config.gunicorn_conf",
        "config.wsgi:application",
    ]
    css = tmp_path / "static" / "maillage" / "css"
    hashed = [p.name for p in css.glob("maillage.*.css")]
    assert len(hashed) == 1, hashed
    assert (css / (hashed[0] + ".gz")).exists()
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_serve_can_leave_static_files_alone(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    monkeypatch.setattr(os, "execv", lambda path, argv: None)
    call_command("serve", no_collectstatic=True)
    assert not (tmp_path / "static").exists()
