"""`maillage benchmark-audit --entries N`: how fast the audit trail is verified, in full and from a
checkpoint; `--writers 1,2,5,10,20 [--seconds S]`: how many entries a second page views can append at once,
and how long each waits (issue 16, ADR 0044). A benchmark that prints figures, not a test: run it on a
throwaway database in demo mode (README « Mesures de performance »)."""

import os
import time

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from maillage.audit.benchmark import Reader, concurrent_writes, synthetic_entries_append
from maillage.audit.models import HEAD_PK, AuditChainHead


class Command(BaseCommand):
    help = (
        "Mesure la vérification du journal d'audit : complète (débit en entrées par seconde), puis depuis "
        "un point de contrôle après l'ajout de nouvelles entrées. Complète le journal par des lectures "
        "fictives chaînées s'il compte moins de N entrées (mode démonstration seulement). Avec --writers : "
        "débit et latence des écritures de consultations simultanées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--entries", type=int, help="Entrées du journal mesuré.")
        parser.add_argument(
            "--new",
            type=int,
            default=100_000,
            help="Entrées ajoutées après le point de contrôle (défaut : 100 000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Graine des tirages (défaut : 1).")
        parser.add_argument(
            "--writers",
            help="Écritures simultanées : nombres de fils séparés par des virgules (ex. 1,2,5,10,20).",
        )
        parser.add_argument(
            "--seconds", type=float, default=10.0, help="Durée de chaque mesure --writers (défaut : 10 s)."
        )

    def handle(self, *args, entries: int | None, new: int, seed: int, writers: str | None, **options):
        if not settings.DEMO_MODE:
            raise CommandError("La mesure écrit des entrées fictives : mode démonstration seulement.")
        if writers:
            return self.concurrent(writers, seconds=options["seconds"])
        if entries is None or entries < 1 or new < 0:
            raise CommandError("--entries : au moins 1 ; --new : 0 ou plus.")
        self.stderr.style_func = None  # progress, not errors
        present = self.head()
        if present < entries:
            self.append(entries - present, seed=seed + present)
            # After a bulk load, as autovacuum does in time: planner statistics, visibility map (VACUUM
            # cannot run inside a transaction, as in the tests).
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                    cursor.execute(f"{vacuum} audit_auditentry")
        load_before = os.getloadavg()[0]
        self.stdout.write(f"Base : {connection.vendor} · {self.head()} entrées · {self.table_size()}")
        full = self.verify("--full")
        self.stdout.write(
            f"Vérification complète : {full['entries']} entrées en {full['seconds']:.1f} s, "
            f"{full['entries'] / full['seconds']:.0f} entrées par seconde."
        )
        if new:
            self.append(new, seed=seed + entries + 1)
        incremental = self.verify()
        self.stdout.write(
            f"Vérification depuis le point de contrôle : {new} nouvelles entrées sur {self.head()} "
            f"en {incremental['seconds']:.2f} s."
        )
        self.stdout.write(
            f"Charge moyenne de la machine (1 min) : {load_before:.2f} avant, {os.getloadavg()[0]:.2f} après "
            f"({os.cpu_count()} cœurs)."
        )
        self.stdout.write(
            "Objectif (issue 16) : moins d'une minute depuis un point de contrôle à 12 M d'entrées."
        )

    def concurrent(self, writers: str, *, seconds: float) -> None:
        try:
            counts = [int(n) for n in writers.split(",")]
        except ValueError:
            counts = []
        if not counts or min(counts) < 1 or seconds <= 0:
            raise CommandError("--writers : des entiers positifs séparés par des virgules ; --seconds > 0.")
        actor, situation = self.reader()
        what = "consultations d'une situation" if situation is not None else "entrées de la console"
        self.stdout.write(
            f"Base : {connection.vendor} · {self.head()} entrées · {what}, {seconds:g} s par mesure, "
            f"charge {os.getloadavg()[0]:.2f} ({os.cpu_count()} cœurs)"
        )
        self.stdout.write("| fils | entrées | entrées/s | p50 ms | p95 ms | p99 ms | max ms |")
        self.stdout.write("|---:|---:|---:|---:|---:|---:|---:|")
        for count in counts:
            r = concurrent_writes(writers=count, seconds=seconds, actor=actor, obj=situation)
            self.stdout.write(
                f"| {count} | {r['entries']} | {r['per_second']:.0f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} "
                f"| {r['p99_ms']:.2f} | {r['max_ms']:.1f} |"
            )
        self.stdout.write(f"Charge moyenne de la machine (1 min) après : {os.getloadavg()[0]:.2f}.")

    def reader(self) -> tuple[Reader | None, object | None]:
        """A real situation and a membership of its territory, as a page view records them, when the database
        has some (the demo); else the console. Looked up by name: the audit core imports no domain app."""
        situation = apps.get_model("situations", "Situation").objects.order_by("pk").first()
        if situation is None:
            return None, None
        membership = (
            apps.get_model("network", "Membership")
            .objects.filter(territory_id=situation.territory_id)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is None:
            return None, None
        return Reader(user=membership.user, membership=membership), situation

    def head(self) -> int:
        return AuditChainHead.objects.filter(pk=HEAD_PK).values_list("last_sequence", flat=True).first() or 0

    def append(self, count: int, *, seed: int) -> None:
        self.stdout.write(f"Ajout de {count} entrées fictives chaînées…")
        started = time.perf_counter()
        synthetic_entries_append(count, seed=seed, progress=self.progress)
        seconds = time.perf_counter() - started
        self.stdout.write(f"  fait en {seconds:.1f} s ({count / max(seconds, 1e-9):.0f} par seconde).")

    def progress(self, done: int, total: int) -> None:
        if done == total or done % 1_000_000 < 50_000:
            self.stderr.write(f"  {done} / {total}")

    def verify(self, *args) -> dict:
        """The command as the server runs it (its checkpoint included), timed from outside."""
        entries = self.head()
        started = time.perf_counter()
        call_command("verify_audit", *args, stdout=self.stdout, stderr=self.stderr)
        return {"entries": entries, "seconds": time.perf_counter() - started}

    def table_size(self) -> str:
        if connection.vendor != "postgresql":
            return "taille non mesurée hors PostgreSQL"
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('audit_auditentry'))")
            return f"table et index : {cursor.fetchone()[0]}"
