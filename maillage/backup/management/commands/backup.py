from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.backup.engines import ENGINE_NAMES
from maillage.backup.services import REFUSALS, backup_create


class Command(BaseCommand):
    help = (
        "Écrit une sauvegarde cohérente et chiffrée de la base (DATABASE_URL) : pg_dump pour PostgreSQL, "
        "copie en ligne pour SQLite, chiffrée avec la clé de sauvegarde, avec un manifeste lisible (date, "
        "migrations, tête du journal d'audit, clés nécessaires). Les clés ne sont pas dans l'archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, metavar="FICHIER", help="Archive à écrire (droits 600)."
        )
        parser.add_argument("--force", action="store_true", help="Remplacer le fichier s'il existe déjà.")

    def handle(self, *args, output: str, force: bool, **options):
        try:
            report = backup_create(output=Path(output), force=force)
        except REFUSALS as error:
            raise CommandError(f"Sauvegarde refusée : {error}", returncode=1) from None
        manifest = report.manifest
        keys = manifest["keys"]
        lines = [
            f"Sauvegarde écrite : {report.path} ({_size(report.size)}, droits 600).",
            f"Base : {ENGINE_NAMES[manifest['engine']]}, {len(manifest['migrations'])} migrations "
            f"appliquées, contenu {_size(manifest['payload']['size'])} "
            f"(SHA-256 {manifest['payload']['sha256'][:16]}…).",
            f"Tête du journal d'audit : {manifest['audit_head'] or 'journal vide'}.",
            f"Chiffrée avec la clé de sauvegarde {manifest['backup_key']['id']}. Pour restaurer, il faudra "
            f"aussi les clés de données {', '.join(keys['data'])} et d'index {', '.join(keys['index'])} : "
            "elles ne sont pas dans l'archive, gardez-les à part.",
        ]
        self.stdout.write("\n".join(lines))
        if report.unknown_values:
            self.stderr.write(
                f"Attention : {report.unknown_values} valeurs chiffrées de la base utilisent une clé absente "
                "du trousseau ; elles sont déjà illisibles (maillage rotate-keys --status)."
            )


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} Kio".replace(".", ",")
    return f"{size / 1024 / 1024:.1f} Mio".replace(".", ",")
