"""Forms of the situation pages. They check the input; the rules live in the services."""

from django import forms
from django.utils import timezone
from django.utils.http import urlencode

from maillage.network.models import Membership, Organisation
from maillage.situations import policies
from maillage.situations.enums import (
    NOTE_VISIBILITY_CHOICES,
    ConsentAnswer,
    ContactChannel,
    DetectionSource,
    NoteVisibility,
    PersonRole,
    Sex,
    SituationStatus,
    TimelineKind,
    ViolenceType,
)
from maillage.territories.models import Commune
from maillage.web.forms import PeriodFilterForm
from maillage.web.widgets import PickerCheckboxSelectMultiple

DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
YES_NO = [("non", "Non"), ("oui", "Oui")]


def _yes(value: str) -> bool:
    return value == "oui"


def member_label(membership: Membership) -> str:
    return f"{membership.user.get_full_name() or membership.user.email} — {membership.organisation.name}"


class DetectionFieldsForm(forms.Form):
    """Where, when, how the situation was detected: tick-boxes rather than free text."""

    commune = forms.ModelChoiceField(
        label="Commune", queryset=Commune.objects.none(), empty_label="Choisir…", to_field_name="public_id"
    )
    detected_on = forms.DateField(label="Date du repérage", **DATE_WIDGET)
    sources = forms.MultipleChoiceField(
        label="Source du repérage",
        choices=DetectionSource.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins une source du repérage."},
    )
    violence_types = forms.MultipleChoiceField(
        label="Types de violences",
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un type de violences."},
    )
    urgent = forms.TypedChoiceField(
        label="La victime est-elle en danger immédiat ?",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez s'il y a un danger immédiat."},
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory)

    def clean_detected_on(self):
        detected_on = self.cleaned_data["detected_on"]
        if detected_on > timezone.localdate():
            raise forms.ValidationError("La date du repérage ne peut pas être dans le futur.")
        return detected_on


class ReportForm(DetectionFieldsForm):
    consent_answer = forms.ChoiceField(
        label="La victime accepte-t-elle que ces informations soient partagées avec le réseau ?",
        choices=ConsentAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez la réponse de la victime, ou qu'elle n'a pas pu être demandée."
        },
    )
    consent_organisations = forms.ModelMultipleChoiceField(
        label="Organisations avec lesquelles elle accepte le partage",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=PickerCheckboxSelectMultiple(filter_label="Filtrer les organisations par nom"),
        help_text="Seulement si elle accepte. Une organisation non cochée ne pourra être associée qu'avec "
        "un nouvel accord, ou en cas de danger immédiat.",
        # Required only once consent is given (clean()); report-steps.js shows the same message.
        error_messages={
            "required": "Cochez les organisations avec lesquelles la victime accepte le partage."
        },
    )
    safe_channels = forms.MultipleChoiceField(
        label="Moyens de la contacter sans danger",
        choices=ContactChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne cochez que ce que la victime a confirmé. Un moyen non coché sera refusé par "
        "l'application (l'auteur présumé pourrait lire ses messages ou entendre ses appels).",
    )
    safe_hours = forms.CharField(
        label="Horaires sûrs",
        max_length=100,
        required=False,
        help_text="Par exemple : « en semaine, 9 h–11 h ».",
    )
    code_word = forms.CharField(
        label="Mot convenu avec la victime",
        max_length=100,
        required=False,
        help_text="Chiffré ; visible seulement des personnes qui voient son identité.",
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, territory=territory, **kwargs)
        self.fields["detected_on"].initial = timezone.localdate()
        self.fields["consent_organisations"].queryset = Organisation.objects.filter(
            territories=territory, is_active=True
        )
        self.fields["consent_organisations"].marked_optional = False  # required once consent is given

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_answer") == ConsentAnswer.GIVEN and not cleaned.get("consent_organisations"):
            self.add_error(
                "consent_organisations", self.fields["consent_organisations"].error_messages["required"]
            )
        return cleaned

    def report_arguments(self) -> dict:
        data = self.cleaned_data
        allowed = set(data["safe_channels"])
        return {
            "commune": data["commune"],
            "detected_on": data["detected_on"],
            "sources": data["sources"],
            "violence_types": data["violence_types"],
            "urgent": data["urgent"],
            "consent": {
                "answer": data["consent_answer"],
                "organisations": list(data["consent_organisations"]),
            },
            "safe_contacts": [
                {
                    "channel": channel,
                    "allowed": channel in allowed,
                    "safe_hours": data["safe_hours"] if channel in allowed else "",
                    "code_word": data["code_word"],
                }
                for channel in ContactChannel.values
            ],
        }


class ReportedPersonMixin:
    """A person typed in the report, as the service takes it: its role, the typed fields, a sex by default."""

    role: str

    def person(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}
        data["sex"] = data.get("sex") or Sex.UNKNOWN
        return {"role": self.role, **data}


class VictimForm(ReportedPersonMixin, forms.Form):
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom d'usage", max_length=150, required=False)
    birth_name = forms.CharField(label="Nom de naissance", max_length=150, required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, **DATE_WIDGET)
    phone = forms.CharField(label="Téléphone", max_length=40, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    address = forms.CharField(label="Adresse", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    role = PersonRole.VICTIM

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            raise forms.ValidationError("La date de naissance ne peut pas être dans le futur.")
        return birth_date


class ChildForm(ReportedPersonMixin, forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    age = forms.IntegerField(label="Âge (ans)", min_value=0, max_value=17, required=False)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, initial=Sex.UNKNOWN, required=False)

    role = PersonRole.CHILD

    def clean(self):
        cleaned = super().clean()
        if self.has_changed() and not cleaned.get("first_name") and cleaned.get("age") is None:
            raise forms.ValidationError("Pour un enfant, indiquez au moins son prénom ou son âge.")
        return cleaned


class PerpetratorForm(ReportedPersonMixin, forms.Form):
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, initial=Sex.UNKNOWN, required=False)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)

    role = PersonRole.PERPETRATOR


VictimFormSet = forms.formset_factory(VictimForm, extra=1, max_num=5, validate_max=True)
ChildFormSet = forms.formset_factory(ChildForm, extra=3, max_num=12, validate_max=True)
PerpetratorFormSet = forms.formset_factory(PerpetratorForm, extra=1, max_num=5, validate_max=True)
# What the page calls each block ("Enfant 2"), and the error summary with it.
VictimFormSet.legend, ChildFormSet.legend, PerpetratorFormSet.legend = "Victime", "Enfant", "Auteur présumé"


def report_formsets(data=None) -> dict:
    return {
        "victims": VictimFormSet(data, prefix="victime"),
        "children": ChildFormSet(data, prefix="enfant"),
        "perpetrators": PerpetratorFormSet(data, prefix="auteur"),
    }


def persons_from(formsets: dict) -> list[dict]:
    """Persons typed in the report; an empty victim form still records one victim (identity unknown)."""
    persons = []
    for formset in formsets.values():
        persons += [form.person() for form in formset.forms if form.has_changed()]
    if not any(p["role"] == PersonRole.VICTIM for p in persons):
        persons.insert(0, {"role": PersonRole.VICTIM, "sex": Sex.UNKNOWN})
    return persons


class SituationEditForm(DetectionFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, can_change_commune: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if can_change_commune:
            self.fields["commune"].help_text = (
                "Changer de commune change les personnes référentes qui voient la situation : elles en sont "
                "averties."
            )
        else:
            del self.fields["commune"]  # a coordination decision (policies.can_change_commune)


ALL_STATUSES = "toutes"


class FilterForm(PeriodFilterForm):
    """The list's filters, sent in the address (GET). Never a person's name: see NameSearchForm."""

    q = forms.CharField(
        label="Pseudonyme", max_length=20, required=False, help_text="Par exemple : S-2026-0042."
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Toutes",
        to_field_name="public_id",
    )
    # Open situations unless asked otherwise: closed ones are what a day's work rarely needs.
    status = forms.ChoiceField(
        label="État",
        choices=[("", "Ouvertes (nouvelles et suivies)"), *SituationStatus.choices, (ALL_STATUSES, "Toutes")],
        required=False,
    )
    urgent = forms.TypedChoiceField(
        label="Danger immédiat",
        choices=[("", "Indifférent"), ("oui", "Oui"), ("non", "Non")],
        coerce=_yes,
        empty_value=None,
        required=False,
    )
    date_from = forms.DateField(label="Repérée depuis le", required=False, **DATE_WIDGET)
    date_to = forms.DateField(label="Jusqu'au (inclus)", required=False, **DATE_WIDGET)

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territory=territory)

    def filters(self) -> dict:
        """The valid filters, as `selectors.situations_listed` takes them (the API passes the same)."""
        if not self.is_bound:
            return {"status": "open"}
        if not self.is_valid():
            return {}
        filters = dict(self.cleaned_data)
        filters["status"] = {"": "open", ALL_STATUSES: None}.get(filters["status"], filters["status"])
        if filters["commune"] is not None:
            filters["commune"] = filters["commune"].public_id
        return filters

    def query(self) -> str:
        """The filters as pagination links repeat them: this form's fields only, whatever else the address
        carried (an old bookmark's `name=…` is neither used nor repeated)."""
        if not self.is_bound:
            return ""
        return urlencode({name: self.data[name] for name in self.fields if self.data.get(name)})


class TimelineForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=TimelineKind.choices, widget=forms.RadioSelect)
    occurred_on = forms.DateField(label="Date", **DATE_WIDGET)
    channel = forms.ChoiceField(
        label="Moyen de contact utilisé",
        choices=[("", "Aucun (pas de contact avec la victime)"), *ContactChannel.choices],
        required=False,
        help_text="Obligatoire pour un contact. Un moyen non indiqué comme sûr sera refusé.",
    )
    visibility = forms.ChoiceField(
        label="Qui pourra lire cette entrée ?",
        choices=NOTE_VISIBILITY_CHOICES,
        widget=forms.RadioSelect,
        help_text="Du plus restreint au plus large. Choisissez le plus restreint qui suffit au suivi.",
    )
    medical = forms.BooleanField(
        label="Information médicale",
        required=False,
        help_text="Pour un établissement de santé : elle reste dans votre organisation tant que la victime "
        "n'a pas donné son accord au partage.",
    )
    body = forms.CharField(
        label="Texte",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Des faits utiles au suivi, sans jugement ni détail intime superflu.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["kind"].initial = TimelineKind.NOTE
        self.fields["visibility"].initial = NoteVisibility.PARTICIPANTS
        self.fields["channel"].marked_optional = False  # required for a contact, as its help text says

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == TimelineKind.CONTACT and not cleaned.get("channel"):
            self.add_error("channel", "Indiquez le moyen utilisé pour contacter la victime.")
        return cleaned


def task_owner_candidates(situation):
    """Whoever may open the situation (the policy's reverse side): a task is for someone who can act on it."""
    return (
        policies.memberships_seeing(situation)
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")
    )


class TaskForm(forms.Form):
    title = forms.CharField(
        label="Tâche", max_length=200, help_text="Par exemple : « proposer un rendez-vous au CIDFF »."
    )
    owner = forms.ModelChoiceField(
        label="Confiée à",
        queryset=Membership.objects.none(),
        empty_label="Choisir…",
        to_field_name="public_id",
    )
    due_on = forms.DateField(label="Échéance", **DATE_WIDGET)

    def __init__(self, *args, situation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = task_owner_candidates(situation)
        self.fields["owner"].label_from_instance = member_label


class PersonForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=PersonRole.choices)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, initial=Sex.UNKNOWN)
    age = forms.IntegerField(label="Âge (ans)", min_value=0, max_value=120, required=False)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom d'usage", max_length=150, required=False)
    birth_name = forms.CharField(label="Nom de naissance", max_length=150, required=False)
    birth_date = forms.DateField(label="Date de naissance", required=False, **DATE_WIDGET)
    phone = forms.CharField(label="Téléphone", max_length=40, required=False)
    email = forms.EmailField(label="Courriel", required=False)
    address = forms.CharField(label="Adresse", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SafeContactsForm(forms.Form):
    """One row per channel: safe or not, safe hours, code word."""

    def __init__(self, *args, contacts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for channel, label in ContactChannel.choices:
            contact = contacts.get(channel)
            self.fields[f"allowed_{channel}"] = forms.BooleanField(
                label=f"{label} : sans danger", required=False, initial=bool(contact and contact.allowed)
            )
            self.fields[f"hours_{channel}"] = forms.CharField(
                label=f"{label} : horaires sûrs",
                max_length=100,
                required=False,
                initial=contact.safe_hours if contact else "",
            )
            self.fields[f"code_{channel}"] = forms.CharField(
                label=f"{label} : mot convenu",
                max_length=100,
                required=False,
                initial=contact.code_word if contact else "",
            )

    def rows(self):
        return [
            (label, self[f"allowed_{channel}"], self[f"hours_{channel}"], self[f"code_{channel}"])
            for channel, label in ContactChannel.choices
        ]

    def contacts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "channel": channel,
                "allowed": data[f"allowed_{channel}"],
                "safe_hours": data[f"hours_{channel}"],
                "code_word": data[f"code_{channel}"],
            }
            for channel in ContactChannel.values
        ]


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label="Réponse de la victime", choices=ConsentAnswer.choices, widget=forms.RadioSelect
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations avec lesquelles elle accepte le partage",
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recorded_on = forms.DateField(label="Recueilli le", **DATE_WIDGET)

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            territories=territory, is_active=True
        )
        self.fields["organisations"].marked_optional = False  # required once consent is given
        self.fields["recorded_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == ConsentAnswer.GIVEN and not cleaned.get("organisations"):
            self.add_error(
                "organisations", "Cochez les organisations avec lesquelles la victime accepte le partage."
            )
        return cleaned


class EmergencyAccessForm(forms.Form):
    pseudonym = forms.CharField(
        label="Pseudonyme de la situation", max_length=20, help_text="Par exemple : S-2026-0042."
    )
    reason = forms.CharField(
        label="Pourquoi cet accès est-il urgent ?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Il sera lu par la coordination et la personne déléguée à la protection des données.",
    )
    code = forms.CharField(
        label="Code de votre application d'authentification",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Saisissez le code à 6 chiffres affiché en ce moment.",
    )

    def clean_pseudonym(self):
        return self.cleaned_data["pseudonym"].strip().upper()
