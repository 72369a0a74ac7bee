from django import template

from maillage.notifications import selectors

register = template.Library()


@register.simple_tag
def unread_notifications(actor) -> int:
    """Unread alerts of the active membership: one query, only for the roles that receive alerts."""
    return selectors.unread_count(actor)
