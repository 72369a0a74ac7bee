from django import template

from maillage.situations import notifications

register = template.Library()


@register.simple_tag
def unread_notifications(actor) -> int:
    """Unread alerts of the active membership: one query, only for the roles that receive alerts."""
    return notifications.unread_count(actor)
