"""The statistics' one setting: a territory's disclosure threshold (ADR 0039), changed by its coordinator."""

from django.conf import settings
from django.db import transaction

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.enums import Role
from maillage.stats.disclosure import MINIMUM_THRESHOLD
from maillage.stats.models import StatisticsSettings

MAXIMUM_THRESHOLD = 100


@transaction.atomic
def threshold_set(actor: Actor, *, threshold: int, seen: int) -> StatisticsSettings:
    """Sets the territory's threshold. `seen` is the threshold the form showed: if someone changed it since,
    nothing is saved (ConflictError)."""
    if not actor.has_role(Role.COORDINATOR):
        raise PermissionDeniedError()
    if not MINIMUM_THRESHOLD <= threshold <= MAXIMUM_THRESHOLD:
        raise DomainError(
            f"Le seuil de diffusion est un nombre entier de {MINIMUM_THRESHOLD} à {MAXIMUM_THRESHOLD}."
        )
    territory = actor.territory
    row, _ = StatisticsSettings.objects.select_for_update().get_or_create(
        territory=territory, defaults={"threshold": settings.MAILLAGE_STATISTICS_THRESHOLD}
    )
    if row.threshold == threshold:
        return row  # nothing to change (the same form sent twice, or the same choice made by two people)
    if row.threshold != seen:
        raise ConflictError(
            f"Quelqu'un a changé le seuil de diffusion ({row.threshold}) pendant que vous le modifiiez. "
            "Rien n'a été enregistré : vérifiez la valeur actuelle, puis enregistrez à nouveau."
        )
    before = row.threshold
    row.threshold = threshold
    row.save(update_fields=["threshold", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.STATISTICS_THRESHOLD_CHANGED,
        changes={"threshold": [before, threshold]},
    )
    return row
