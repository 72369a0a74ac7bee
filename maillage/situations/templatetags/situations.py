from django import template

from maillage.situations import presentation

register = template.Library()


@register.filter
def read_part(entry) -> str:
    """What a recorded read was about (" — tâches"), or "" for the situation page itself."""
    label = presentation.READ_PART_LABELS.get(entry.changes.get("part", ""), "")
    return f" — {label}" if label else ""
