"""Checks every situation service makes itself, whatever the caller already checked: the actor may see
the situation (the one policy), may change it, and what it names belongs to the actor's territory."""

from maillage.accounts.models import User
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import Membership, Organisation
from maillage.situations import policies, selectors
from maillage.situations.enums import ConsentAnswer, LegalGround, SituationStatus
from maillage.situations.models import Situation


def require_visible(actor: Actor, situation: Situation) -> None:
    if not policies.can_open(actor, situation):
        raise PermissionDeniedError


def require_contributor(actor: Actor, situation: Situation) -> None:
    """Coordination (coordinator, the situation's referents) and the organisations following it."""
    require_visible(actor, situation)
    if not policies.can_contribute(actor, situation):
        raise PermissionDeniedError(
            "Seules la coordination et les organisations qui suivent la situation peuvent la modifier."
        )


def require_manager(actor: Actor, situation: Situation) -> None:
    if not policies.can_manage(actor, situation):
        raise PermissionDeniedError("Cette action est réservée à la coordination.")
    require_visible(actor, situation)


def require_open(situation: Situation) -> None:
    if situation.status == SituationStatus.CLOSED:
        raise DomainError("Cette situation est clôturée : rouvrez-la avant de la modifier.")


def require_territory_organisation(actor: Actor, organisation: Organisation) -> None:
    if not (
        organisation.is_active
        and Organisation.objects.filter(pk=organisation.pk, territories=actor.territory).exists()
    ):
        raise DomainError(f"{organisation.name} ne fait pas partie du réseau de votre territoire.")


def require_territory_member(actor: Actor, user: User) -> None:
    if not Membership.objects.active().filter(user=user, territory_id=actor.territory.pk).exists():
        raise DomainError(f"{user} n'est pas membre du réseau de votre territoire.")


def require_sharing_ground(situation: Situation, organisation: Organisation, legal_ground: str) -> None:
    """Sharing a situation with an organisation (adding it, referring to it) needs the victim's recorded
    consent naming it, or the immediate-danger ground (which the caller records in the audit trail)."""
    if legal_ground not in (LegalGround.CONSENT, LegalGround.IMMEDIATE_DANGER):
        raise DomainError(
            "Une organisation ne peut recevoir la situation qu'avec le consentement "
            "ou en cas de danger immédiat."
        )
    if legal_ground == LegalGround.IMMEDIATE_DANGER:
        return
    consent = selectors.current_consent(situation)
    if (
        consent is None
        or consent.answer != ConsentAnswer.GIVEN
        or not consent.organisations.filter(pk=organisation.pk).exists()
    ):
        raise DomainError(
            f"Le consentement enregistré ne couvre pas le partage avec {organisation.name}. "
            "Enregistrez d'abord l'accord de la victime pour cette organisation, "
            "ou invoquez le danger immédiat."
        )
