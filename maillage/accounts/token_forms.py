from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from maillage.accounts.models import ApiToken, ApiTokenScope


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="Pour le reconnaître plus tard, par exemple « Tableau de bord de la coordination ».",
    )
    scope = forms.ChoiceField(
        label="Portée",
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
        help_text="Un jeton en lecture seule ne peut rien modifier. Ne donnez que la portée nécessaire.",
    )
    expires_on = forms.DateField(
        label="Dernier jour de validité (facultatif)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=(
            "Le jeton fonctionne jusqu'à la fin de ce jour. Laissez vide pour un jeton sans expiration."
        ),
    )

    def clean_expires_on(self) -> date | None:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on is not None and expires_on < timezone.localdate():
            raise forms.ValidationError("Choisissez aujourd'hui ou une date à venir.")
        return expires_on

    def expires_at(self) -> datetime | None:
        """The last instant of the chosen day, in the local time zone (shown as « 30 juin 2027 à 23:59 »)."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        return datetime.combine(expires_on, time.max, tzinfo=timezone.get_current_timezone())
