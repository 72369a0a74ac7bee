"""The statistics dashboard (`/statistiques/`) and its download: the yearly indicators (ADR 0040) for the
coordinator — exact, marked « diffusion restreinte », any year and any set of communes — and for the
observer — under disclosure control (ADR 0039): ended years only, the whole territory, each count from 1 to
threshold − 1 shown as « < 11 » and complementary counts hidden. The download is protected for everyone."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from maillage.network.enums import Role
from maillage.stats import charts, disclosure, open_data
from maillage.stats.dashboard import long_rows, shown
from maillage.stats.forms import DashboardForm, YearForm
from maillage.stats.indicators import INDICATORS, Scope
from maillage.stats.selectors import threshold_for, years_open
from maillage.web.access import member
from maillage.web.spreadsheets import (
    FORMAT_LABELS,
    ExportForm,
    spreadsheet_export,
    spreadsheet_response,
)


@member(Role.COORDINATOR, Role.OBSERVER)
def dashboard(request):
    actor = request.actor
    territory = actor.territory
    exact = actor.has_role(Role.COORDINATOR)
    years = years_open(territory, exact=exact)
    communes = territory.communes.order_by("name") if exact else None
    form = DashboardForm(request.GET or None, years=years, communes=communes)
    context = {
        "page_title": "Statistiques",
        "form": form,
        "exact": exact,
        "years": years,
        "observer_only": actor.roles == {Role.OBSERVER},
        "threshold": threshold_for(territory),
    }
    if not years:
        return render(request, "stats/dashboard.html", {**context, "tables": None})
    year, chosen = form.chosen(default_year=years[0])
    if not exact:
        refusal = disclosure.view_refusal(
            years=[year], communes=None, territory_communes=[], today=timezone.localdate()
        )
        if refusal:  # the form's choices already keep to ended years: a guard, not a path
            year = years[0]
    threshold = context["threshold"]
    scope = Scope.of(territory, year, communes=chosen or None)
    previous = scope.previous()
    tables = []
    for indicator in INDICATORS:
        current = shown(indicator.compute(scope), threshold=threshold, exact=exact)
        before = shown(indicator.compute(previous), threshold=threshold, exact=exact)
        drawn = charts.chart(current, before, year=year, previous_year=year - 1)
        tables.append((current, before, drawn))
    downloads = [
        (label, f"{reverse('statistics:export')}?annee={year}&format={code}")
        for code, label in FORMAT_LABELS.items()
    ]
    downloads.append(("Rapport annuel (PDF)", f"{reverse('statistics:report')}?annee={year}"))
    open_files = [
        (label, f"{reverse(f'statistics:open_data_{code}')}?annee={year}")
        for code, label in (("csv", "CSV"), ("json", "JSON"))
    ]
    return render(
        request,
        "stats/dashboard.html",
        {
            **context,
            "page_title": f"Statistiques {year}",
            "year": year,
            "previous_year": year - 1,
            "chosen_communes": chosen,
            "tables": tables,
            "downloads": downloads,
            "open_data": open_files,
            "licence": open_data.LICENCE,
            "restricted_mark": disclosure.RESTRICTED_MARK,
        },
    )


def file_year(form, years: list[int]) -> int | None:
    """The ended year a file is asked for — the last one when none is asked — or None when refused."""
    if not form.is_valid():
        return None
    year = form.cleaned_data["annee"]
    if year is None and years:
        year = years[0]
    return year if year in years else None


def refused(request, form, years: list[int], formats: str):
    return render(
        request,
        "stats/export_refused.html",
        {"page_title": "Téléchargement impossible", "years": years, "form": form, "formats": formats},
        status=400,
    )


@member(Role.COORDINATOR, Role.OBSERVER)
@spreadsheet_export
def export(request):
    """Every indicator of an ended year for the whole territory, one figure a line, under disclosure control
    whoever downloads it (a file leaves the platform)."""
    actor = request.actor
    territory = actor.territory
    form = ExportForm(request.GET)
    years = years_open(territory, exact=False)
    year = file_year(form, years)
    if year is None:
        return refused(request, form, years, "CSV ou Excel")
    threshold = threshold_for(territory)
    scope = Scope.of(territory, year)
    rows = [
        line
        for indicator in INDICATORS
        for line in long_rows(shown(indicator.compute(scope), threshold=threshold, exact=False))
    ]
    return spreadsheet_response(
        f"statistiques {year}",
        ["Indicateur", "Ligne", "Colonne", "Valeur"],
        rows,
        form.cleaned_data["format"],
        actor=actor,
        facts={"kind": "statistics", "year": year, "threshold": threshold},
    )


def _open_data(request, respond):
    """The open-data file of an ended year (`open_data.py`), protected whoever downloads it."""
    territory = request.actor.territory
    form = YearForm(request.GET)
    years = years_open(territory, exact=False)
    year = file_year(form, years)
    if year is None:
        return refused(request, form, years, "CSV ou JSON")
    return respond(territory, year, threshold=threshold_for(territory), actor=request.actor)


@member(Role.COORDINATOR, Role.OBSERVER)
@spreadsheet_export
def open_data_csv(request):
    return _open_data(request, open_data.csv_response)


@member(Role.COORDINATOR, Role.OBSERVER)
def open_data_json(request):
    return _open_data(request, open_data.json_response)
