"""The recognition pages: the network's page (every partner's contribution side by side) and one page per
organisation. Aggregates only (stats/recognition.py); every member of the territory may read them, the
data being nominative nowhere. Another territory's organisation is missing (404)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.stats import disclosure, recognition, recognition_disclosure
from maillage.stats.forms import PeriodForm
from maillage.stats.selectors import threshold_for
from maillage.web.access import member
from maillage.web.spreadsheets import (
    FORMAT_LABELS,
    Export,
    ExportForm,
    spreadsheet_export,
    spreadsheet_response,
    spreadsheets_page,
)


def _period(request, territory) -> tuple[PeriodForm, recognition.Period]:
    years = recognition.years_with_activity(territory)
    form = PeriodForm(request.GET or None, years=years)
    return form, recognition.Period(form.year(default=timezone.localdate().year))


def _shown(actor, period, *, exact: bool) -> recognition_disclosure.Shown:
    """Every partner's figures and the network's totals, exact for the coordinator on screen, under
    disclosure control otherwise (recognition_disclosure.py)."""
    territory = actor.territory
    return recognition_disclosure.shown(
        recognition.organisations_figures(territory, period),
        recognition.network_totals(territory, period),
        period=period,
        threshold=threshold_for(territory),
        exact=exact,
        today=timezone.localdate(),
    )


def _disclosure_context(shown: recognition_disclosure.Shown) -> dict:
    return {
        "exact": shown.exact,
        "omitted": shown.omitted,
        "threshold": shown.threshold,
        "restricted_mark": disclosure.RESTRICTED_MARK,
    }


@member()
def network(request):
    territory = request.actor.territory
    form, period = _period(request, territory)
    shown = _shown(request.actor, period, exact=request.actor.has_role(Role.COORDINATOR))
    figures = shown.figures
    return render(
        request,
        "stats/recognition_network.html",
        {
            "page_title": f"Reconnaissance des partenaires — {period.label}",
            "form": form,
            "period": period,
            "tables": recognition.tables_by_theme(figures, shown.omitted),
            "inactive": [f.organisation for f in figures if f.is_empty],
            "totals": recognition.themed(shown.totals, shown.omitted),
            **_disclosure_context(shown),
            "downloads": [
                (label, f"{reverse('recognition:export')}?annee={period.year or ''}&format={code}")
                for code, label in FORMAT_LABELS.items()
            ],
        },
    )


@member()
def organisation(request, public_id):
    territory = request.actor.territory
    partner = get_object_or_404(Organisation.objects.filter(territories=territory), public_id=public_id)
    form, period = _period(request, territory)
    shown = _shown(request.actor, period, exact=request.actor.has_role(Role.COORDINATOR))
    return render(
        request,
        "stats/recognition_organisation.html",
        {
            "page_title": f"Contribution de {partner.name} — {period.label}",
            "form": form,
            "period": period,
            "partner": partner,
            "figures": next(f for f in shown.figures if f.organisation.pk == partner.pk),
            **_disclosure_context(shown),
            "work": recognition.organisation_work(territory, partner, period),
        },
    )


@member()
@spreadsheet_export
def export(request):
    """The network page as a spreadsheet: one row per partner, then the network's own totals."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return spreadsheets_page(
            request,
            title="Télécharger la reconnaissance des partenaires",
            back=(reverse("recognition:network"), "Reconnaissance des partenaires"),
            exports=[Export("Contribution de chaque partenaire", reverse("recognition:export"))],
            form=form,
            status=400,
        )
    period = recognition.Period(form.cleaned_data["annee"])
    # A file leaves the platform: under disclosure control whoever downloads it.
    shown = _shown(request.actor, period, exact=False)
    names = [name for name, _ in recognition.FIGURES if name not in shown.omitted]
    header = ["Partenaire", *(recognition.LABELS[name] for name in names)]
    rows = [[f.organisation.name, *(f[name] for name in names)] for f in shown.figures]
    rows.append(["Réseau (chaque action comptée une fois)", *(shown.totals[name] for name in names)])
    return spreadsheet_response(
        f"reconnaissance {period.year}" if period.year else "reconnaissance",
        header,
        rows,
        form.cleaned_data["format"],
        actor=request.actor,
        facts={"kind": "recognition", "year": period.year, "protected": True},
    )
