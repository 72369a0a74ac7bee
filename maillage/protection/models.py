"""A protective measure known to the network, hanging from its situation (DOMAIN.md §3).

Who sees it is the situation's policy (protection/policies.py, ADR 0025); no free text: kinds, authorities,
statuses and dates only (data minimisation)."""

import uuid

from django.db import models

from maillage.network.models import Membership
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.situations.models import Situation


class ProtectiveMeasure(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    situation = models.ForeignKey(Situation, on_delete=models.CASCADE, related_name="protective_measures")
    kind = models.CharField("mesure", max_length=20, choices=MeasureKind.choices)
    authority = models.CharField("autorité", max_length=20, choices=Authority.choices)
    status = models.CharField("état", max_length=20, choices=MeasureStatus.choices)
    requested_on = models.DateField("demandée le", null=True, blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    starts_on = models.DateField("en vigueur du", null=True, blank=True)
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    recorded_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (ADR 0005): every change bumps it; a form read at an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "mesure de protection"
        verbose_name_plural = "mesures de protection"
        ordering = ["situation", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
