import argparse

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.privacy.crypto import DecryptionError
from maillage.privacy.keys import DATA, FAMILIES, INDEX, KeyUnavailable, add_keys, keyring, retire_key
from maillage.privacy.rotation import (
    DEFAULT_BATCH_SIZE,
    encrypted_models,
    key_usage,
    rotate_mfa_secrets,
    rotate_model,
    values_using,
)

BAR_WIDTH = 30


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier positif")
    return int(text)


class Command(BaseCommand):
    help = (
        "Rechiffre toutes les valeurs chiffrées et recalcule les index aveugles avec les clés actives, "
        "par lots. --new crée d'abord de nouvelles clés actives (les anciennes restent pour la lecture). "
        "Sans --new, reprend une rotation interrompue : les valeurs déjà sous la clé active sont sautées. "
        "--retire supprime une ancienne clé que plus aucune valeur n'utilise. "
        "--status compte les valeurs par clé."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--new", action="store_true", help="Créer une nouvelle clé de données et d'index."
        )
        action.add_argument(
            "--retire", metavar="ID", help="Retirer l'ancienne clé ID (refusé si elle sert encore)."
        )
        action.add_argument(
            "--status", action="store_true", help="Nombre de valeurs par clé, champ par champ."
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Lignes par transaction (défaut {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, new: bool, retire: str | None, status: bool, batch_size: int, **options):
        try:
            if status:
                self.print_status()
            elif retire:
                self.retire(retire)
            else:
                self.rotate(new=new, batch_size=batch_size)
        except (KeyUnavailable, DecryptionError) as error:
            raise CommandError(str(error)) from None

    def print_status(self) -> None:
        ring = keyring()
        self.stdout.write(
            f"Clés ({ring.source}) — données : {', '.join(ring.ids(DATA))} (active {ring.active_id(DATA)}) ; "
            f"index : {', '.join(ring.ids(INDEX))} (active {ring.active_id(INDEX)})."
        )
        for usage in key_usage():
            active = ring.active_id(usage.family)
            parts = [
                f"{key_id}{' (active)' if key_id == active else ''} : {count}"
                for key_id, count in sorted(usage.counts.items(), key=lambda item: item[0] != active)
            ]
            if usage.unknown:
                parts.append(f"clé inconnue : {usage.unknown}")
            if usage.plaintext:
                parts.append(f"en clair : {usage.plaintext}")
            self.stdout.write(f"{usage.label} — {', '.join(parts) or 'aucune valeur'}")

    def retire(self, key_id: str) -> None:
        ring = keyring()
        if not any(key_id in ring.keys[family] for family in FAMILIES):
            raise CommandError(f"Aucune clé « {key_id} » dans {ring.source}.")
        still_used = values_using(key_id)
        if still_used:
            details = ", ".join(f"{label} : {count}" for label, count in still_used.items())
            raise CommandError(
                f"La clé « {key_id} » sert encore à {sum(still_used.values())} valeur(s) ({details}). "
                "Lancez d'abord « maillage rotate_keys » pour les rechiffrer."
            )
        retire_key(key_id)
        self.record(AuditAction.KEY_RETIRED, {"key": key_id})
        self.stdout.write(
            self.style.SUCCESS(
                f"Clé « {key_id} » retirée : plus aucune valeur ne l'utilisait. Les sauvegardes de la base "
                "antérieures à la rotation en ont encore besoin : gardez-en une copie avec elles si vous "
                "devez pouvoir les restaurer."
            )
        )

    def rotate(self, *, new: bool, batch_size: int) -> None:
        if new:
            ring = add_keys()
            self.record(
                AuditAction.KEYS_CREATED,
                {"data_key": ring.active_id(DATA), "index_key": ring.active_id(INDEX)},
            )
            self.stdout.write(
                f"Nouvelles clés actives : données {ring.active_id(DATA)}, index {ring.active_id(INDEX)}."
            )
        ring = keyring()
        rewritten = 0
        try:
            for spec in encrypted_models():
                rewritten += rotate_model(spec, batch_size=batch_size, progress=self.show_progress)
            rewritten += rotate_mfa_secrets(batch_size=batch_size, progress=self.show_progress)
        except KeyboardInterrupt:
            self.stderr.write("")
            raise CommandError(
                "Rotation interrompue. Les lots terminés sont enregistrés, le lot en cours a été annulé : "
                "aucune valeur n'est perdue. Relancez « maillage rotate_keys » (sans --new) pour finir."
            ) from None
        self.record(
            AuditAction.VALUES_REENCRYPTED,
            {"rows": rewritten, "data_key": ring.active_id(DATA), "index_key": ring.active_id(INDEX)},
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rotation terminée : {rewritten} ligne(s) réécrite(s) sous la clé de données "
                f"{ring.active_id(DATA)} et la clé d'index {ring.active_id(INDEX)}."
            )
        )
        used = {key_id for usage in key_usage() for key_id in usage.counts}
        unused = [
            key_id
            for family in FAMILIES
            for key_id in ring.ids(family)
            if key_id != ring.active_id(family) and key_id not in used
        ]
        if unused:
            self.stdout.write(
                "Anciennes clés inutilisées, retirables par « maillage rotate_keys --retire ID » : "
                + ", ".join(unused)
                + "."
            )

    def record(self, action: str, changes: dict) -> None:
        # Key ids only, never key material.
        with transaction.atomic():
            audit.record(actor=audit.console_actor(), action=action, changes=changes)

    def show_progress(self, label: str, done: int, total: int) -> None:
        if total == 0:
            self.stderr.write(f"{label} : rien à rechiffrer.", style_func=str)
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + " " * (BAR_WIDTH - filled)
        ending = "\n" if done >= total else ""
        self.stderr.write(f"\r[{bar}] {done}/{total} {label}", ending=ending, style_func=str)
