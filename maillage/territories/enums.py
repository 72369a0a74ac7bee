from django.db import models


class TerritoryKind(models.TextChoices):
    EPCI = "epci", "Intercommunalité (EPCI)"
    COMMUNE = "commune", "Commune"
    CISPD = "cispd", "CISPD"
    CLSPD = "clspd", "CLSPD"
