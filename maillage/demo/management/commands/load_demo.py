"""Loads the demonstration network (Pays des Herbiers) and writes its accounts to var/demo-accounts.json.

The data lives in fixtures (territory files, demo/fixtures/demo_network.json); `maillage.demo.network` feeds
them to the services, gives every account a random password and an enrolled TOTP; this command says how to
sign in. Then three years of situations are replayed through the situation services
(`maillage.demo.situations`, with referrals, housing, a year of coordination meetings, two years of the
contract's action plan, and the prevention events and trainings), then protective measures recorded
(`maillage.demo.protection`); the alerts they raise and the meetings' invitations stay in the application:
the demo sends no e-mail.
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from maillage.demo.assessments import load_grids
from maillage.demo.clock import demo_clock, history_start, without_email
from maillage.demo.network import NETWORK_FILE, load_network, load_pending_requests
from maillage.demo.protection import load_measures
from maillage.demo.situations import DEFAULT_COUNT, SPECIAL_COUNT, load_situations
from maillage.meetings.models import Meeting, MeetingParticipant
from maillage.meetings.tasks import send_invitations
from maillage.notifications.models import Notification
from maillage.notifications.tasks import send_alert_emails
from maillage.territories.models import Territory

ACCOUNTS_FILE_NAME = "demo-accounts.json"


class Command(BaseCommand):
    help = "Charge le territoire de démonstration (Pays des Herbiers) si la base n'a aucun territoire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--situations",
            type=int,
            default=DEFAULT_COUNT,
            help=(
                f"Nombre de situations fictives sur trois ans (défaut : {DEFAULT_COUNT}, dont la situation "
                f"restreinte et la situation témoin ; 0 : aucune, sinon au moins {SPECIAL_COUNT + 1})."
            ),
        )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("La démonstration ne se charge qu'en mode démonstration (MAILLAGE_DEMO=1).")
        count = options["situations"]
        if count < 0 or 0 < count <= SPECIAL_COUNT:
            raise CommandError(f"--situations : 0, ou au moins {SPECIAL_COUNT + 1}.")
        accounts_path = Path(settings.VAR_DIR) / ACCOUNTS_FILE_NAME
        if Territory.objects.exists():
            self.stdout.write(f"Démonstration déjà chargée (comptes : {accounts_path}).")
            return
        demo = json.loads(NETWORK_FILE.read_text(encoding="utf-8"))
        with without_email(), transaction.atomic():
            # The network exists from the start of the history, so the audit trail reads in time order.
            with demo_clock(history_start()):
                accounts = load_network(demo)
                load_grids()
            summary = None
            if count:
                territory = Territory.objects.get(name=demo["default_territory"])
                summary = load_situations(territory, count)
                # Recorded once the history is replayed (the audit trail stays in time order).
                summary["measures"] = load_measures(territory)
            accounts += load_pending_requests(demo)
            # Inside the transaction: if the file cannot be written, nothing is loaded.
            write_private_json(accounts_path, accounts)
        forget_alert_emails()
        forget_invitation_emails()
        self.print_accounts(accounts, accounts_path)
        if summary:
            self.print_situations(summary)

    def print_accounts(self, accounts: list[dict], path: Path) -> None:
        rows = [("Courriel", "Rôles", "Organisation")]
        for account in accounts:
            rows.append((account["email"], ", ".join(account["roles"]), account["organisation"] or "—"))
            for other in account["memberships"][1:]:
                rows.append(
                    ("", ", ".join(other["roles"]), f"{other['organisation']} ({other['territory']})")
                )
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write(self.style.SUCCESS(f"Démonstration chargée : {len(accounts)} comptes."))
        for email, roles, organisation in rows:
            self.stdout.write(f"  {email:<{widths[0]}}  {roles:<{widths[1]}}  {organisation}")
        login_url = settings.MAILLAGE_BASE_URL + reverse("account_login")
        self.stdout.write(
            f"\nMots de passe et secrets TOTP : {path} (lisible par vous seul).\n"
            f"Connexion : {login_url} avec le courriel et le mot de passe, puis le code à usage unique :\n"
            "  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"\n"
            "(SECRET = totp_secret du compte), ou ajoutez ce secret à une application d'authentification "
            "(Aegis, FreeOTP, Google Authenticator…)."
        )

    def print_situations(self, summary: dict) -> None:
        self.stdout.write(
            f"\nSituations fictives : {summary['situations']} sur trois ans, "
            f"dont {summary['open']} en cours.\n"
            f"  Situation restreinte : {summary['restricted']} (visible seulement de la coordination et de "
            f"{' et '.join(summary['restricted_named'])}).\n"
            f"  Situation témoin : {summary['canary']} (victime « {summary['canary_name']} ») : "
            "son identité ne doit apparaître nulle part pour qui n'y a pas droit.\n"
            f"  Mesures de protection : {summary['measures']}, dont certaines finissent dans le mois "
            "(rappels envoyés par le travailleur de fond).\n"
            f"  Hébergement d'urgence : {summary['housing']['units']} logements (deux du CCAS des Herbiers, "
            f"le refuge de SOS Femmes Vendée à l'adresse secrète), {summary['housing']['stays']} séjours sur "
            "deux ans, dont un en cours qui finit dans deux jours."
        )
        meetings = summary["meetings"]
        if meetings["held"]:
            line = (
                f"  Cellule de suivi : {meetings['held']} réunions sur un an ({meetings['examined']} examens "
                f"de situation), {meetings['members']} membres, dont {meetings['not_accepted']} sans avoir "
                f"accepté la charte en vigueur (v{meetings['charter']}) : l'ordre du jour lui reste caché"
            )
            if meetings["upcoming"]:
                count = meetings["upcoming_items"]
                line += (
                    f" ; prochaine réunion le {meetings['upcoming']:%d/%m/%Y à %H:%M}, {count} "
                    f"situation{'s' if count > 1 else ''} à l'ordre du jour"
                )
            line += (
                f" ; {meetings['minutes_final']} comptes rendus validés (pseudonymisés), celui de la "
                "dernière réunion à relire"
            )
            self.stdout.write(line + ".")
        plan = summary["action_plan"]
        if plan["updates"]:
            self.stdout.write(
                f"  Plan d'action du contrat : {plan['actions']} actions sur {plan['axes']} axes, "
                f"{plan['updates']} points d'avancement depuis le {plan['since']:%d/%m/%Y}, avec leurs "
                "indicateurs, leur budget et les contributions des partenaires."
            )
        prevention = summary["prevention"]
        if prevention["events"]:
            self.stdout.write(
                f"  Prévention : {prevention['events']} actions ({prevention['people']} personnes touchées), "
                f"{prevention['trainings']} formations ({prevention['attendees']} participants de "
                f"{prevention['organisations']} organisations)."
            )


def write_private_json(path: Path, data) -> None:
    """Writes a file only its owner may read (it holds passwords), in a directory only its owner may open."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(data, file, ensure_ascii=False, indent=2)
        file.write("\n")


def forget_invitation_emails() -> None:
    """Likewise the meetings' invitations (a year of them, and the next meeting's): taken off the queue, and
    every participant marked as having had the meeting's current version, so that a later change of the
    next meeting, or a member added to the group, e-mails only that change."""
    DBTaskResult.objects.filter(task_path=send_invitations.module_path).delete()
    MeetingParticipant.objects.update(
        emailed_sequence=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("sequence")[:1])
    )


def forget_alert_emails() -> None:
    """The history's alerts stay in the application: their e-mails, queued when the load committed, are
    taken off the queue and the alerts marked sent, so the first `maillage worker` does not send three years
    of mail."""
    DBTaskResult.objects.filter(task_path=send_alert_emails.module_path).delete()
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=F("created_at"))
