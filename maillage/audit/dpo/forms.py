from django import forms

from maillage.audit.enums import AuditAction
from maillage.web.forms import PeriodFilterForm


class AuditFilterForm(PeriodFilterForm):
    actor = forms.CharField(
        label="Auteur",
        max_length=254,
        required=False,
        help_text="Tout ou partie de l'adresse électronique, « console » ou « anonyme ».",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes les actions"), *AuditAction.choices]
    )
    object_public_id = forms.UUIDField(
        label="Identifiant de l'objet",
        required=False,
        help_text="L'identifiant complet, tel qu'il apparaît dans le journal ou dans l'adresse d'une page.",
        error_messages={"invalid": "Saisissez un identifiant complet (36 caractères, avec les tirets)."},
    )
    date_from = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="Au (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> dict:
        """The valid, non-empty filters (empty when the form is not bound)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
