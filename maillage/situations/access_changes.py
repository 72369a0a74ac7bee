"""What a coordinator's action takes away, said on the confirmation page before it is done
(maillage.web.confirm). Built from `memberships_seeing`, the same policy that opens situations."""

from maillage.network.enums import Role
from maillage.situations.policies import memberships_seeing

NAMES_SHOWN = 10


def _names(people) -> str:
    names = sorted({str(person) for person in people})
    if not names:
        return "personne"
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += f" et {len(names) - NAMES_SHOWN} autres personnes"
    return shown


def _seeing_users(situation, **filters):
    memberships = (
        memberships_seeing(situation)
        .filter(**filters)
        .exclude(role_set__role=Role.COORDINATOR)
        .select_related("user")
    )
    return [membership.user for membership in memberships]


def participant_removal(situation, organisation) -> list[str]:
    members = _seeing_users(situation, organisation=organisation)
    return [
        f"{organisation.name} ne suivra plus {situation.pseudonym} : ses membres ne pourront plus l'ouvrir "
        "ni en recevoir les alertes, sauf à un autre titre (personne référente, accès d'urgence en cours).",
        f"Membres de {organisation.name} qui l'ouvrent aujourd'hui : {_names(members)}.",
    ]


def restriction_lift(situation) -> list[str]:
    named = [access.user for access in situation.named_accesses.select_related("user")]
    return [
        f"{situation.pseudonym} suivra de nouveau les règles habituelles : les organisations qui la suivent, "
        "les personnes référentes de sa commune et l'accès d'urgence pourront de nouveau l'ouvrir.",
        f"La liste des personnes nommées est effacée ({_names(named)}) : elles ne gardent l'accès que si "
        "les règles habituelles le leur donnent.",
    ]


def restriction(situation, data) -> tuple[str, list[str], str] | None:
    """None when nobody loses access (only the reason changes, or people are added to the list)."""
    named = list(data["named_users"])
    if not situation.restricted:
        losing = [user for user in _seeing_users(situation) if user not in named]
        return (
            f"Restreindre l'accès à {situation.pseudonym}",
            [
                f"Seules la coordination et les personnes nommées ({_names(named)}) pourront ouvrir "
                f"{situation.pseudonym} ; l'accès d'urgence deviendra impossible.",
                f"Perdent l'accès : {_names(losing)}.",
            ],
            "Restreindre l'accès",
        )
    current = [access.user for access in situation.named_accesses.select_related("user")]
    removed = [user for user in current if user not in named]
    if not removed:
        return None
    return (
        f"Modifier la restriction de {situation.pseudonym}",
        [
            f"Ne pourront plus ouvrir {situation.pseudonym} : {_names(removed)} (sauf s'ils ou elles font "
            "partie de la coordination).",
        ],
        "Modifier la restriction",
    )


def exclusion(situation, data) -> tuple[str, list[str], str]:
    user = data["user"]
    return (
        f"Écarter {user} de {situation.pseudonym}",
        [
            f"{user} ne pourra plus ouvrir {situation.pseudonym} ni en recevoir les alertes, quel que soit "
            "son rôle, accès d'urgence compris, tant que la mise à l'écart n'est pas levée.",
        ],
        "Écarter cette personne",
    )
