"""Forms of the technical administrator's organisation pages."""

from datetime import datetime

from django import forms

from maillage.network.enums import OrganisationKind
from maillage.network.models import Organisation
from maillage.territories.models import Territory


class OrganisationFilterForm(forms.Form):
    marks_optional_fields = False  # a filter: every field is optional
    territoire = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label="Tous les territoires",
    )
    type = forms.ChoiceField(
        label="Type", choices=[("", "Tous les types"), *OrganisationKind.choices], required=False
    )


class OrganisationForm(forms.ModelForm):
    territories = forms.ModelMultipleChoiceField(
        label="Territoires",
        queryset=Territory.objects.order_by("name"),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un territoire."},
        help_text="Là où l'organisation intervient (le Parquet, par exemple, en sert plusieurs).",
    )
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "kind", "territories", "phone", "email", "address", "website", "opening_hours"]
        labels = {"phone": "Téléphone (accueil ou standard)", "email": "Courriel de contact"}
        help_texts = {
            "phone": "Le numéro public de l'organisation, jamais un numéro personnel.",
            "opening_hours": "Par exemple : « du lundi au vendredi, 9 h–12 h et 14 h–17 h, sur rendez-vous »",
        }
        error_messages = {"name": {"unique": "Une organisation porte déjà ce nom."}}

    def service_arguments(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class OrganisationEditForm(OrganisationForm):
    # The exact `updated_at` the form was read at (ISO 8601, microseconds kept) to refuse a stale save.
    read_at = forms.CharField(widget=forms.HiddenInput)

    class Meta(OrganisationForm.Meta):
        fields = [*OrganisationForm.Meta.fields, "is_active"]
        labels = {**OrganisationForm.Meta.labels, "is_active": "Organisation active"}
        help_texts = {
            **OrganisationForm.Meta.help_texts,
            "is_active": (
                "Une organisation inactive disparaît de l'annuaire ; ses membres n'ont plus accès à Maillage."
            ),
        }

    def clean_read_at(self):
        try:
            return datetime.fromisoformat(self.cleaned_data["read_at"])
        except ValueError:
            raise forms.ValidationError("Formulaire incomplet : rechargez la page.") from None
