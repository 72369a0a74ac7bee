from django import forms

from maillage.stats.disclosure import MINIMUM_THRESHOLD
from maillage.stats.services import MAXIMUM_THRESHOLD


class PeriodForm(forms.Form):
    """The year the recognition pages show (GET); « Toutes les années » is the empty choice."""

    annee = forms.TypedChoiceField(label="Année", coerce=int, empty_value=None, required=False)

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["annee"].choices = [*((y, str(y)) for y in years), ("", "Toutes les années")]
        self.fields["annee"].initial = years[0]

    def year(self, default: int) -> int | None:
        if not self.is_bound or "annee" not in self.data:
            return default
        return self.cleaned_data["annee"] if self.is_valid() else default


class DashboardForm(forms.Form):
    """The year (and, for the coordinator, the communes) the dashboard shows (GET)."""

    annee = forms.TypedChoiceField(label="Année", coerce=int)
    communes = forms.ModelMultipleChoiceField(
        label="Communes",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucune cochée : tout le territoire.",
    )

    def __init__(self, data, *, years: list[int], communes=None):
        super().__init__(data)
        self.fields["annee"].choices = [(y, str(y)) for y in years]
        self.fields["annee"].initial = years[0] if years else None
        if communes is None:
            del self.fields["communes"]
        else:
            self.fields["communes"].queryset = communes

    def chosen(self, default_year: int) -> tuple[int, list]:
        if not self.is_bound or not self.is_valid():
            return default_year, []
        return self.cleaned_data["annee"], list(self.cleaned_data.get("communes") or [])


class YearForm(forms.Form):
    """The year of a file (GET: the open data, the annual report): an ended year, the last one when empty."""

    marks_optional_fields = False

    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)


class ThresholdForm(forms.Form):
    """The territory's disclosure threshold; `vu` carries the value the page showed (a concurrent change is
    refused, not overwritten)."""

    seuil = forms.IntegerField(
        label="Seuil de diffusion",
        min_value=MINIMUM_THRESHOLD,
        max_value=MAXIMUM_THRESHOLD,
        help_text=(
            f"Les effectifs de 1 au seuil moins un sont affichés « < seuil » partout où les chiffres sont "
            f"publiés. Au moins {MINIMUM_THRESHOLD} ; 11 est la valeur recommandée."
        ),
    )
    vu = forms.IntegerField(widget=forms.HiddenInput)
