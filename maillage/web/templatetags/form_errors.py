"""The error summary at the top of every page whose form was sent with mistakes, and the "Erreur : " prefix of
its title. Both look for the forms and formsets of the page's context, so no view or template has to ask."""

from dataclasses import dataclass

from django import template
from django.forms import BaseForm, BaseFormSet

from maillage.web.form_rendering import marks_optional_fields

register = template.Library()

# A file import can be refused for hundreds of reasons: the summary names the first ones, the page the rest.
SUMMARY_LIMIT = 10


@dataclass(frozen=True)
class SummaryError:
    message: str
    target: str = ""  # the id of the field to go to; none for an error about the whole form


def _is_form(value) -> bool:
    # type() rather than isinstance(): isinstance() would evaluate the context's lazy objects (the CSRF token,
    # which would then set its cookie on every page; the user).
    return issubclass(type(value), BaseForm | BaseFormSet)


def _forms_in(context) -> list:
    """The page's forms: context values, and the values of a plain dict or list of forms (the coordination
    page's `forms`). Never a QuerySet or other lazy value: looking would run it."""
    found = []
    for value in context.flatten().values():
        if type(value) is dict:
            value = list(value.values())
        if type(value) in (list, tuple):
            found += [item for item in value if _is_form(item)]
        elif _is_form(value):
            found.append(value)
    return found


def _field_target(bound_field) -> str:
    # A group of radios or boxes has no single id: its first choice is where to go.
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


def _labelled(label: str) -> str:
    # "Nom : Ce champ est obligatoire." but "Est-elle en danger ? Indiquez…": a question needs no colon.
    return f"{label} " if label.rstrip().endswith(("?", ":")) else f"{label} : "


def _form_errors(form, heading: str = "") -> list[SummaryError]:
    prefix = f"{heading} — " if heading else ""
    errors = [SummaryError(f"{prefix}{message}") for message in form.non_field_errors()]
    for bound_field in form:
        for message in bound_field.errors:
            if bound_field.is_hidden:
                errors.append(SummaryError(f"{prefix}{message}"))
            else:
                label = _labelled(bound_field.label)
                errors.append(SummaryError(f"{prefix}{label}{message}", _field_target(bound_field)))
    return errors


def summary_errors(forms) -> list[SummaryError]:
    """Every error of the sent forms, in the page's order: a form's own errors first, then its fields'."""
    errors = []
    for form in forms:
        if not form.is_bound:
            continue
        if isinstance(form, BaseFormSet):
            legend = getattr(form, "legend", "")
            errors += [SummaryError(message) for message in form.non_form_errors()]
            for number, member in enumerate(form.forms, start=1):
                errors += _form_errors(member, f"{legend} {number}".strip())
        else:
            errors += _form_errors(form)
    return errors


@register.inclusion_tag("web/includes/error_summary.html", takes_context=True)
def error_summary(context):
    errors = summary_errors(_forms_in(context))
    return {"errors": errors[:SUMMARY_LIMIT], "more": max(0, len(errors) - SUMMARY_LIMIT)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return "Erreur : " if summary_errors(_forms_in(context)) else ""


@register.filter
def states_required_fields(form) -> bool:
    """Whether the form opens with "Sauf mention contraire, tous les champs sont obligatoires.": when it asks
    for more than one thing and some must be answered (filter forms, all optional, opt out)."""
    fields = form.visible_fields()
    return marks_optional_fields(form) and len(fields) > 1 and any(f.field.required for f in fields)
