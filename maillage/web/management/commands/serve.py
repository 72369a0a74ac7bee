"""`maillage serve`: the production web server (gunicorn, config/gunicorn_conf.py) with config.wsgi.

Production settings unless DJANGO_SETTINGS_MODULE says otherwise (maillage/cli.py); refuses to run with
DEBUG on. Collects the static files first (WhiteNoise serves them from STATIC_ROOT, hashed and compressed),
then replaces itself with gunicorn, so that a service manager's signals reach gunicorn's master directly.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

GUNICORN_CONFIG = "python:config.gunicorn_conf"
WSGI_APPLICATION = "config.wsgi:application"


def gunicorn_command() -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, WSGI_APPLICATION]


class Command(BaseCommand):
    help = (
        "Sert l'application en production avec gunicorn (adresse : MAILLAGE_BIND, 127.0.0.1:8000 par "
        "défaut ; MAILLAGE_WEB_WORKERS, MAILLAGE_WEB_THREADS, MAILLAGE_WEB_TIMEOUT). Voir docs/deploying.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Ne pas rassembler les fichiers statiques (déjà faits, ou système de fichiers en lecture "
            "seule).",
        )

    def handle(self, *args, no_collectstatic=False, **options):
        if settings.DEBUG:
            raise CommandError(
                "DEBUG est activé : « maillage serve » est le serveur de production. Retirez MAILLAGE_DEBUG "
                "ou utilisez « maillage runserver » sur votre poste."
            )
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # Nothing opened here may be shared with the forked workers.
        connections.close_all()
        command = gunicorn_command()
        self.stderr.write(
            f"Maillage : gunicorn sur {os.environ.get('MAILLAGE_BIND', '127.0.0.1:8000')} "
            f"(réglages {os.environ.get('DJANGO_SETTINGS_MODULE')})."
        )
        sys.stderr.flush()
        sys.stdout.flush()
        os.execv(command[0], command)  # noqa: S606 (this interpreter, fixed arguments)
