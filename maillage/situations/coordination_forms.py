"""Forms of the coordinator's pages: organisations following a situation, its referent, restriction,
exclusions, closing, and the review of emergency accesses (with the coordinator, the DPO)."""

from django import forms

from maillage.accounts.models import User
from maillage.network.enums import Role
from maillage.network.models import Membership, Organisation
from maillage.situations.enums import ClosureReason, LegalGround
from maillage.situations.forms import member_label
from maillage.web.widgets import PickerCheckboxSelectMultiple


class ParticipantForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
    )
    legal_ground = forms.ChoiceField(
        label="Fondement du partage",
        # "own mission" belongs to the reporting organisation only; adding one needs consent or danger.
        choices=[(g.value, g.label) for g in (LegalGround.CONSENT, LegalGround.IMMEDIATE_DANGER)],
        widget=forms.RadioSelect,
        initial=LegalGround.CONSENT,
    )

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            territories=situation.territory_id, is_active=True
        ).exclude(pk__in=situation.participations.values("organisation_id"))


class ReferentForm(forms.Form):
    membership = forms.ModelChoiceField(
        label="Personne référente de la situation",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Aucune personne",
        to_field_name="public_id",
    )

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.active()
            .filter(territory_id=situation.territory_id, role_set__role=Role.REFERENT)
            .select_related("user", "organisation")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["membership"].label_from_instance = member_label
        if situation.referent_id:
            self.fields["membership"].initial = situation.referent.public_id


def territory_users(territory_id):
    return (
        User.objects.filter(memberships__in=Membership.objects.active().filter(territory_id=territory_id))
        .distinct()
        .order_by("last_name", "first_name")
    )


class RestrictForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la restriction",
        max_length=200,
        help_text="Par exemple : « la victime travaille dans une organisation du réseau ». Sans nom.",
    )
    named_users = forms.ModelMultipleChoiceField(
        label="Personnes autorisées (en plus de la coordination)",
        queryset=User.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=PickerCheckboxSelectMultiple(filter_label="Filtrer les personnes par nom ou adresse"),
        help_text="Cochez chaque personne ; le champ de filtre réduit la liste.",
    )

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named_users"].queryset = territory_users(situation.territory_id)
        self.fields["named_users"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.email} ({u.email})"
        )


class ExclusionForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Personne à écarter",
        queryset=User.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
    )
    reason = forms.CharField(
        label="Motif (conflit d'intérêts)", max_length=200, help_text="Sans nom de la victime."
    )

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = territory_users(situation.territory_id).exclude(
            pk__in=situation.exclusions.values("user_id")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.email} ({u.email})"


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="Motif de clôture", choices=[("", "Choisir…"), *ClosureReason.choices])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Cet accès était-il justifié ?",
        choices=[("justified", "Justifié"), ("unjustified", "Injustifié")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire si l'accès n'était pas justifié.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "unjustified" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Expliquez pourquoi cet accès n'était pas justifié.")
        return cleaned
