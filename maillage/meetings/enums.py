from django.db import models


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Prévue"
    OPEN = "open", "En cours"
    CLOSED = "closed", "Tenue"
    CANCELLED = "cancelled", "Annulée"


class Attendance(models.TextChoices):
    PRESENT = "present", "Présence"
    EXCUSED = "excused", "Absence excusée"
    ABSENT = "absent", "Absence"


class AgendaReason(models.TextChoices):
    """Why a situation is on an agenda: the meetings app's own reasons. Others come from the apps that hold
    the facts (situations.review_reasons: a danger result, a measure or a stay ending)."""

    NEW = "new", "Nouvelle situation"
    NOT_REVIEWED = "not_reviewed", "Pas examinée depuis longtemps"
    ADDED = "added", "Ajoutée par la coordination"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    FINAL = "final", "Validé"
