"""Reading the audit trail: the DPO's scope and filters, each one SQL query."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from maillage.accounts.models import User
from maillage.audit.models import AuditEntry
from maillage.network.actor import Actor
from maillage.network.models import Membership


def entries_visible_to(actor: Actor) -> QuerySet[AuditEntry]:
    """A DPO sees the entries of their territory, and the account-level events (sign-ins, second factors,
    passwords, account changes) of every account that holds or held a membership in it."""
    territory_id = actor.membership.territory_id
    accounts = Membership.objects.filter(territory_id=territory_id).values("user_id")
    return AuditEntry.objects.filter(
        Q(territory_id=territory_id) | Q(territory_id__isnull=True, subject_user_id__in=accounts)
    )


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered(entries: QuerySet[AuditEntry], filters: dict) -> QuerySet[AuditEntry]:
    if "actor" in filters:
        text = filters["actor"].strip()
        named = Q(first_name__icontains=text) | Q(last_name__icontains=text)
        if " " in text:  # "Prénom Nom"
            first, last = text.split(" ", 1)
            named |= Q(first_name__icontains=first, last_name__icontains=last.strip())
        entries = entries.filter(
            Q(actor_label__icontains=text) | Q(actor_user_id__in=User.objects.filter(named).values("pk"))
        )
    if "action" in filters:
        entries = entries.filter(action=filters["action"])
    if "objet" in filters:
        ids = filters["objet"]
        # An entry about the object, or naming it in its details (e.g. a situation's emergency access).
        entries = entries.filter(
            Q(object_public_id__in=ids) | Q(changes__situation__in=[str(i) for i in ids])
        )
    if "date_from" in filters:
        entries = entries.filter(created_at__gte=_start_of_day(filters["date_from"]))
    if "date_to" in filters:
        entries = entries.filter(
            created_at__lt=_start_of_day(filters["date_to"] + datetime.timedelta(days=1))
        )
    return entries
