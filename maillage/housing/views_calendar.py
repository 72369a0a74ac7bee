"""« Trouver un hébergement », the month calendar of occupancy and « Chiffres de l'hébergement ».

None of them shows an address; a secret unit shows no commune; the calendar shows a stay's pseudonym only
to the coordinator and the unit's housing managers (calendar.py). Nothing nominative is read: no audit
entry (the pseudonym is not an identity)."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from maillage.housing import figures
from maillage.housing.availability import SEARCHING_ROLES, commune_shown, units_available
from maillage.housing.calendar import CALENDAR_ROLES, month_calendar, parse_month
from maillage.housing.enums import ExitSolution
from maillage.housing.forms_calendar import AvailabilityForm, PeriodForm
from maillage.housing.models import HousingUnit
from maillage.network.enums import Role
from maillage.web.access import member


@member(*SEARCHING_ROLES)
def availability(request):
    actor = request.actor
    bound = "starts_on" in request.GET
    form = AvailabilityForm(
        request.GET if bound else None,
        initial={
            "adults": 1,
            "children": 0,
            "under_three": 0,
            "starts_on": timezone.localdate(),
            "nights": 1,
        },
    )
    results = None
    if bound and form.is_valid():
        data = form.cleaned_data
        units = units_available(
            actor.territory,
            data["adults"],
            data["children"],
            data["starts_on"],
            data["ends_on"],
            under_three=data["under_three"],
            accessible=data["accessible"] or None,
            pets=data["pets"] or None,
        )
        results = [(unit, commune_shown(unit)) for unit in units]
    return render(
        request,
        "housing/availability.html",
        {"page_title": "Trouver un hébergement", "form": form, "results": results},
    )


@member(*CALENDAR_ROLES)
def calendar(request):
    today = timezone.localdate()
    month = month_calendar(request.actor, parse_month(request.GET.get("mois"), today), today=today)
    return render(
        request,
        "housing/calendar.html",
        {"page_title": f"Occupation des logements — {month.title}", "month": month, "today": today},
    )


@member(Role.COORDINATOR, Role.HOUSING_MANAGER)
def housing_figures(request):
    """The coordinator reads every unit of the territory; a housing manager, the units of their
    organisation."""
    actor = request.actor
    today = timezone.localdate()
    bound = "starts_on" in request.GET
    form = PeriodForm(
        request.GET if bound else None, initial={"starts_on": today.replace(month=1, day=1), "ends_on": today}
    )
    context = {"page_title": "Chiffres de l'hébergement", "form": form, "rows": None}
    if not bound or form.is_valid():
        start = form.cleaned_data["starts_on"] if bound else today.replace(month=1, day=1)
        last = form.cleaned_data["ends_on"] if bound else today
        end = last + datetime.timedelta(days=1)
        units = HousingUnit.objects.filter(territory=actor.territory)
        if not actor.has_role(Role.COORDINATOR):
            units = units.filter(organisation=actor.organisation)
        rows = figures.units_figures(units, start, end)
        exits = figures.stays_by_exit_solution(units, start, end)
        context.update(
            rows=rows,
            totals=figures.totals(rows),
            exits=[(label, exits[value]) for value, label in ExitSolution.choices],
            exits_without=exits.get("", 0),
            stays=figures.stays_count(units, start, end),
            start=start,
            last=last,
        )
    return render(request, "housing/figures.html", context)
