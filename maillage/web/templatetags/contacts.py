"""Phone numbers and e-mail addresses that can be tapped: `{{ phone|phone_link }}`, `{{ email|email_link }}`.

The number is shown as written; the link dials it normalised (digits only, a French ten-digit number in
international form so that it works from any phone)."""

import re

from django import template
from django.utils.html import format_html

register = template.Library()


def dial_number(written: str) -> str:
    """'02 51 11 11 11' → '+33251111111'; '3919' → '3919'; '+33 6 …' and '0033 6 …' → '+336…'."""
    digits = re.sub(r"\D", "", written)
    if written.strip().startswith("+"):
        return f"+{digits}"
    if digits.startswith("00"):
        return f"+{digits[2:]}"
    if len(digits) == 10 and digits.startswith("0"):
        return f"+33{digits[1:]}"
    return digits


@register.filter
def phone_link(written):
    if not written:
        return ""
    number = dial_number(str(written))
    if not number.lstrip("+"):
        return written
    return format_html('<a href="tel:{}" class="contact-link">{}</a>', number, written)


@register.filter
def email_link(address):
    if not address:
        return ""
    return format_html('<a href="mailto:{}" class="contact-link">{}</a>', address, address)
