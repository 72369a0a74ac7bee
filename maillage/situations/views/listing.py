"""The list of situations: filters in the address, the name search posted (ADR 0014, ADR 0021)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from maillage.situations import names, policies, selectors, services
from maillage.situations.forms import FilterForm, NameSearchForm
from maillage.situations.policies import SEEING_ROLES
from maillage.web.access import member
from maillage.web.pagination import PAGE_SIZE


@member(*SEEING_ROLES)
def situation_list(request):
    """Filters travel in the address (GET). A name never does: the name search is posted, and its
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
            name = name_form.cleaned_data["name"]
            situations = names.with_name(selectors.situations_listed(actor), name)
            page = Paginator(situations, PAGE_SIZE).get_page(1)
            matches = names.name_matches(page.object_list, name)
            for situation in page.object_list:
                situation.name_matches = matches.get(situation.pk, [])
            services.situation_name_search_record(actor=actor, results=page.paginator.count)
    elif not form.is_bound or form.is_valid():
        situations = selectors.situations_listed(actor, form.filters())
        page = Paginator(situations, PAGE_SIZE).get_page(request.GET.get("page"))
    name_errors = searched_name and bool(name_form.errors)
    return render(
        request,
        "situations/list.html",
        {
            "page_title": ("Erreur : " if name_errors else "") + "Mes situations",
            "form": form,
            "name_form": name_form,
            "name_errors": name_errors,
            "searched_name": searched_name,
            "page": page,
            "page_size": PAGE_SIZE,
            "query": form.query(),
            "searched": bool(form.query()) or searched_name,
            "can_break_glass": policies.can_break_glass(actor),
        },
    )
