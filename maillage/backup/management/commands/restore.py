import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.backup.services import REFUSALS, backup_restore, read_manifest


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de « maillage backup » dans la base de DATABASE_URL, qui doit être vide. "
        "L'archive est d'abord entièrement déchiffrée et vérifiée (rien n'est écrit si elle est corrompue ou "
        "tronquée, si une clé manque ou diffère) ; le journal d'audit est vérifié ensuite jusqu'à la tête "
        "relevée dans le manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FICHIER")
        parser.add_argument(
            "--manifest",
            action="store_true",
            help="Afficher seulement le manifeste (lisible sans clé, pas encore authentifié) et s'arrêter.",
        )

    def handle(self, *args, archive: str, manifest: bool, **options):
        path = Path(archive)
        try:
            if manifest:
                self.stdout.write(json.dumps(read_manifest(path), indent=2, ensure_ascii=False))
                return
            report = backup_restore(path=path)
        except REFUSALS as error:
            raise CommandError(f"Restauration refusée : {error}", returncode=1) from None
        restored = report.manifest
        verification = report.verification
        if not verification.ok:
            raise CommandError(
                f"Restauration échouée : les données sont chargées dans {report.target} mais le journal "
                f"d'audit ne se vérifie pas — {verification.summary} N'utilisez pas cette base ; "
                "restaurez une autre sauvegarde dans une base vide.",
                returncode=1,
            )
        lines = [
            f"Sauvegarde du {restored['created_at']} restaurée dans {report.target}.",
            verification.summary,
        ]
        if restored.get("audit_head"):
            sequence = restored["audit_head"].split(":", 1)[0]
            lines.append(f"La tête relevée dans le manifeste (n° {sequence}) est présente et intacte.")
        if report.unapplied_migrations:
            lines.append(
                f"{len(report.unapplied_migrations)} migrations de cette version ne sont pas encore "
                "appliquées : lancez « maillage migrate »."
            )
        self.stdout.write("\n".join(lines))
