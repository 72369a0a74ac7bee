from django.core.management.base import BaseCommand
from django.db import connection

from maillage.audit.benchmark import measure_audit
from maillage.privacy.benchmark import measure_encryption

AUDIT_TARGET_MS = 2.0
DECRYPT_TARGET_MS = 5.0


class Command(BaseCommand):
    help = (
        "Mesure le coût d'une entrée du journal d'audit et du chiffrement/déchiffrement de 100 valeurs "
        "(médianes). N'écrit rien : les entrées mesurées sont annulées."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--entries", type=int, default=200, help="Entrées d'audit par mesure (défaut 200)."
        )
        parser.add_argument(
            "--values", type=int, default=100, help="Valeurs chiffrées par mesure (défaut 100)."
        )

    def handle(self, *args, entries: int, values: int, **options):
        audit = measure_audit(n=entries)
        crypto = measure_encryption(n=values)
        vendor = connection.vendor
        rows = [
            ("Entrée d'audit (dans la transaction de l'appelant)", audit["record_ms"], "ms", AUDIT_TARGET_MS),
            (f"Chiffrer {crypto['n']} valeurs", crypto["encrypt_ms"], "ms", None),
            (f"Déchiffrer {crypto['n']} valeurs", crypto["decrypt_ms"], "ms", DECRYPT_TARGET_MS),
            (f"Index aveugle de {crypto['n']} valeurs", crypto["blind_index_ms"], "ms", None),
        ]
        self.stdout.write(f"Base : {vendor} — médianes sur {audit['runs']} et {crypto['runs']} mesures")
        for label, value, unit, target in rows:
            verdict = ""
            if target is not None:
                verdict = f"  (objectif < {target} {unit} : {'atteint' if value < target else 'DÉPASSÉ'})"
            self.stdout.write(f"{label:<52} {value:>8.3f} {unit}{verdict}")
