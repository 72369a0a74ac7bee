from django import forms

from maillage.housing.enums import UnitStatus
from maillage.territories.models import Commune


class UnitForm(forms.Form):
    """A unit as its housing manager keeps it. The address field is always empty when the form is shown:
    on a change it is typed again only to replace it (reading it is the audited « Afficher l'adresse »)."""

    name = forms.CharField(
        label="Nom affiché",
        max_length=80,
        help_text=(
            "Ce nom est vu des personnes qui demandent un hébergement. Pour un refuge, aucun nom de lieu."
        ),
    )
    secret = forms.BooleanField(
        label="Adresse secrète (refuge)",
        required=False,
        help_text="Le logement n'affiche alors aucune commune, nulle part.",
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        empty_label="Aucune",
        to_field_name="public_id",
        required=False,
        help_text="Laissez « Aucune » pour un logement à adresse secrète.",
    )
    address = forms.CharField(
        label="Adresse",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text="Chiffrée, affichée seulement sur demande aux personnes qui gèrent le logement et à la "
        "coordination ; chaque affichage est inscrit au journal.",
    )
    adults = forms.IntegerField(label="Adultes", min_value=1, max_value=50, initial=1)
    children = forms.IntegerField(label="Enfants", min_value=0, max_value=50, initial=0)
    cots = forms.IntegerField(label="Lits bébé", min_value=0, max_value=50, initial=0)
    accessible = forms.BooleanField(label="Accessible en fauteuil roulant", required=False)
    pets_allowed = forms.BooleanField(label="Animaux acceptés", required=False)
    rules = forms.CharField(
        label="Règles de la maison",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(label="État", choices=UnitStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, territory, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory).order_by("name")
        if editing:
            address = self.fields["address"]
            address.required = False
            address.label = "Nouvelle adresse"
            address.help_text = (
                "Laissez vide pour garder l'adresse actuelle. "
                + address.help_text.split(" ; ")[1].capitalize()
            )

    def clean(self):
        data = super().clean()
        if data.get("secret") and data.get("commune") is not None:
            self.add_error(
                "commune", "Un logement à adresse secrète n'affiche aucune commune : choisissez « Aucune »."
            )
        return data
