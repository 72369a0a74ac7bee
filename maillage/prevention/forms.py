"""The forms of the prevention pages: an event, a training with its attendees per organisation, and the
lists' filters. The rules beyond a field's type are the services' (an `InvalidValue` names its field)."""

import uuid
from decimal import Decimal

from django import forms
from django.db.models import Q

from maillage.network.models import Organisation
from maillage.prevention.enums import Audience, EventKind, TrainingTopic
from maillage.prevention.selectors import WHOLE_TERRITORY
from maillage.territories.models import Commune
from maillage.web.widgets import PickerCheckboxSelectMultiple

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTENDANCE_ROWS_NEW = 5
ATTENDANCE_ROWS_MORE = 3  # blank rows after the existing ones, when a training is changed


def organisations_offered(territory_id: int, kept=()):
    """The active partners of the territory, and those already on the record (kept even if they left)."""
    return (
        Organisation.objects.filter(
            Q(territories=territory_id, is_active=True) | Q(pk__in=[o.pk for o in kept])
        )
        .distinct()
        .order_by("name")
    )


class _RecordForm(forms.Form):
    """What an event and a training share: the one-time id of a new record's form, the version read of a
    changed one, the commune, and the organisations, where the writer's own is ticked for good when it is
    always counted (`own_organisation`)."""

    organisations_field = ""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, territory_id: int, own_organisation=None, kept=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "submission" not in self.initial:
            self.initial["submission"] = uuid.uuid4()
        self.own_organisation = own_organisation
        self.fields["commune"].queryset = Commune.objects.filter(territory_id=territory_id).order_by("name")
        field = self.fields[self.organisations_field]
        field.queryset = organisations_offered(territory_id, kept)
        if own_organisation is not None:
            field.widget.fixed = str(own_organisation.public_id)
            field.help_text = (
                f"Votre organisation, {own_organisation.name}, en fait toujours partie. " + field.help_text
            )

    def values(self) -> dict:
        """The cleaned values as the services take them."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("submission", None)
        data[self.organisations_field] = list(data[self.organisations_field])
        return data


class OrganisationsPicker(PickerCheckboxSelectMultiple):
    """The organisations to tick; the writer's own (`fixed`, its public id) shown ticked and unchangeable —
    a disabled box is not sent, and the services count it anyway."""

    fixed = ""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        fixed = bool(self.fixed) and str(value) == self.fixed
        option = super().create_option(name, value, label, selected or fixed, index, subindex, attrs)
        if fixed:
            option["attrs"]["disabled"] = True
            option["label"] = f"{label} (votre organisation, toujours comptée)"
        return option


def _organisations_field(label: str, help_text: str) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=OrganisationsPicker(filter_label="Filtrer les organisations par nom"),
        help_text=help_text,
    )


class EventForm(_RecordForm):
    organisations_field = "organisations"

    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple : « Intervention au collège — classes de 4e ».",
    )
    kind = forms.ChoiceField(label="Type d'action", choices=[("", "Choisir…"), *EventKind.choices])
    held_on = forms.DateField(
        label="Date", widget=DATE_WIDGET, help_text="Pour une campagne, son premier jour."
    )
    ends_on = forms.DateField(
        label="Jusqu'au",
        required=False,
        widget=DATE_WIDGET,
        help_text="Pour une campagne seulement : son dernier jour.",
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Tout le territoire",
        to_field_name="public_id",
        help_text="« Tout le territoire » pour une campagne ou un article de presse.",
    )
    audience = forms.ChoiceField(label="Public", choices=[("", "Choisir…"), *Audience.choices])
    people_reached = forms.IntegerField(
        label="Personnes touchées",
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=(
            "Obligatoire une fois l'action passée : une estimation suffit. "
            "Laissez vide pour une action à venir."
        ),
    )
    organisations = _organisations_field(
        "Organisations impliquées", "Cochez celles qui ont animé ou soutenu l'action."
    )
    materials = forms.CharField(
        label="Supports utilisés",
        max_length=300,
        required=False,
        help_text="Par exemple : violentomètre, affiches, court métrage, plaquettes des numéros d'urgence.",
    )
    description = forms.CharField(
        label="Description",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Déroulé, retours du public. Aucun nom de victime ni de personne suivie.",
    )

    field_order = [
        "title",
        "kind",
        "held_on",
        "ends_on",
        "commune",
        "audience",
        "people_reached",
        "organisations",
        "materials",
        "description",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The empty choice is an answer (the whole territory); the count is required once the event is past.
        self.fields["commune"].marked_optional = False
        self.fields["people_reached"].marked_optional = False


class TrainingForm(_RecordForm):
    organisations_field = "trainer_organisations"

    title = forms.CharField(
        label="Intitulé",
        max_length=200,
        help_text="Par exemple : « Repérer les violences conjugales — référents des mairies ».",
    )
    topic = forms.ChoiceField(label="Thème", choices=[("", "Choisir…"), *TrainingTopic.choices])
    held_on = forms.DateField(label="Date", widget=DATE_WIDGET, help_text="La formation a déjà eu lieu.")
    hours = forms.DecimalField(
        label="Durée (heures)",
        min_value=Decimal("0.1"),
        max_value=100,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Par exemple 3 ou 1,5.",
    )
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        required=False,
        empty_label="Aucune en particulier",
        to_field_name="public_id",
    )
    trainer_organisations = _organisations_field(
        "Organisations formatrices", "Cochez celles qui ont donné la formation."
    )
    trainers = forms.CharField(
        label="Intervenants",
        max_length=300,
        required=False,
        help_text="Par exemple : « juriste du CIDFF, gendarme référente violences intrafamiliales ».",
    )

    field_order = ["title", "topic", "held_on", "hours", "commune", "trainer_organisations", "trainers"]


class AttendanceForm(forms.Form):
    """One row: an organisation and how many of its people attended. Its choices are computed once for the
    whole formset (`choices`, `by_public_id`), not one query per row."""

    organisation = forms.ChoiceField(label="Organisation", required=False)
    attendees = forms.IntegerField(label="Participants", min_value=1, max_value=1000, required=False)

    def __init__(self, *args, choices, by_public_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choisir…"), *choices]
        self.by_public_id = by_public_id

    def clean(self):
        data = super().clean()
        organisation, attendees = data.get("organisation"), data.get("attendees")
        if organisation and attendees is None and "attendees" not in self.errors:
            self.add_error("attendees", "Indiquez combien de personnes de cette organisation ont participé.")
        if attendees is not None and not organisation:
            self.add_error("organisation", "Choisissez l'organisation de ces participants.")
        data["organisation"] = self.by_public_id.get(organisation) if organisation else None
        return data


class BaseAttendanceFormSet(forms.BaseFormSet):
    legend = "Participants, ligne"

    def clean(self):
        if any(self.errors):
            return
        seen = set()
        rows = 0
        for form in self.forms:
            organisation = form.cleaned_data.get("organisation")
            if organisation is None:
                continue
            rows += 1
            if organisation.pk in seen:
                form.add_error(
                    "organisation",
                    f"« {organisation.name} » figure déjà sur une autre ligne : regroupez ses participants.",
                )
            seen.add(organisation.pk)
        if not rows:
            raise forms.ValidationError("Indiquez au moins une organisation et son nombre de participants.")

    def rows(self) -> list[tuple]:
        return [
            (form.cleaned_data["organisation"], form.cleaned_data["attendees"])
            for form in self.forms
            if form.cleaned_data.get("organisation") is not None
        ]


AttendanceFormSet = forms.formset_factory(
    AttendanceForm, formset=BaseAttendanceFormSet, extra=0, max_num=60, validate_max=True
)


def attendance_formset(data=None, *, territory_id: int, training=None):
    """The attendance rows: the training's, then blank ones to fill."""
    existing = list(training.attendances.all()) if training else []
    organisations = list(organisations_offered(territory_id, [a.organisation for a in existing]))
    initial = [{"organisation": str(a.organisation.public_id), "attendees": a.attendees} for a in existing]
    blank = ATTENDANCE_ROWS_MORE if training else ATTENDANCE_ROWS_NEW
    formset = AttendanceFormSet(
        data,
        initial=initial,
        prefix="participants",
        form_kwargs={
            "choices": [(str(o.public_id), o.name) for o in organisations],
            "by_public_id": {str(o.public_id): o for o in organisations},
        },
    )
    formset.extra = blank
    return formset


class DeleteForm(forms.Form):
    """The deletion's button carries the version read: a record changed meanwhile is not deleted unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class _FilterForm(forms.Form):
    marks_optional_fields = False

    year = forms.TypedChoiceField(label="Année", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Toutes"), *((str(y), str(y)) for y in years)]

    def filters(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}


class EventFilterForm(_FilterForm):
    kind = forms.ChoiceField(label="Type", choices=[("", "Tous"), *EventKind.choices], required=False)
    commune = forms.ChoiceField(label="Commune", required=False)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [
            ("", "Toutes"),
            (WHOLE_TERRITORY, "Tout le territoire (sans commune)"),
            *((str(c.public_id), c.name) for c in communes),
        ]


class TrainingFilterForm(_FilterForm):
    topic = forms.ChoiceField(label="Thème", choices=[("", "Tous"), *TrainingTopic.choices], required=False)
