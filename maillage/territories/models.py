import uuid

from django.db import models

from maillage.territories.enums import TerritoryKind


class Territory(models.Model):
    """The perimeter of one local network (an EPCI, a commune, a CISPD/CLSPD): the tenant."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=TerritoryKind.choices, default=TerritoryKind.EPCI)
    department_code = models.CharField("département", max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "territoire"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="communes")
    name = models.CharField("nom", max_length=200)
    postal_code = models.CharField("code postal", max_length=5)
    population = models.PositiveIntegerField("population")
    insee_code = models.CharField("code INSEE", max_length=5, blank=True)

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="commune_unique_name_per_territory"),
        ]

    def __str__(self) -> str:
        return self.name
