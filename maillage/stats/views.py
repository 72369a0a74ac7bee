"""The recognition pages: the network's page (every partner's contribution side by side) and one page per
organisation. Aggregates only (stats/recognition.py); every member of the territory may read them, the
data being nominative nowhere. Another territory's organisation is missing (404)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from maillage.network.models import Organisation
from maillage.stats import recognition
from maillage.stats.forms import PeriodForm
from maillage.web.access import member


def _period(request, territory) -> tuple[PeriodForm, recognition.Period]:
    years = recognition.years_with_activity(territory)
    form = PeriodForm(request.GET or None, years=years)
    return form, recognition.Period(form.year(default=timezone.localdate().year))


@member()
def network(request):
    territory = request.actor.territory
    form, period = _period(request, territory)
    figures = recognition.organisations_figures(territory, period)
    return render(
        request,
        "stats/recognition_network.html",
        {
            "page_title": f"Reconnaissance des partenaires — {period.label}",
            "form": form,
            "period": period,
            "tables": recognition.tables_by_theme(figures),
            "inactive": [f.organisation for f in figures if f.is_empty],
            "totals": recognition.themed(recognition.network_totals(territory, period)),
        },
    )


@member()
def organisation(request, public_id):
    territory = request.actor.territory
    partner = get_object_or_404(Organisation.objects.filter(territories=territory), public_id=public_id)
    form, period = _period(request, territory)
    return render(
        request,
        "stats/recognition_organisation.html",
        {
            "page_title": f"Contribution de {partner.name} — {period.label}",
            "form": form,
            "period": period,
            "partner": partner,
            "figures": recognition.organisation_figures(territory, partner, period),
            "work": recognition.organisation_work(territory, partner, period),
        },
    )
