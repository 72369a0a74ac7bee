"""The annual report as a PDF (`/statistiques/rapport/?annee=…`): an ended year, the whole territory, every
count of people under disclosure control whoever downloads it (`report.py`). Coordinator and observer, like
the dashboard; each download is audited."""

from django import forms
from django.shortcuts import render

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.network.enums import Role
from maillage.stats import report
from maillage.stats.selectors import threshold_for
from maillage.stats.views_dashboard import ended_years
from maillage.web.access import member
from maillage.web.pdf import pdf_response, render_pdf


class ReportForm(forms.Form):
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)


@member(Role.COORDINATOR, Role.OBSERVER)
def annual_report(request):
    actor = request.actor
    territory = actor.territory
    years = ended_years(territory)
    form = ReportForm(request.GET)
    year = form.cleaned_data["annee"] if form.is_valid() else None
    if year is None and form.is_valid() and years:
        year = years[0]
    if year not in years:
        return render(
            request,
            "stats/export_refused.html",
            {"page_title": "Téléchargement impossible", "years": years, "form": form},
            status=400,
        )
    threshold = threshold_for(territory)
    context = report.annual_report(actor, year, threshold=threshold)
    pdf = render_pdf("stats/report_pdf.html", context, title=f"Rapport annuel {year} — {territory.name}")
    audit.record(
        actor=actor,
        action=AuditAction.STATISTICS_REPORT_EXPORTED,
        changes={"year": year, "threshold": threshold, "bytes": len(pdf)},
    )
    return pdf_response(pdf, f"rapport-annuel-{year}.pdf")
