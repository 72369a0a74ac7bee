from django.db import models


class UnitStatus(models.TextChoices):
    """What the housing manager says of a unit; whether it is occupied on a night is read from its stays."""

    AVAILABLE = "available", "Disponible"
    OUT_OF_SERVICE = "out_of_service", "Hors service"


class RequestStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    WAITING_LIST = "waiting_list", "Sur liste d'attente"
    ALLOCATED = "allocated", "Logement attribué"
    REFUSED = "refused", "Refusée"
    CANCELLED = "cancelled", "Annulée"


class StayStatus(models.TextChoices):
    PLANNED = "planned", "Prévu"
    IN_PROGRESS = "in_progress", "En cours"
    ENDED = "ended", "Terminé"
    CANCELLED = "cancelled", "Annulé"


# The stays that hold their unit's nights: no two of them may overlap on one unit (models.Stay's constraint).
HOLDING = (StayStatus.PLANNED, StayStatus.IN_PROGRESS, StayStatus.ENDED)


class ExitSolution(models.TextChoices):
    HOME_AFTER_EVICTION = "home_after_eviction", "Retour au domicile après l'éviction du conjoint violent"
    RELATIVES = "relatives", "Hébergement par des proches"
    SIAO = "siao", "SIAO / 115"
    SOCIAL_HOUSING = "social_housing", "Logement social"
    OTHER = "other", "Autre solution"


class StayNotificationKind(models.TextChoices):
    """Alerts about stay requests (registered with the notifications app in apps.py). They name nothing."""

    STAY_REQUESTED = "stay_requested", "Demande d'hébergement à traiter"
    STAY_REQUEST_ANSWERED = "stay_request_answered", "Réponse à une demande d'hébergement"
