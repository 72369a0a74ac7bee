"""An in-application alert for one membership, about any object of any app (a generic target).

The alert names nothing by itself: it stores the kind and the target's public id; the page shows what the
target's app describes for the reader *now* (registry.py) — nothing at all about a target they can no longer
open. Its e-mail twin says only that something needs attention, with a link (DOMAIN.md §4)."""

import uuid

from django.db import models

from maillage.network.models import Membership


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def about(self, target):
        return self.filter(target_type=target._meta.label_lower, target_id=target.public_id)


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A membership, not a user: the alert concerns what the person sees in that territory and role.
    recipient = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("type", max_length=40)
    # The target: "<app_label>.<model>" and the object's public id (no foreign key: any app's object).
    target_type = models.CharField(max_length=60)
    target_id = models.UUIDField()
    # Whether what it is about was urgent when it was sent (a situation in immediate danger): unread urgent
    # alerts come first in the list and on the home page. A flag, not a description: it names nothing.
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail left (the task queue sends it once, even if the task runs twice).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A reminder's occasion (e.g. the end date of a measure it announces): one alert per recipient, kind,
    # target and occasion, whatever how often the daily job runs (ADR 0024). Empty for ordinary alerts.
    occasion = models.DateField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "alerte"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "occasion"],
                condition=models.Q(occasion__isnull=False),
                name="notification_reminder_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.target_type} {self.target_id}"
