from django.core.management.base import BaseCommand

from maillage.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Affiche la dernière entrée du journal d'audit sur une ligne « NUMÉRO:EMPREINTE date », à recopier "
        "hors du serveur chaque jour ; verify_audit --expect-head NUMÉRO:EMPREINTE vérifiera ensuite que le "
        "journal n'a pas été tronqué."
    )

    def handle(self, *args, **options):
        last = AuditEntry.objects.newest_first().only("sequence", "hash", "created_at").first()
        if last is None:
            self.stdout.write("Journal d'audit vide : aucune entrée.")
            return
        self.stdout.write(f"{last.sequence}:{last.hash} {last.created_at.isoformat()}")
