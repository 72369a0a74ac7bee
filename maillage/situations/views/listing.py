"""The list of situations: filters and sort order in the address, the name search posted (ADR 0014, 0021)."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from maillage.situations import names, policies, selectors, services
from maillage.situations.forms import FilterForm
from maillage.situations.policies import SEEING_ROLES
from maillage.situations.search_forms import NameSearchForm
from maillage.web import keyset
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
    sort = request.GET.get("tri", "")
    sort = sort if sort.removeprefix("-") in selectors.SORTS else selectors.DEFAULT_SORT
    page = total = None
    searched_name = name_form is not None and name_form.is_bound
    if searched_name:
        if name_form.is_valid():
            name = name_form.cleaned_data["name"]
            # Narrowed to the name's situations first, counted once (up to the cap), then the first page.
            found = names.with_name(selectors.situations_listed(actor), name)
            total = keyset.count_capped(found, names.NAME_COUNT_CAP)
            page = keyset.paginate(selectors.with_overdue_tasks(found), None, size=PAGE_SIZE)
            matches = names.name_matches(page.items, name)
            for situation in page.items:
                situation.name_matches = matches.get(situation.pk, [])
            services.situation_name_search_record(actor=actor, results=total.value, more=total.capped)
    elif not form.is_bound or form.is_valid():
        listed = selectors.situations_listed(actor, form.filters(), sort=sort)
        # Counted along the default order, which has its index, whatever the page's sort (ADR 0046).
        total = keyset.count_capped(selectors.situations_listed(actor, form.filters()), in_order=True)
        try:
            page = keyset.paginate(
                selectors.with_overdue_tasks(listed), request.GET.get("curseur"), size=PAGE_SIZE
            )
        except keyset.InvalidCursor:
            # An address cut or edited by hand: the list from its start rather than an error.
            page = keyset.paginate(selectors.with_overdue_tasks(listed), None, size=PAGE_SIZE)
    return render(
        request,
        "situations/list.html",
        {
            "page_title": "Mes situations",  # base.html adds "Erreur : " when a form comes back
            "form": form,
            "name_form": name_form,
            "searched_name": searched_name,
            "page": page,
            "total": total,
            "page_size": PAGE_SIZE,
            "query": "&".join(q for q in (form.query(), _sort_query(sort)) if q),
            "filter_query": form.query(),
            "sort": sort,
            "columns": _columns(sort),
            "searched": bool(form.query()) or searched_name,
            "can_break_glass": policies.can_break_glass(actor),
        },
    )


# The sortable columns: (label, sort name). Detection dates start from the most recent, the others from A.
COLUMNS = [
    ("Pseudonyme", "pseudonyme"),
    ("Commune", "commune"),
    ("Repérée le", "reperage"),
    ("État", "etat"),
]
FIRST_DESCENDING = {"reperage"}


def _sort_query(sort: str) -> str:
    return "" if sort == selectors.DEFAULT_SORT else urlencode({"tri": sort})


def _columns(sort: str) -> list[dict]:
    """Each sortable column's header: its `aria-sort` state and the sort its link asks for (the reverse of
    the current one on the sorted column)."""
    columns = []
    for label, name in COLUMNS:
        if sort.removeprefix("-") == name:
            state = "descending" if sort.startswith("-") else "ascending"
            next_sort = name if state == "descending" else f"-{name}"
        else:
            state = None
            next_sort = f"-{name}" if name in FIRST_DESCENDING else name
        columns.append({"label": label, "aria_sort": state, "next": urlencode({"tri": next_sort})})
    return columns
