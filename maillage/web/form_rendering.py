"""How every form field is rendered: "(facultatif)" after the label of an optional field.

Django already sets `aria-invalid` on a field in error and points `aria-describedby` at its help text and its
error message (on the `<fieldset>` of a group of radios or boxes); this adds "(facultatif)" and ties a group's
error to each of its choices too.
Filter forms, where every field is optional, set `marks_optional_fields = False`; a field required only in
some cases (its help text says when) sets `marked_optional = False`.
"""

from django.forms import BoundField, CheckboxInput
from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html

OPTIONAL_MARK = "(facultatif)"


def marks_optional_fields(form) -> bool:
    return getattr(form, "marks_optional_fields", True)


class MaillageBoundField(BoundField):
    @property
    def is_marked_optional(self) -> bool:
        # A lone tick-box is an answer in itself: "(facultatif)" after it would read as noise.
        return (
            marks_optional_fields(self.form)
            and not self.field.required
            and getattr(self.field, "marked_optional", True)
            and not isinstance(self.field.widget, CheckboxInput)
        )

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        # Django ties a group's error to its <fieldset> only, which some screen readers do not announce when
        # focus lands on a choice: each choice names it too.
        if self.use_fieldset and self.errors and self.auto_id and not attrs.get("aria-describedby"):
            attrs["aria-describedby"] = f"{self.auto_id}_error"
        return attrs

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if contents is None and self.is_marked_optional:
            contents = format_html('{} <span class="optional">{}</span>', self.label, OPTIONAL_MARK)
        return super().label_tag(contents, attrs, label_suffix, tag)


class MaillageFormRenderer(DjangoTemplates):
    bound_field_class = MaillageBoundField
