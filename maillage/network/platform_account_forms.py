"""Forms of the technical administrator's account pages."""

from django import forms

from maillage.network.forms import set_role_choices
from maillage.network.models import Organisation
from maillage.territories.models import Territory


class UserSearchForm(forms.Form):
    marks_optional_fields = False  # a filter: every field is optional
    q = forms.CharField(label="Nom ou adresse électronique", max_length=100, required=False)

    def words(self) -> list[str]:
        return self.cleaned_data["q"].split() if self.is_valid() else []


class UserCreateForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique professionnelle")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.filter(is_active=True).prefetch_related("territories").order_by("name"),
        to_field_name="public_id",
        empty_label="Choisir…",
    )
    territory = forms.ModelChoiceField(
        label="Territoire",
        queryset=Territory.objects.order_by("name"),
        to_field_name="public_id",
        empty_label="Choisir…",
    )
    roles = forms.MultipleChoiceField(
        label="Rôles",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un rôle."},
    )
    job_title = forms.CharField(label="Fonction", max_length=200, required=False)
    work_phone = forms.CharField(label="Téléphone professionnel", max_length=30, required=False)

    def __init__(self, *args, grantable: list[str], needing_approval: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        set_role_choices(self.fields["roles"], grantable, needing_approval)
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} ({', '.join(t.name for t in o.territories.all()) or 'aucun territoire'})"
        )

    def clean(self):
        cleaned = super().clean()
        organisation, territory = cleaned.get("organisation"), cleaned.get("territory")
        if organisation and territory and territory not in organisation.territories.all():
            served = ", ".join(t.name for t in organisation.territories.all()) or "aucun"
            self.add_error(
                "territory",
                f"{organisation.name} n'intervient pas sur ce territoire (ses territoires : {served}).",
            )
        return cleaned
