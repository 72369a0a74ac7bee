from django import forms

from maillage.protection.enums import Authority, MeasureKind, MeasureStatus

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class MeasureForm(forms.Form):
    """A measure: kind, authority, status and dates — no free text (data minimisation)."""

    kind = forms.ChoiceField(label="Mesure", choices=[("", "Choisir…"), *MeasureKind.choices])
    authority = forms.ChoiceField(label="Autorité", choices=[("", "Choisir…"), *Authority.choices])
    status = forms.ChoiceField(label="État", choices=MeasureStatus.choices)
    requested_on = forms.DateField(label="Demandée le", required=False, **DATE_WIDGET)
    decided_on = forms.DateField(label="Décidée le", required=False, **DATE_WIDGET)
    starts_on = forms.DateField(
        label="En vigueur depuis le",
        required=False,
        help_text="Obligatoire pour une mesure en vigueur ou terminée.",
        **DATE_WIDGET,
    )
    ends_on = forms.DateField(
        label="Jusqu'au",
        required=False,
        help_text=(
            "Laissé vide pour une mesure en vigueur : 6 mois pour un TGD, 12 mois pour une ordonnance de "
            "protection. Un rappel part avant cette date."
        ),
        **DATE_WIDGET,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin de la mesure ne peut pas précéder son début.")
        return data
