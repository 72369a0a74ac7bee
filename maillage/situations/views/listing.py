"""The list of situations: filters in the address, the exact-name search posted (ADR 0014)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.situations import policies, selectors, services
from maillage.situations.forms import FilterForm, NameSearchForm
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member(*SEEING_ROLES)
def situation_list(request):
    """Filters travel in the address (GET). A name never does: the exact-name search is posted, and its
    answer is rendered here at once (no redirect), so no URL, log line or browser history holds it."""
    actor = request.actor
    can_search_names = policies.can_search_names(actor)
    if request.method == "POST" and not can_search_names:
        raise PermissionDenied
    name_form = None
    if can_search_names:
        name_form = NameSearchForm(request.POST if request.method == "POST" else None)
    form = FilterForm(request.GET or None, territory=actor.territory)
    page = None
    searched_name = name_form is not None and name_form.is_bound
    if searched_name:
        if name_form.is_valid():
            situations = selectors.with_exact_name(
                selectors.situations_listed(actor), name_form.cleaned_data["name"]
            )
            page = Paginator(situations, PAGE_SIZE).get_page(1)
            services.situation_name_search_record(actor=actor, results=page.paginator.count)
    elif not form.is_bound or form.is_valid():
        situations = selectors.situations_listed(actor, form.filters())
        page = Paginator(situations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "situations/list.html",
        {
            "page_title": "Mes situations",  # base.html adds "Erreur : " when a form comes back
            "form": form,
            "name_form": name_form,
            "searched_name": searched_name,
            "page": page,
            "page_size": PAGE_SIZE,
            "query": form.query(),
            "searched": bool(form.query()) or searched_name,
            "can_break_glass": policies.can_break_glass(actor),
        },
    )
