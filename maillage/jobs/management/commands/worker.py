"""`maillage worker`: the background worker (tasks of the database queue) and its daily scheduler."""

from django.core.management.base import BaseCommand

from maillage.jobs import worker


class Command(BaseCommand):
    help = (
        "Exécute les tâches de fond (file en base de données) et programme chaque jour les vérifications "
        "quotidiennes (rappels, retards). Ctrl-C ou SIGTERM : la tâche en cours se termine, puis arrêt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Programmer les tâches quotidiennes dues, exécuter les tâches prêtes, puis s'arrêter.",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Secondes entre deux regards sur la file."
        )

    def handle(self, *args, once: bool, interval: float, **options):
        if once:
            enqueued = worker.run_once()
            if options["verbosity"] > 0:
                self.stdout.write(f"Tâches quotidiennes programmées : {', '.join(enqueued) or 'aucune'}.")
            return
        if options["verbosity"] > 0:
            self.stdout.write("Travailleur de fond démarré (Ctrl-C pour arrêter).")
        worker.run_forever(interval=interval)
