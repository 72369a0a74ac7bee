from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from maillage.audit.services import console_actor
from maillage.errors import DomainError
from maillage.territories.services import import_summary, territory_import
from maillage.territories.territory_file import MAX_FILE_BYTES, parse_territory_file


class Command(BaseCommand):
    help = (
        "Crée un territoire, ou met à jour celui qui porte le même nom, depuis un fichier JSON ou CSV. "
        "Pour un CSV, donnez --name et --kind. Aucune commune n'est supprimée ; "
        "rien n'est écrit en cas d'erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Fichier du territoire (.json ou .csv).")
        parser.add_argument(
            "--name", default="", help="Nom du territoire (remplace celui d'un fichier JSON)."
        )
        parser.add_argument("--kind", default="", help="Type : epci, commune, cispd ou clspd.")
        parser.add_argument("--department", default="", help="Code du département, par exemple 85.")

    def handle(self, *args, file: Path, name: str, kind: str, department: str, **options):
        try:
            with file.open("rb") as stream:
                content = stream.read(MAX_FILE_BYTES + 1)  # one byte more tells a file that is too large
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : {file}.") from None
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} ({error.strerror}).") from None
        try:
            data = parse_territory_file(
                content, filename=file.name, name=name, kind=kind, department_code=department
            )
        except ValidationError as error:
            problems = "\n".join(f"- {message}" for message in error.messages)
            raise CommandError(f"Le fichier {file} n'a pas été importé :\n{problems}") from None
        try:
            territory, created, updated = territory_import(actor=console_actor(), data=data)
        except DomainError as error:
            raise CommandError(error.message) from None
        unchanged = len(data.communes) - created - updated
        self.stdout.write(self.style.SUCCESS(import_summary(territory, created, updated, unchanged)))
