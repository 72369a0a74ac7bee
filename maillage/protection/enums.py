from django.db import models


class MeasureKind(models.TextChoices):
    """The protective measures the network records (DOMAIN.md §3)."""

    COMPLAINT = "complaint", "Plainte déposée"
    TGD = "tgd", "Téléphone grave danger (TGD)"
    BAR = "bar", "Bracelet anti-rapprochement (BAR)"
    PROTECTION_ORDER = "protection_order", "Ordonnance de protection"
    PROVISIONAL_ORDER = "provisional_order", "Ordonnance provisoire de protection immédiate"
    EVICTION = "eviction", "Éviction du conjoint violent"


class Authority(models.TextChoices):
    """Who decided (or received) the measure."""

    JAF = "jaf", "Juge aux affaires familiales (tribunal judiciaire)"
    PARQUET = "parquet", "Parquet (procureur de la République)"
    CRIMINAL_COURT = "criminal_court", "Juridiction pénale (juge d'instruction, tribunal correctionnel)"
    GENDARMERIE = "gendarmerie", "Gendarmerie"
    POLICE = "police", "Police"


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", "Demandée"
    IN_FORCE = "in_force", "En vigueur"
    ENDED = "ended", "Terminée"
    REFUSED = "refused", "Refusée"
    LAPSED = "lapsed", "Caduque"


class NotificationKind(models.TextChoices):
    """Alerts about protective measures (registered with the notifications app in apps.py)."""

    MEASURE_ENDING = "measure_ending", "Mesure de protection bientôt échue"
