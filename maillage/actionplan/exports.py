"""The action plan's « Tableur » page and its download (ADR 0037): the territory's actions with their axis,
lead, partners, dates, status, indicators and last progress update, as CSV or XLSX, for one year or all.
Nothing here is nominative: every active member of the territory may download it, observers included."""

import datetime
from decimal import Decimal

from django.db.models import Max, Prefetch, Q
from django.urls import reverse

from maillage.actionplan.models import Action
from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.web.access import member
from maillage.web.spreadsheets import (
    Export,
    ExportForm,
    spreadsheet_export,
    spreadsheet_response,
    spreadsheets_page,
)

HEADER = (
    "Axe",
    "Intitulé de l'axe",
    "Intitulé",
    "Description",
    "Pilote",
    "Partenaires",
    "Début",
    "Fin",
    "Statut",
    "Indicateurs (réalisé / cible)",
    "Dernier point d'avancement",
)


def actions_exported(territory, year: int | None):
    """The territory's actions; for a year, those running some time in it (no start: since ever; no end:
    still running)."""
    actions = (
        Action.objects.filter(territory=territory)
        .select_related("axis", "lead_organisation")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("name")),
            "indicators",
        )
        .annotate(last_progress=Max("progress_updates__written_on"))
        .order_by("axis__number", "title", "pk")
    )
    if year:
        actions = actions.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=datetime.date(year, 12, 31)),
            Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date(year, 1, 1)),
        )
    return actions


def figure(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return (
        str(value.to_integral()) if value == value.to_integral() else str(value.normalize()).replace(".", ",")
    )


def _indicators(action: Action) -> str:
    return " ; ".join(
        f"{indicator.label} : {figure(indicator.actual)} / {figure(indicator.target)}"
        + (f" {indicator.unit}" if indicator.unit else "")
        for indicator in action.indicators.all()
    )


def _row(action: Action) -> tuple:
    return (
        action.axis.number,
        action.axis.title,
        action.title,
        action.description,
        action.lead_organisation.name,
        ", ".join(org.name for org in action.partners.all()),
        action.starts_on,
        action.ends_on,
        action.get_status_display(),
        _indicators(action),
        action.last_progress,
    )


def _page(request, form=None, status=200):
    return spreadsheets_page(
        request,
        title="Plan d'action : tableur",
        back=(reverse("actionplan:plan"), "Retour au plan d'action"),
        exports=[
            Export(
                "Actions du plan d'action",
                reverse("actionplan_spreadsheets:actions_export"),
                "Une ligne par action : axe, pilote, partenaires, dates, statut, indicateurs et date du "
                "dernier point d'avancement. Pour une année : les actions en cours cette année-là.",
            )
        ],
        import_url=reverse("actionplan_spreadsheets:import")
        if request.actor.has_role(Role.COORDINATOR)
        else None,
        form=form,
        status=status,
    )


@member()
def index(request):
    return _page(request)


@member()
@spreadsheet_export
def actions_export(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["annee"]
    actions = actions_exported(request.actor.membership.territory, year)
    return spreadsheet_response(
        f"plan d'action {year}" if year else "plan d'action",
        HEADER,
        (_row(action) for action in actions),
        form.cleaned_data["format"],
        actor=request.actor,
        facts={"kind": "actions", "year": year},
    )
