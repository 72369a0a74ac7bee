"""The plan's forms. Choices come from the actor's territory (axes, organisations) and, for a status, from
the status machine (`services.statuses_open_to`); the services check everything again."""

from django import forms
from django.db.models import Q
from django.utils import timezone

from maillage.actionplan.enums import ActionStatus, ContributionKind
from maillage.actionplan.models import Axis
from maillage.actionplan.services.figures import FIRST_YEAR, YEARS_AHEAD
from maillage.actionplan.services.plan import TEXT_MAX, TITLE_MAX, territory_organisations
from maillage.web.widgets import PickerCheckboxSelectMultiple

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EUROS = {"max_digits": 12, "decimal_places": 2, "min_value": 0}


def _status_choices(statuses) -> list[tuple[str, str]]:
    return [(status, ActionStatus(status).label) for status in statuses]


def _organisations(territory_id: int, keep=()):
    """The territory's active organisations, and those already chosen (`keep`) even if deactivated since."""
    return territory_organisations(territory_id).filter(Q(is_active=True) | Q(pk__in=keep)).order_by("name")


class AxisForm(forms.Form):
    title = forms.CharField(label="Intitulé de l'axe", max_length=TITLE_MAX)
    description = forms.CharField(
        label="Description", required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(forms.Form):
    axis = forms.ModelChoiceField(
        label="Axe", queryset=Axis.objects.none(), to_field_name="public_id", empty_label="Choisir…"
    )
    title = forms.CharField(label="Intitulé de l'action", max_length=TITLE_MAX)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui sera fait, pour qui, comment. Aucune information sur une victime.",
    )
    lead_organisation = forms.ModelChoiceField(
        label="Organisation pilote",
        queryset=None,
        to_field_name="public_id",
        empty_label="Choisir…",
        help_text="Ses membres pourront noter l'avancement de l'action et les valeurs atteintes.",
    )
    partners = forms.ModelMultipleChoiceField(
        label="Organisations partenaires",
        queryset=None,
        to_field_name="public_id",
        required=False,
        widget=PickerCheckboxSelectMultiple(filter_label="Filtrer les organisations par nom"),
    )
    starts_on = forms.DateField(label="Début", required=False, widget=DATE_WIDGET)
    ends_on = forms.DateField(label="Fin prévue", required=False, widget=DATE_WIDGET)
    status = forms.ChoiceField(label="État")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, territory_id: int, statuses, keep=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = Axis.objects.filter(territory_id=territory_id).order_by("number")
        organisations = _organisations(territory_id, keep)
        self.fields["lead_organisation"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["status"].choices = _status_choices(statuses)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La fin prévue de l'action ne peut pas précéder son début.")
        return data


class ProgressForm(forms.Form):
    written_on = forms.DateField(label="Date", widget=DATE_WIDGET)
    text = forms.CharField(
        label="Ce qui a été fait",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Les étapes franchies, les difficultés, la suite prévue. Aucune information sur une victime."
        ),
    )
    status = forms.ChoiceField(label="État de l'action après ce point")

    def __init__(self, *args, statuses, **kwargs):
        kwargs["initial"] = {"written_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _status_choices(statuses)

    def clean_written_on(self):
        written_on = self.cleaned_data["written_on"]
        if written_on > timezone.localdate():
            raise forms.ValidationError("La date du point d'avancement ne peut pas être dans le futur.")
        return written_on


class IndicatorForm(forms.Form):
    label = forms.CharField(label="Indicateur", max_length=200, help_text="Par exemple : « Élus formés ».")
    unit = forms.CharField(
        label="Unité", max_length=50, required=False, help_text="Par exemple : personnes, séances, affiches."
    )
    target = forms.DecimalField(label="Cible", required=False, **EUROS)
    actual = forms.DecimalField(label="Réalisé", required=False, **EUROS)


class IndicatorActualForm(forms.Form):
    """What the lead organisation changes of an indicator: the value reached."""

    actual = forms.DecimalField(label="Réalisé", required=False, **EUROS)


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Année", min_value=FIRST_YEAR, max_value=timezone.localdate().year + YEARS_AHEAD
    )


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label="Année")
    label = forms.CharField(label="Poste de dépense", max_length=200)
    planned = forms.DecimalField(label="Montant prévu (€)", **EUROS)
    spent = forms.DecimalField(label="Montant dépensé (€)", required=False, **EUROS)

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"year": timezone.localdate().year, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field()


class ContributionForm(forms.Form):
    """A partner's contribution. The organisation is chosen by the coordinator; the lead organisation's
    members record their own (the field is then absent)."""

    organisation = forms.ModelChoiceField(
        label="Partenaire", queryset=None, to_field_name="public_id", empty_label="Choisir…"
    )
    year = forms.IntegerField(label="Année")
    kind = forms.ChoiceField(label="Nature", choices=ContributionKind.choices, widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label="Montant ou valeur (€)",
        required=False,
        help_text="Obligatoire pour un financement ; facultatif pour des locaux ou une contribution en "
        "nature (leur valeur) ; vide pour du temps de personnel.",
        **EUROS,
    )
    hours = forms.DecimalField(
        label="Heures",
        required=False,
        max_digits=8,
        decimal_places=1,
        min_value=0,
        help_text="Seulement pour du temps de personnel.",
    )
    description = forms.CharField(
        label="Description",
        max_length=300,
        required=False,
        help_text="Obligatoire pour des locaux ou une contribution en nature : quoi, combien de fois.",
    )

    def __init__(self, *args, territory_id: int, own_organisation_only: bool, **kwargs):
        kwargs["initial"] = {"year": timezone.localdate().year, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields["year"] = _year_field()
        for name in ("amount", "hours", "description"):
            # Required for some kinds only: their help text says when.
            self.fields[name].marked_optional = False
        if own_organisation_only:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = _organisations(territory_id)


class FilterForm(forms.Form):
    """The plan's filters; its choices come from the lists the page already read (no query of its own)."""

    marks_optional_fields = False

    axe = forms.ChoiceField(label="Axe", required=False)
    etat = forms.ChoiceField(label="État", choices=[("", "Tous"), *ActionStatus.choices], required=False)
    pilote = forms.ChoiceField(label="Organisation pilote", required=False)

    def __init__(self, *args, axes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.axes = {str(axis.public_id): axis for axis in axes}
        self.organisations = {str(o.public_id): o for o in organisations}
        self.fields["axe"].choices = [("", "Tous"), *((key, str(a)) for key, a in self.axes.items())]
        self.fields["pilote"].choices = [
            ("", "Toutes"),
            *((key, o.name) for key, o in self.organisations.items()),
        ]

    def chosen(self) -> dict:
        """The filters as `selectors.actions_listed` takes them."""
        data = self.cleaned_data
        return {
            "axis": self.axes.get(data.get("axe") or ""),
            "status": data.get("etat") or "",
            "lead": self.organisations.get(data.get("pilote") or ""),
        }
