from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value) -> str:
    """A count or an amount the French way: grouped thousands, a decimal comma, no useless zeros."""
    if value is None:
        return "0"
    if isinstance(value, str):  # « < 11 », « secret »: what the disclosure control shows instead
        return value
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral() else value.quantize(Decimal("0.01"))
        places = max(0, -value.as_tuple().exponent)
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    return number_format(value, use_l10n=True, force_grouping=True)
