"""`maillage synth --situations N`: synthetic volume for benchmarks (maillage.demo.synth)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.demo.synth import BATCH_SIZE, DEFAULT_YEARS, DEFER_FROM, Synth
from maillage.demo.synth_network import default_territory_name, territory_for


class Command(BaseCommand):
    help = (
        "Remplit un territoire de situations fictives en volume, pour mesurer les performances (mode "
        "démonstration seulement). Écrit directement en base par lots (COPY sur PostgreSQL), sans passer par "
        "les services ni envoyer d'alerte, avec l'historique de chaque situation au journal d'audit, chaîné "
        "(sauf --no-audit). Les identités sont chiffrées comme partout. Relancer ajoute des situations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--situations", type=int, required=True, help="Nombre de situations à ajouter.")
        parser.add_argument(
            "--territory",
            default=None,
            help=(
                "Nom du territoire (défaut : celui de la démonstration). Créé avec 8 communes, 12 "
                "organisations, leurs membres et 3 logements d'urgence s'il n'existe pas."
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help="Graine des tirages (défaut : 1).")
        parser.add_argument(
            "--years", type=int, default=DEFAULT_YEARS, help=f"Années couvertes (défaut : {DEFAULT_YEARS})."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Situations par lot (défaut : {BATCH_SIZE})."
        )
        parser.add_argument(
            "--no-audit", action="store_true", help="Sans l'historique des situations au journal d'audit."
        )
        parser.add_argument(
            "--defer-indexes",
            choices=("auto", "yes", "no"),
            default="auto",
            help=(
                "PostgreSQL : suspendre index et contraintes des grandes tables pendant l'écriture, puis les "
                f"recréer ensuite (défaut « auto » : à partir de {DEFER_FROM} situations)."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Les données synthétiques ne s'écrivent qu'en mode démonstration (MAILLAGE_DEMO=1) : "
                "jamais dans une base réelle."
            )
        count, years, batch_size = options["situations"], options["years"], options["batch_size"]
        if count < 1:
            raise CommandError("--situations : au moins 1.")
        if not 1 <= years <= 20:
            raise CommandError("--years : de 1 à 20.")
        if batch_size < 1:
            raise CommandError("--batch-size : au moins 1.")
        territory, created = territory_for(options["territory"] or default_territory_name())
        if created:
            self.stdout.write(
                f"Territoire « {territory.name} » créé (8 communes, 12 organisations, 3 logements d'urgence)."
            )
        try:
            synth = Synth(territory, seed=options["seed"], years=years, audit=not options["no_audit"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{count} situations sur {years} ans dans « {territory.name} »…")
        defer = {"auto": None, "yes": True, "no": False}[options["defer_indexes"]]
        self.last = (0, 0.0)
        summary = synth.run(
            count, batch_size=batch_size, progress=self.progress, defer_indexes=defer, log=self.log
        )
        seconds = summary["seconds"]
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['situations']} situations écrites en {seconds:.1f} s "
                f"({summary['situations'] / max(seconds, 1e-9):.0f} par seconde) : "
                f"{summary['persons']} personnes, {summary['timeline']} entrées de suivi, "
                f"{summary['participations']} participations, {summary['audit']} entrées d'audit, "
                f"{summary['referrals']} orientations, {summary['measures']} mesures de protection, "
                f"{summary['stays']} séjours ; dont {summary['index_seconds']:.1f} s pour recréer les index "
                f"et {summary['analyse_seconds']:.1f} s pour VACUUM ANALYZE."
            )
        )

    def log(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def progress(self, done: int, total: int, seconds: float) -> None:
        """The rate since the start and over the last batch, and the time left at the recent rate."""
        last_done, last_seconds = self.last
        recent = (done - last_done) / max(seconds - last_seconds, 1e-9)
        self.last = (done, seconds)
        left = (total - done) / max(recent, 1e-9)
        self.log(
            f"  {done} / {total} situations ({done / max(seconds, 1e-9):.0f} par seconde), "
            f"dernier lot {recent:.0f}/s, {seconds:.0f} s écoulées, reste ≈ {left:.0f} s "
            f"({time.strftime('%H:%M:%S')})"
        )
