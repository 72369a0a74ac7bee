"""`maillage benchmark-stats --situations N`: how long the statistics dashboard takes to compute its figures
for a territory of N situations, on the configured database (issue 15). A benchmark that prints figures, not
a test: run it on a throwaway database in demo mode (README « Mesures de performance »)."""

import os
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.demo.synth_network import territory_topped_up
from maillage.stats import charts
from maillage.stats.dashboard import shown
from maillage.stats.indicators import INDICATORS, Scope
from maillage.stats.selectors import threshold_for


class Command(BaseCommand):
    help = (
        "Mesure le temps de calcul des indicateurs du tableau de bord des statistiques (l'année terminée et "
        "la précédente, chiffres exacts et protégés) pour un territoire de N situations, sur la base "
        "configurée. Complète le territoire par des situations synthétiques s'il en a moins (mode "
        "démonstration seulement)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--situations", type=int, required=True, help="Situations du territoire mesuré.")
        parser.add_argument(
            "--territory", default=None, help="Territoire (défaut : celui de la démonstration)."
        )
        parser.add_argument("--runs", type=int, default=5, help="Mesures répétées (défaut : 5).")

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("La mesure écrit des situations synthétiques : mode démonstration seulement.")
        count, runs = options["situations"], options["runs"]
        if count < 1 or runs < 1:
            raise CommandError("--situations et --runs : au moins 1.")
        territory, present = territory_topped_up(options["territory"], count, self.stdout.write)
        year = timezone.localdate().year - 1
        threshold = threshold_for(territory)
        self.stdout.write(
            f"Base : {connection.vendor} · territoire « {territory.name} » · {present} situations · "
            f"année {year}"
        )
        load_before = os.getloadavg()[0]
        self.stdout.write(f"{'tableau de bord':<34}{'médiane':>10}{'min':>10}{'max':>10}{'requêtes':>10}")
        for label, exact in (("coordination (chiffres exacts)", True), ("observation (protégés)", False)):
            durations, queries = [], 0
            for _ in range(runs):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    scope = Scope.of(territory, year)
                    for indicator in INDICATORS:
                        for period in (scope, scope.previous()):
                            shown(indicator.compute(period), threshold=threshold, exact=exact)
                    durations.append(time.perf_counter() - started)
                queries = len(captured.captured_queries)
            self.stdout.write(
                f"{label:<34}{statistics.median(durations) * 1000:>8.0f} ms{min(durations) * 1000:>7.0f} ms"
                f"{max(durations) * 1000:>7.0f} ms{queries:>10}"
            )
        # The charts: drawn once per table shown, then answered from the process' cache (ADR 0042).
        scope = Scope.of(territory, year)
        tables = [
            (
                shown(indicator.compute(scope), threshold=threshold, exact=True),
                shown(indicator.compute(scope.previous()), threshold=threshold, exact=True),
            )
            for indicator in INDICATORS
        ]
        charts.chart(*tables[0], year=year, previous_year=year - 1)  # matplotlib's import, once a process
        for label, clear in (("graphiques, premier dessin", True), ("graphiques, depuis le cache", False)):
            durations = []
            for _ in range(runs):
                if clear:
                    charts._drawn.cache_clear()
                started = time.perf_counter()
                drawn = [
                    charts.chart(now, before, year=year, previous_year=year - 1) for now, before in tables
                ]
                durations.append(time.perf_counter() - started)
            label = f"{label} ({sum(1 for chart in drawn if chart)})"
            self.stdout.write(
                f"{label:<34}{statistics.median(durations) * 1000:>8.0f} ms{min(durations) * 1000:>7.0f} ms"
                f"{max(durations) * 1000:>7.0f} ms"
            )
        # Other work on the machine slows the figures down: say how busy it was (docs/performance.md).
        self.stdout.write(
            f"Charge moyenne de la machine (1 min) : {load_before:.2f} avant, {os.getloadavg()[0]:.2f} après "
            f"({os.cpu_count()} cœurs)."
        )
        self.stdout.write("Objectif (issue 15) : moins d'une seconde pour 100 000 situations, sur 2 cœurs.")
