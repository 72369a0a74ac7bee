from datetime import date, datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from maillage.network.enums import ApiTokenScope
from maillage.network.models import ApiToken


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
        label="Dernier jour de validité",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    code = forms.CharField(
        label="Code de votre application d'authentification",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Saisissez le code à 6 chiffres affiché en ce moment : il confirme que c'est bien vous.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last_day = ApiToken.last_allowed_day()
        self.last_day = last_day
        field = self.fields["expires_on"]
        field.initial = last_day
        field.widget.attrs.update(min=timezone.localdate().isoformat(), max=last_day.isoformat())
        field.help_text = (
            f"Le jeton fonctionne jusqu'à la fin de ce jour, au plus tard le {date_format(last_day)} "
            f"({settings.MAILLAGE_API_TOKEN_DAYS} jours)."
        )

    def clean_expires_on(self) -> date:
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.localdate():
            raise forms.ValidationError("Choisissez aujourd'hui ou une date à venir.")
        if expires_on > self.last_day:
            raise forms.ValidationError(
                f"Un jeton vaut au plus {settings.MAILLAGE_API_TOKEN_DAYS} jours : "
                f"choisissez une date jusqu'au {date_format(self.last_day)}."
            )
        return expires_on

    def expires_at(self) -> datetime:
        """The last instant of the chosen day, in the local time zone (shown as « 30 juin 2027 à 23:59 »)."""
        return ApiToken.end_of(self.cleaned_data["expires_on"])

    def forget_code(self) -> None:
        """Shown again, the form keeps everything typed but the code: it serves once, and only 30 seconds."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["code"] = ""
