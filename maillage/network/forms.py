from datetime import datetime

from django import forms

from maillage.network.enums import OrganisationKind, ReferentKind, Role
from maillage.network.models import Membership, Organisation
from maillage.territories.models import Commune


def role_choices(roles: list[str]) -> list[tuple[str, str]]:
    return [(r, Role(r).label) for r in roles]


def set_role_choices(field: forms.Field, grantable: list[str], needing_approval) -> None:
    """The roles one may tick, those that will wait for the coordinator's approval said so."""
    field.choices = [
        (role, f"{label} (soumis à l'approbation de la coordination)" if role in needing_approval else label)
        for role, label in role_choices(grantable)
    ]
    field.help_text = (
        "Le rôle de personne référente communale est donné par la coordination, commune par commune."
    )
    if needing_approval:
        field.help_text = (
            "Les rôles qui donnent accès aux situations prennent effet quand la coordination du territoire "
            "les approuve ; la personne déléguée à la protection des données en est avertie. "
            + field.help_text
        )


class MembershipFieldsForm(forms.Form):
    """What a membership carries: work details and the roles this actor may grant."""

    job_title = forms.CharField(label="Fonction", max_length=200, required=False)
    work_phone = forms.CharField(label="Téléphone professionnel", max_length=30, required=False)
    roles = forms.MultipleChoiceField(
        label="Rôles",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un rôle."},
    )

    def __init__(self, *args, grantable: list[str], needing_approval: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        if not grantable:
            # One's own membership: work details only, roles are changed by someone else.
            del self.fields["roles"]
            return
        set_role_choices(self.fields["roles"], grantable, needing_approval)


class MemberInviteForm(MembershipFieldsForm):
    email = forms.EmailField(label="Adresse électronique professionnelle")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)

    field_order = ["email", "first_name", "last_name", "job_title", "work_phone", "roles"]


class MembershipEditForm(MembershipFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Set once the person saw what removing roles will change (confirmation before removing access).
    confirm_removal = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DirectorySearchForm(forms.Form):
    """The directory's search: partners' public details and communes only, never anything about victims."""

    q = forms.CharField(
        label="Organisation ou commune",
        required=False,
        max_length=100,
        help_text="Une partie du nom de l'organisation, de son adresse ou de la commune.",
    )
    type = forms.ChoiceField(
        label="Type d'organisation",
        choices=[("", "Tous les types"), *OrganisationKind.choices],
        required=False,
    )


class RefusalForm(forms.Form):
    comment = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="Il est montré à qui a fait la demande. Tenez-vous-en aux faits.",
    )


class ReferentAppointForm(forms.Form):
    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.none(), empty_label="Choisir…")
    membership = forms.ModelChoiceField(
        label="Membre du réseau",
        queryset=Membership.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
    )
    kind = forms.ChoiceField(label="Qualité", choices=ReferentKind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, communes, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["commune"].to_field_name = "public_id"
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.get_full_name() or m.user.email} — {m.organisation.name}"
        )


class OrganisationContactForm(forms.ModelForm):
    # The exact `updated_at` the form was read at (ISO 8601, microseconds kept) to refuse a stale save.
    read_at = forms.CharField(widget=forms.HiddenInput)
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["phone", "email", "address", "website", "opening_hours"]
        help_texts = {
            "phone": "Le standard ou l'accueil, jamais un numéro personnel.",
            "opening_hours": "Par exemple : « du lundi au vendredi, 9 h–12 h et 14 h–17 h, sur rendez-vous ».",  # noqa: E501
        }

    def clean_read_at(self):
        try:
            return datetime.fromisoformat(self.cleaned_data["read_at"])
        except ValueError:
            raise forms.ValidationError("Formulaire incomplet : rechargez la page.") from None
