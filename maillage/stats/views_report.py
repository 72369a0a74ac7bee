"""The annual report as a PDF (`/statistiques/rapport/?annee=…`): an ended year, the whole territory, every
count of people under disclosure control whoever downloads it (`report.py`). Coordinator and observer, like
the dashboard; each download is audited."""

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.network.enums import Role
from maillage.stats import report
from maillage.stats.forms import YearForm
from maillage.stats.selectors import threshold_for, years_open
from maillage.stats.views_dashboard import file_year, refused
from maillage.web.access import member
from maillage.web.pdf import pdf_response, render_pdf


@member(Role.COORDINATOR, Role.OBSERVER)
def annual_report(request):
    actor = request.actor
    territory = actor.territory
    years = years_open(territory, exact=False)
    form = YearForm(request.GET)
    year = file_year(form, years)
    if year is None:
        return refused(request, form, years, "PDF")
    threshold = threshold_for(territory)
    context = report.annual_report(actor, year, threshold=threshold)
    pdf = render_pdf("stats/report_pdf.html", context, title=f"Rapport annuel {year} — {territory.name}")
    audit.record(
        actor=actor,
        action=AuditAction.STATISTICS_REPORT_EXPORTED,
        changes={"year": year, "threshold": threshold, "bytes": len(pdf)},
    )
    return pdf_response(pdf, f"rapport-annuel-{year}.pdf")
