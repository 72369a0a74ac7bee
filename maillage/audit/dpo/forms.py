import uuid

from django import forms

from maillage.audit.dpo import labels
from maillage.audit.enums import AuditAction
from maillage.web.forms import PeriodFilterForm


class AuditFilterForm(PeriodFilterForm):
    actor = forms.CharField(
        label="Auteur",
        max_length=254,
        required=False,
        help_text="Tout ou partie du nom ou de l'adresse électronique, « console » ou « anonyme ».",
    )
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Toutes les actions"), *AuditAction.choices]
    )
    objet = forms.CharField(
        label="Objet",
        max_length=64,
        required=False,
        help_text="Le pseudonyme d'une situation (S-2026-0045) ou l'identifiant complet d'un objet, "
        "tel qu'il apparaît dans l'adresse d'une page.",
    )
    date_from = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="Au (inclus)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, territory_id: int, **kwargs):
        self.territory_id = territory_id
        super().__init__(*args, **kwargs)

    def clean_objet(self) -> list[uuid.UUID] | None:
        """The public ids the typed object stands for: itself when it is an id, else the objects of the
        territory bearing that label (a situation's pseudonym)."""
        text = self.cleaned_data["objet"].strip()
        if not text:
            return None
        try:
            return [uuid.UUID(text)]
        except ValueError:
            pass
        found = labels.find_objects(self.territory_id, text)
        if not found:
            raise forms.ValidationError(
                "Aucun objet de votre territoire ne porte ce nom : saisissez le pseudonyme d'une situation "
                "(S-2026-0045) ou un identifiant complet (36 caractères, avec les tirets)."
            )
        return found

    def filters(self) -> dict:
        """The valid, non-empty filters (empty when the form is not bound)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
