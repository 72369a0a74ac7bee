"""The prevention « Tableur » page and its downloads (ADR 0037): the territory's events and its trainings
(attendees counted per organisation), as CSV or XLSX, for one year or all. Nothing here is nominative: every
active member of the territory may download them, observers included. The trainers' names (free text) are
left out: the organisations that trained are there."""

import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse

from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.web.access import member
from maillage.web.spreadsheets import (
    Export,
    ExportForm,
    spreadsheet_export,
    spreadsheet_response,
    spreadsheets_page,
)

EVENT_HEADER = (
    "Date",
    "Jusqu'au",
    "Intitulé",
    "Type",
    "Commune",
    "Public",
    "Personnes touchées",
    "Organisations",
    "Supports",
    "Description",
)
TRAINING_HEADER = (
    "Date",
    "Intitulé",
    "Thème",
    "Durée (heures)",
    "Commune",
    "Organisations formatrices",
    "Participants",
    "Participants par organisation",
)
WHOLE_TERRITORY = "Tout le territoire"


def events_exported(territory, year: int | None):
    """The territory's events; for a year, those held some time in it (a campaign may straddle two)."""
    events = (
        PreventionEvent.objects.filter(territory=territory)
        .select_related("commune")
        .prefetch_related(Prefetch("organisations", queryset=Organisation.objects.order_by("name")))
        .order_by("held_on", "title", "pk")
    )
    if year:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        events = events.filter(Q(held_on__gte=start) | Q(ends_on__gte=start), held_on__lte=end)
    return events


def trainings_exported(territory, year: int | None):
    trainings = (
        Training.objects.filter(territory=territory)
        .select_related("commune")
        .prefetch_related(
            Prefetch("trainer_organisations", queryset=Organisation.objects.order_by("name")),
            Prefetch(
                "attendances",
                queryset=TrainingAttendance.objects.select_related("organisation").order_by(
                    "organisation__name"
                ),
            ),
        )
        .order_by("held_on", "title", "pk")
    )
    if year:
        trainings = trainings.filter(held_on__year=year)
    return trainings


def _event_row(event: PreventionEvent) -> tuple:
    return (
        event.held_on,
        event.ends_on,
        event.title,
        event.get_kind_display(),
        event.commune.name if event.commune else WHOLE_TERRITORY,
        event.get_audience_display(),
        event.people_reached,
        ", ".join(org.name for org in event.organisations.all()),
        event.materials,
        event.description,
    )


def _training_row(training: Training) -> tuple:
    attendances = list(training.attendances.all())
    return (
        training.held_on,
        training.title,
        training.get_topic_display(),
        training.hours,
        training.commune.name if training.commune else WHOLE_TERRITORY,
        ", ".join(org.name for org in training.trainer_organisations.all()),
        sum(attendance.attendees for attendance in attendances),
        " ; ".join(f"{attendance.organisation.name} : {attendance.attendees}" for attendance in attendances),
    )


def _page(request, form=None, status=200):
    return spreadsheets_page(
        request,
        title="Prévention et formations : tableur",
        back=(reverse("prevention:list"), "Retour à la prévention"),
        exports=[
            Export(
                "Actions de prévention et de communication",
                reverse("prevention_spreadsheets:events_export"),
                "Une ligne par action : date, type, commune, public, personnes touchées, organisations et "
                "supports.",
            ),
            Export(
                "Formations des professionnels",
                reverse("prevention_spreadsheets:trainings_export"),
                "Une ligne par session : thème, durée, organisations formatrices et nombre de participants "
                "par organisation.",
            ),
        ],
        import_url=reverse("prevention_spreadsheets:import")
        if request.actor.has_role(Role.COORDINATOR)
        else None,
        form=form,
        status=status,
    )


@member()
def index(request):
    return _page(request)


def _export(request, *, name: str, kind: str, header, rows_of):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    year = form.cleaned_data["annee"]
    return spreadsheet_response(
        f"{name} {year}" if year else name,
        header,
        rows_of(request.actor.membership.territory, year),
        form.cleaned_data["format"],
        actor=request.actor,
        facts={"kind": kind, "year": year},
    )


@member()
@spreadsheet_export
def events_export(request):
    return _export(
        request,
        name="actions de prevention",
        kind="prevention_events",
        header=EVENT_HEADER,
        rows_of=lambda territory, year: (_event_row(event) for event in events_exported(territory, year)),
    )


@member()
@spreadsheet_export
def trainings_export(request):
    return _export(
        request,
        name="formations",
        kind="trainings",
        header=TRAINING_HEADER,
        rows_of=lambda territory, year: (_training_row(t) for t in trainings_exported(territory, year)),
    )
