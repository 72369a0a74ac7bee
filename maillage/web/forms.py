"""Pieces shared by the filter forms of several apps."""

from django import forms


class PeriodFilterForm(forms.Form):
    """A filter form with `date_from` and `date_to` fields: the end may not come before the start."""

    marks_optional_fields = False  # every filter is optional: "(facultatif)" everywhere would be noise

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "La date de fin doit suivre la date de début.")
        return cleaned
