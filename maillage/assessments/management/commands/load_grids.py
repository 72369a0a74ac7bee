from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.assessments.loading import read_grid_file, shipped_grids
from maillage.assessments.services import grid_load
from maillage.audit.services import console_actor
from maillage.errors import DomainError
from maillage.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Charge les grilles d'évaluation du danger livrées avec Maillage (maillage/assessments/grids/), "
        "ou la version propre à un territoire (--file et --territory). Sans effet si la version est déjà "
        "chargée à l'identique ; une version qui a servi à une évaluation n'est jamais modifiée : "
        "chargez une version supérieure, qui la remplace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="Fichier JSON d'une grille propre au territoire.")
        parser.add_argument("--territory", default="", help="Nom du territoire de cette grille.")

    def handle(self, *args, file: Path | None, territory: str, **options):
        try:
            if file is None:
                if territory:
                    raise CommandError("--territory va avec --file.")
                grids, owner = shipped_grids(), None
            else:
                owner = Territory.objects.filter(name=territory).first()
                if owner is None:
                    raise CommandError(f"Territoire introuvable : « {territory} ».")
                grids = [read_grid_file(file)]
            for data in grids:
                grid, written = grid_load(actor=console_actor(), data=data, territory=owner)
                state = "chargée" if written else "déjà à jour"
                self.stdout.write(f"{grid.title}, version {grid.version} : {state}.")
        except DomainError as error:
            raise CommandError(error.message) from None
