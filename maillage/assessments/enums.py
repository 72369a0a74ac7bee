from django.db import models


class Level(models.TextChoices):
    """A danger level, lowest first (the order is meaningful: an override may raise it)."""

    LOW = "low", "Faible"
    MEDIUM = "medium", "Moyen"
    HIGH = "high", "Danger grave"


LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


class NotificationKind(models.TextChoices):
    """Alerts raised by danger assessments (registered with the notifications app in apps.py)."""

    DANGER_ASSESSED = "assessment_danger", "Danger grave évalué : situation proposée à la prochaine réunion"
