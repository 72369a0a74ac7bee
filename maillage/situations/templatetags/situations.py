from django import template

from maillage.situations import presentation
from maillage.situations.enums import NOTE_VISIBILITY_BADGES

register = template.Library()


@register.filter
def read_part(entry) -> str:
    """What a recorded read was about (" — tâches"), or "" for the situation page itself."""
    label = presentation.READ_PART_LABELS.get(entry.changes.get("part", ""), "")
    return f" — {label}" if label else ""


@register.filter
def read_ground(entry) -> str:
    """ " (accès d'urgence)", " (pendant la cellule de suivi du 12/03/2026)", or "" for an own ground."""
    return presentation.read_ground(entry)


@register.filter
def visibility_badge(entry) -> str:
    """Who may read a follow-up entry, in words."""
    return NOTE_VISIBILITY_BADGES.get(entry.visibility, entry.get_visibility_display())
