"""`maillage explain-plans --out docs/performance/`: EXPLAIN (ANALYZE, BUFFERS) of the situation list's
statements for four people of a large territory, one text file each, and a README saying how they were made
(issue 16; `make explain-plans`). PostgreSQL; reads only."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from maillage.demo import scale_plans
from maillage.demo.scale_cases import scenarios
from maillage.demo.synth_network import default_territory_name
from maillage.situations.models import Situation
from maillage.territories.models import Territory


class Command(BaseCommand):
    help = (
        "Écrit les plans d'exécution (EXPLAIN ANALYZE, BUFFERS) des requêtes de la liste des situations "
        "(première page, page à 90 %, total, recherches par pseudonyme et par nom) pour une coordinatrice, "
        "une référente et deux professionnelles, un fichier texte chacun, et un README. "
        "PostgreSQL seulement ; ne fait que lire."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", default="docs/performance", help="Dossier (défaut : docs/performance).")
        parser.add_argument(
            "--territory", default=None, help="Territoire (défaut : celui de la démonstration)."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "Les plans d'exécution sont ceux de PostgreSQL : indiquez une grande base dans DATABASE_URL "
                "(postgres://…)."
            )
        name = options["territory"] or default_territory_name()
        territory = Territory.objects.filter(name=name).first()
        if territory is None:
            raise CommandError(f"Territoire « {name} » introuvable dans cette base.")
        out = Path(options["out"])
        self.stderr.write("Choix des personnes, de la page à 90 % et des recherches…")
        chosen = scenarios(territory)
        written = scale_plans.write_plans(chosen, out)
        situations = Situation.objects.filter(territory=territory).count()
        command = f"maillage explain-plans --out {options['out']}"
        (out / "README.md").write_text(scale_plans.readme(chosen, situations, command), encoding="utf-8")
        self.stdout.write(f"{len(written)} plans et README.md écrits dans {out}.")
