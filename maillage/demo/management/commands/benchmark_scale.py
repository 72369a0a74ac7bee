"""`maillage benchmark-scale --situations N`: the situation list, its deep page, the detail, the API and the
searches of four people of a territory of N situations, Django end to end against the raw SQL of the same
rows, with the query counts (issue 16). PostgreSQL, demo mode: run it on a throwaway or benchmark database
(docs/performance.md « Situation list at scale »). Prints a Markdown table for docs/performance.md."""

import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from maillage.demo import scale_benchmark as bench
from maillage.demo.scale_cases import scenarios
from maillage.demo.synth_network import territory_topped_up


class Command(BaseCommand):
    help = (
        "Mesure, pour une coordinatrice, une référente et deux professionnelles d'un territoire de N "
        "situations, la liste (première page et page à 90 %), l'API, la page d'une situation et les "
        "recherches : Django de bout en bout contre le SQL brut des mêmes lignes, et le nombre de requêtes. "
        "PostgreSQL seulement ; complète le territoire par des situations synthétiques s'il en a moins "
        "(mode démonstration seulement). Imprime un tableau Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--situations", type=int, required=True, help="Situations du territoire mesuré.")
        parser.add_argument(
            "--territory", default=None, help="Territoire (défaut : celui de la démonstration)."
        )
        parser.add_argument("--runs", type=int, default=30, help="Requêtes mesurées par ligne (défaut : 30).")
        parser.add_argument(
            "--save-queries", metavar="FICHIER", help="Enregistre les nombres de requêtes (JSON)."
        )
        parser.add_argument(
            "--compare-queries",
            metavar="FICHIER",
            help="Compare les nombres de requêtes à ceux d'une mesure précédente (--save-queries), par "
            "exemple à une échelle plus petite.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "Cette mesure demande PostgreSQL (index, plans et SQL brut de la production) : "
                "indiquez la base dans DATABASE_URL (postgres://…)."
            )
        if not settings.DEMO_MODE:
            raise CommandError("La mesure écrit des situations synthétiques : mode démonstration seulement.")
        if settings.DEBUG:
            raise CommandError("Mesure faussée avec DEBUG : retirez MAILLAGE_DEBUG.")
        count, runs = options["situations"], options["runs"]
        if count < 1 or runs < 1:
            raise CommandError("--situations et --runs : au moins 1.")
        compared = compared_count = None
        if options["compare_queries"]:
            compared_count, compared = bench.load_query_counts(options["compare_queries"])
        territory, present = territory_topped_up(options["territory"], count, self.stderr.write)
        load = os.getloadavg()[0]
        self.stderr.write("Choix des personnes, de la page à 90 % et des recherches…")
        chosen = scenarios(territory)
        # One JSON line per request would bury the table: the request log is silenced while measuring.
        request_log = logging.getLogger("maillage.requests")
        level = request_log.level
        request_log.setLevel(logging.WARNING)
        raw = bench.raw_connection()
        results = {}
        try:
            for scenario in chosen:
                self.stderr.write(f"Mesure : {scenario.label} ({scenario.email})…")
                results[scenario.key] = bench.measure(scenario, runs, raw)
        finally:
            raw.close()
            request_log.setLevel(level)
        lines = bench.header(present, runs, load)
        for scenario in chosen:
            lines += bench.table(
                scenario,
                results[scenario.key],
                (compared or {}).get(scenario.key, {}) if compared is not None else None,
            )
        lines += bench.summary(results, compared, compared_count)
        lines.append(
            f"- charge moyenne (1 min) : {load:.2f} au départ, {os.getloadavg()[0]:.2f} à la fin "
            f"({os.cpu_count()} cœurs)."
        )
        self.stdout.write("\n".join(lines))
        if options["save_queries"]:
            bench.save_query_counts(options["save_queries"], present, results)
