from django.db import models


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    POSTPONED = "postponed", "Reportée"
    ABANDONED = "abandoned", "Abandonnée"


class ContributionKind(models.TextChoices):
    """What a partner puts into an action (the contract pools human and financial means). Money is counted in
    euros, staff time in hours; premises and contributions in kind are described, with their value in euros
    when the partner gives one."""

    MONEY = "money", "Financement"
    STAFF_HOURS = "staff_hours", "Temps de personnel"
    PREMISES = "premises", "Mise à disposition de locaux"
    IN_KIND = "in_kind", "Contribution en nature"


# The contract's commitments (DOMAIN.md §1): a territory's action plan starts with them as its axes.
DEFAULT_AXES = (
    "Repérer les victimes le plus tôt possible",
    "Partager l'information entre partenaires dans le cadre de la loi",
    "Améliorer la prise en charge par la coordination des référents communaux",
    "Agir sur les situations dans leur globalité",
    "Suivre les situations dans le temps et reconnaître le travail de chaque partenaire",
    "Prévenir, sensibiliser et communiquer",
    "Mutualiser les moyens humains et financiers, dont l'hébergement d'urgence",
)
