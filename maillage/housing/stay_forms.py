"""Forms of the stay pages: requesting a stay, allocating a unit, moving the departure, checking out."""

import datetime
import re

from django import forms
from django.utils import timezone

from maillage.housing.enums import ExitSolution, RequestStatus
from maillage.housing.models import HousingUnit

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class StayRequestForm(forms.Form):
    adults = forms.IntegerField(label="Nombre d'adultes", min_value=1, max_value=10, initial=1)
    children_ages = forms.CharField(
        label="Âges des enfants",
        required=False,
        max_length=60,
        help_text="En années, séparés par des virgules, par exemple « 3, 7 ». Laissez vide s'il n'y a pas "
        "d'enfant. Un enfant de moins de 3 ans peut dormir dans un lit bébé.",
    )
    urgent = forms.BooleanField(label="Urgent : une mise à l'abri ce soir", required=False)
    wished_from = forms.DateField(label="À partir du", **DATE_WIDGET)
    wished_until = forms.DateField(
        label="Jusqu'au", required=False, help_text="Le matin du départ, s'il est connu.", **DATE_WIDGET
    )
    notes = forms.CharField(
        label="Précisions pour votre côté",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Jamais montrées aux personnes qui gèrent les logements : elles ne voient que le "
        "pseudonyme et la composition du foyer.",
    )

    def clean_children_ages(self) -> list[int]:
        text = self.cleaned_data["children_ages"].strip()
        if not text:
            return []
        parts = [part for part in re.split(r"[,;\s]+", text) if part]
        if not all(part.isdigit() and int(part) <= 17 for part in parts):
            raise forms.ValidationError(
                "Indiquez l'âge de chaque enfant en années (de 0 à 17), séparés par des virgules."
            )
        return [int(part) for part in parts]

    def clean(self):
        data = super().clean()
        wished_from, wished_until = data.get("wished_from"), data.get("wished_until")
        if wished_from and wished_from < timezone.localdate():
            self.add_error("wished_from", "La date d'arrivée souhaitée ne peut pas être passée.")
        if wished_from and wished_until and wished_until <= wished_from:
            self.add_error("wished_until", "La date de départ doit suivre la date d'arrivée.")
        return data


class ActionForm(forms.Form):
    """The version the person read: a second click, or a colleague's answer in between, is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class AllocateForm(ActionForm):
    unit = forms.ModelChoiceField(
        label="Logement",
        queryset=HousingUnit.objects.none(),
        to_field_name="public_id",
        empty_label="Choisir…",
        help_text="Les logements qui peuvent accueillir ce foyer et sont libres à ces dates.",
    )
    starts_on = forms.DateField(label="Arrivée le", **DATE_WIDGET)
    ends_on = forms.DateField(label="Départ le (matin)", **DATE_WIDGET)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DatesForm(forms.Form):
    """The dates to look for free units on the request page (GET)."""

    starts_on = forms.DateField(label="Arrivée le", **DATE_WIDGET)
    ends_on = forms.DateField(label="Départ le (matin)", **DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "La date de départ doit suivre la date d'arrivée.")
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="search_%s", **kwargs)  # beside the allocation form's fields


def default_dates(request) -> tuple[datetime.date, datetime.date]:
    """The wished dates (never in the past), or a week from the wished arrival."""
    starts_on = max(request.wished_from, timezone.localdate())
    ends_on = request.wished_until or starts_on + datetime.timedelta(days=7)
    return starts_on, max(ends_on, starts_on + datetime.timedelta(days=1))


class ExtendForm(ActionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="extend_%s", **kwargs)  # beside the check-out form's fields

    ends_on = forms.DateField(label="Nouvelle date de départ (matin)", **DATE_WIDGET)


class CheckOutForm(ActionForm):
    exit_solution = forms.ChoiceField(
        label="Solution de sortie", choices=ExitSolution.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label="Départ le", **DATE_WIDGET)


class RequestFilterForm(forms.Form):
    marks_optional_fields = False

    status = forms.ChoiceField(
        label="État",
        choices=[("open", "À traiter (en attente, liste d'attente)"), ("", "Toutes"), *RequestStatus.choices],
        required=False,
    )
