"""Pages of the technical administrator for territories: list, detail with communes, import of a file."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render

from maillage.errors import DomainError
from maillage.territories.forms import TerritoryImportForm
from maillage.territories.models import Territory
from maillage.territories.services import import_summary, territory_import
from maillage.web.access import platform_admin
from maillage.web.pagination import PAGE_SIZE

# A badly broken file can hold thousands of problems: the first ones are enough to start fixing it.
PROBLEMS_SHOWN = 100


@platform_admin
def territory_list(request):
    territories = Territory.objects.annotate(
        commune_count=Count("communes", distinct=True),
        organisation_count=Count("organisations", distinct=True),
    ).order_by("name")
    page = Paginator(territories, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "territories/territory_list.html", {"page": page, "query": "", "page_title": "Territoires"}
    )


@platform_admin
def territory_detail(request, public_id):
    territory = get_object_or_404(
        Territory.objects.annotate(
            total_population=Sum("communes__population"),
            organisation_count=Count("organisations", distinct=True),
        ),
        public_id=public_id,
    )
    communes = territory.communes.order_by("name")
    page = Paginator(communes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "territories/territory_detail.html",
        {"territory": territory, "page": page, "query": "", "page_title": territory.name},
    )


@platform_admin
def territory_import_view(request):
    if request.method == "POST":
        form = TerritoryImportForm(request.POST, request.FILES)
    else:
        form = TerritoryImportForm(initial=_prefill(request.GET.get("territoire", "")))
    if form.is_bound and form.is_valid():
        try:
            territory, created, updated = territory_import(actor=request.actor, data=form.territory_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            unchanged = len(form.territory_data.communes) - created - updated
            messages.success(request, import_summary(territory, created, updated, unchanged))
            return redirect("territories:detail", public_id=territory.public_id)
    problems = form.non_field_errors()
    return render(
        request,
        "territories/territory_import.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            "page_title": "Importer un territoire",
        },
    )


def _prefill(public_id: str) -> dict:
    """« Mettre à jour depuis un fichier » on a territory page: its name, kind and department prefilled."""
    try:
        territory = Territory.objects.filter(public_id=uuid.UUID(public_id)).first()
    except ValueError:
        return {}
    if territory is None:
        return {}
    return {"name": territory.name, "kind": territory.kind, "department_code": territory.department_code}
