from django import template

from maillage.situations import history, notifications

register = template.Library()


@register.simple_tag
def unread_notifications(actor) -> int:
    """Unread alerts of the active membership: one query, only for the roles that receive alerts."""
    return notifications.unread_count(actor)


@register.filter
def read_part(entry) -> str:
    """What a recorded read was about (" — tâches"), or "" for the situation page itself."""
    label = history.READ_PART_LABELS.get(entry.changes.get("part", ""), "")
    return f" — {label}" if label else ""
