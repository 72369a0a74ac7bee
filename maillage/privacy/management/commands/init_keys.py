from django.core.management.base import BaseCommand, CommandError

from maillage.privacy.keys import (
    BACKUP,
    DATA,
    INDEX,
    KeyUnavailable,
    ensure_keys,
    permission_problems,
)


class Command(BaseCommand):
    help = (
        "Crée la première clé de chiffrement, la première clé d'index aveugle et la clé de sauvegarde si "
        "aucune n'existe (répertoire MAILLAGE_KEYS_DIR, var/keys par défaut), ou la seule clé de sauvegarde "
        "pour une installation qui n'en a pas ; sinon vérifie que les clés se chargent."
    )

    def handle(self, *args, **options):
        try:
            ring, created = ensure_keys()
        except KeyUnavailable as error:
            raise CommandError(str(error)) from None
        if DATA in created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Clés créées dans {ring.source} : clé de données {ring.active_id(DATA)}, "
                    f"clé d'index {ring.active_id(INDEX)}, clé de sauvegarde {ring.active_backup_id()}. "
                    "Sauvegardez ce répertoire à part de la base : sans lui, les données chiffrées sont "
                    "perdues."
                )
            )
            return self.warn_permissions()
        if BACKUP in created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Clé de sauvegarde {ring.active_backup_id()} créée dans {ring.source} (les autres clés "
                    "sont inchangées) : copiez-la avec les autres clés, à part de la base."
                )
            )
        backup = ring.active.get(BACKUP)
        self.stdout.write(
            f"Clés présentes dans {ring.source} : clé de données active {ring.active_id(DATA)} "
            f"({len(ring.ids(DATA))} en tout), clé d'index active {ring.active_id(INDEX)} "
            f"({len(ring.ids(INDEX))} en tout), "
            + (f"clé de sauvegarde active {backup}." if backup else "aucune clé de sauvegarde.")
        )
        if not backup:
            self.stderr.write(
                "Attention : sans clé de sauvegarde, « maillage backup » est refusé ; définissez "
                "MAILLAGE_BACKUP_KEYS et MAILLAGE_ACTIVE_BACKUP_KEY."
            )
        self.warn_permissions()

    def warn_permissions(self) -> None:
        for problem in permission_problems():
            self.stderr.write(f"Attention : {problem}.")
