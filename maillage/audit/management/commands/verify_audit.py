import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from maillage.audit.checkpoints import checkpoint_record
from maillage.audit.verify import Progress, parse_expected_head, verify_chain

PROGRESS_EVERY = 10.0  # seconds


class Command(BaseCommand):
    help = (
        "Vérifie l'intégrité du journal d'audit (empreintes, chaînage, numéros) depuis le dernier point de "
        "contrôle, ou en entier avec --full (à faire chaque semaine). Enregistre un point de contrôle après "
        "une vérification réussie. Code de sortie 1 à la première entrée altérée, qui est nommée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--full",
            action="store_true",
            help="Revérifie tout le journal depuis sa première entrée, sans partir d'un point de contrôle.",
        )
        parser.add_argument(
            "--expect-head",
            metavar="NUMÉRO:EMPREINTE",
            help="Une tête relevée auparavant avec audit_head : le journal doit toujours la contenir.",
        )
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="N'enregistre pas de point de contrôle (pour un rôle de base de données en lecture seule).",
        )
        parser.add_argument(
            "--progress",
            type=float,
            default=PROGRESS_EVERY,
            metavar="SECONDES",
            help=f"Avancement sur la sortie d'erreur toutes les N secondes (défaut : {PROGRESS_EVERY:.0f}).",
        )

    def handle(self, *args, full=False, expect_head=None, no_checkpoint=False, **options):
        expect = None
        if expect_head:
            try:
                expect = parse_expected_head(expect_head)
            except ValueError as error:
                raise CommandError(str(error)) from None
        self.full, self.every, self.last_report = full, max(options["progress"], 0.0), None
        result = verify_chain(expect=expect, incremental=not full, progress=self.report)
        if not result.ok:
            hint = "" if result.full else " (vérification depuis le dernier point de contrôle)"
            raise CommandError(result.summary + hint, returncode=1)
        message = f"{result.summary} Vérifié en {result.duration:.2f} s"
        message += f" ({_number(result.rate)} entrées par seconde)." if result.count else "."
        if expect is not None:
            message += f"\nLa tête relevée n° {expect[0]} est toujours présente et intacte."
        self.stdout.write(message)
        if not no_checkpoint:
            self.checkpoint(result)

    def checkpoint(self, result) -> None:
        try:
            with transaction.atomic():
                checkpoint = checkpoint_record(verification=result)
        except DatabaseError as error:  # a read-only role: the verification itself stands
            self.stderr.write(
                f"Point de contrôle non enregistré ({error}). Pour un rôle en lecture seule, passez "
                "--no-checkpoint."
            )
            return
        if checkpoint is not None:
            self.stdout.write(
                f"Point de contrôle enregistré au n° {checkpoint.sequence} : la prochaine vérification "
                "partira de là (--full pour tout revérifier)."
            )

    def report(self, progress: Progress) -> None:
        """Where the walk stands, on the error output (the result alone goes to the standard output)."""
        now = time.monotonic()
        if not progress.done:
            if progress.from_sequence:
                line = (
                    f"Vérification depuis le point de contrôle n° {progress.from_sequence} : "
                    f"{_entries(progress.total, new=True)}…"
                )
            else:
                why = "" if self.full else " (aucun point de contrôle encore)"
                line = f"Vérification complète du journal{why} : {_entries(progress.total)}…"
        elif self.last_report is not None and now - self.last_report < self.every:
            return
        else:
            share = progress.done / progress.total if progress.total else 1
            line = (
                f"  {_number(progress.done)} / {_number(progress.total)} entrées ({share * 100:.0f} %), "
                f"{_number(progress.rate)} par seconde"
            )
            if progress.remaining is not None and progress.done < progress.total:
                line += f", fin dans {_duration(progress.remaining)} environ"
        self.last_report = now
        self.stderr.write(line, style_func=str)
        self.stderr.flush()


def _number(value: float) -> str:
    """12 400 000: thousands apart, the French way."""
    return f"{value:,.0f}".replace(",", "\u202f")


def _entries(count: int, *, new: bool = False) -> str:
    """« aucune entrée », « 1 nouvelle entrée », « 12 400 000 entrées »."""
    if not count:
        return "aucune nouvelle entrée" if new else "aucune entrée"
    plural = "s" if count > 1 else ""
    adjective = f"nouvelle{plural} " if new else ""
    return f"{_number(count)} {adjective}entrée{plural}"


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"
