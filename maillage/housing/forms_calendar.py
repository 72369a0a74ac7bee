"""The forms of the availability search and of the figures' period."""

import datetime

from django import forms

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
LONGEST_STAY_NIGHTS = 365


class AvailabilityForm(forms.Form):
    adults = forms.IntegerField(
        label="Adultes",
        min_value=1,
        max_value=20,
        initial=1,
        error_messages={"min_value": "Au moins un adulte.", "max_value": "Vingt adultes au plus."},
    )
    children = forms.IntegerField(
        label="Enfants",
        min_value=0,
        max_value=20,
        initial=0,
        error_messages={"min_value": "Zéro enfant ou plus.", "max_value": "Vingt enfants au plus."},
    )
    under_three = forms.IntegerField(
        label="Dont enfants de moins de 3 ans",
        min_value=0,
        max_value=20,
        initial=0,
        required=False,
        help_text="Un lit bébé leur suffit ; les plus grands ont besoin d'un lit d'enfant.",
        error_messages={"min_value": "Zéro enfant ou plus.", "max_value": "Vingt enfants au plus."},
    )
    starts_on = forms.DateField(label="À partir du", help_text="Le soir de l'arrivée.", **DATE_WIDGET)
    nights = forms.IntegerField(
        label="Pour combien de nuits",
        min_value=1,
        max_value=LONGEST_STAY_NIGHTS,
        required=False,
        help_text="Ou indiquez la date de départ ci-dessous.",
        error_messages={"min_value": "Au moins une nuit.", "max_value": "Un an au plus."},
    )
    ends_on = forms.DateField(
        label="Jusqu'au (matin du départ)",
        required=False,
        help_text="Laissez vide si vous indiquez un nombre de nuits.",
        **DATE_WIDGET,
    )
    accessible = forms.BooleanField(label="Accessible en fauteuil roulant", required=False)
    pets = forms.BooleanField(label="Avec un animal", required=False)

    def clean(self):
        data = super().clean()
        data["under_three"] = data.get("under_three") or 0
        children = data.get("children")
        if children is not None and data["under_three"] > children:
            self.add_error(
                "under_three", "Ils sont comptés parmi les enfants : pas plus que le nombre d'enfants."
            )
        starts_on, nights, ends_on = data.get("starts_on"), data.get("nights"), data.get("ends_on")
        if starts_on is None:
            return data
        if nights and ends_on:
            if ends_on != starts_on + datetime.timedelta(days=nights):
                self.add_error(
                    "ends_on", "Indiquez soit un nombre de nuits, soit la date de départ, pas les deux."
                )
        elif nights:
            data["ends_on"] = starts_on + datetime.timedelta(days=nights)
        elif ends_on:
            if ends_on <= starts_on:
                self.add_error("ends_on", "Le départ doit suivre l'arrivée d'au moins une nuit.")
            elif (ends_on - starts_on).days > LONGEST_STAY_NIGHTS:
                self.add_error("ends_on", "Un an au plus.")
        elif "nights" not in self.errors:
            self.add_error("nights", "Indiquez un nombre de nuits ou la date de départ.")
        return data


class PeriodForm(forms.Form):
    starts_on = forms.DateField(label="Du", **DATE_WIDGET)
    ends_on = forms.DateField(label="Au (inclus)", **DATE_WIDGET)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on:
            if ends_on < starts_on:
                self.add_error("ends_on", "La fin de la période ne peut pas précéder son début.")
            elif (ends_on - starts_on).days > 366 * 5:
                self.add_error("ends_on", "Cinq ans au plus.")
        return data
