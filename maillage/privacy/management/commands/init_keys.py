from django.core.management.base import BaseCommand, CommandError

from maillage.privacy.keys import DATA, INDEX, KeyUnavailable, ensure_keys, permission_problems


class Command(BaseCommand):
    help = (
        "Crée la première clé de chiffrement et la première clé d'index aveugle si aucune n'existe "
        "(répertoire MAILLAGE_KEYS_DIR, var/keys par défaut) ; sinon vérifie que les clés se chargent."
    )

    def handle(self, *args, **options):
        try:
            ring, created = ensure_keys()
        except KeyUnavailable as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Clés créées dans {ring.source} : clé de données {ring.active_id(DATA)}, "
                    f"clé d'index {ring.active_id(INDEX)}. Sauvegardez ce répertoire à part de la base : "
                    "sans lui, les données chiffrées sont perdues."
                )
            )
        else:
            self.stdout.write(
                f"Clés présentes dans {ring.source} : clé de données active {ring.active_id(DATA)} "
                f"({len(ring.ids(DATA))} en tout), clé d'index active {ring.active_id(INDEX)} "
                f"({len(ring.ids(INDEX))} en tout)."
            )
        for problem in permission_problems():
            self.stderr.write(f"Attention : {problem}.")
