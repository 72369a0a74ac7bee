from django import forms


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
