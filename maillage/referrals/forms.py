"""Forms of the referrals pages: referring a situation, declining with a reason, and the list's filters."""

from django import forms

from maillage.network.models import Organisation
from maillage.referrals.enums import ReferralNeed, ReferralStatus
from maillage.situations.enums import LegalGround


class ReferralForm(forms.Form):
    receiver = forms.ModelChoiceField(
        label="Organisation vers laquelle orienter",
        queryset=Organisation.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
        help_text="Toute organisation de l'annuaire du réseau de votre territoire.",
    )
    needs = forms.MultipleChoiceField(
        label="Besoins", choices=ReferralNeed.choices, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label="Motif de l'orientation",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Le strict nécessaire, sans nom : l'organisation le lit avant d'accepter.",
    )
    legal_ground = forms.ChoiceField(
        label="Fondement du partage",
        choices=[(g.value, g.label) for g in (LegalGround.CONSENT, LegalGround.IMMEDIATE_DANGER)],
        widget=forms.RadioSelect,
        help_text="Le consentement enregistré doit nommer cette organisation ; le danger immédiat est "
        "inscrit au journal d'audit.",
    )

    def __init__(self, *args, situation, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = (
            Organisation.objects.filter(territories=situation.territory_id, is_active=True)
            .exclude(pk=actor.membership.organisation_id)
            .order_by("name")
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    """Accept, done, cancel: the version the person read, so that a second click or a colleague's answer
    in between is refused instead of acting twice."""

    version = forms.IntegerField(widget=forms.HiddenInput)


DIRECTIONS = [
    ("received", "Reçues par mon organisation"),
    ("sent", "Envoyées par mon organisation"),
    ("all", "Toutes celles que je vois"),
]


class FilterForm(forms.Form):
    marks_optional_fields = False

    direction = forms.ChoiceField(label="Orientations", choices=DIRECTIONS, required=False)
    status = forms.ChoiceField(label="État", choices=[("", "Tous"), *ReferralStatus.choices], required=False)
    unanswered = forms.BooleanField(label="Restées sans réponse seulement", required=False)
