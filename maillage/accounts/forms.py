from django import forms


class SwitchMembershipForm(forms.Form):
    membership = forms.ChoiceField(label="Adhésion active", widget=forms.RadioSelect)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].choices = [
            (str(m.public_id), f"{m.organisation.name} — {m.territory.name} ({', '.join(m.role_labels)})")
            for m in memberships
        ]
