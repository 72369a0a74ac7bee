"""Indicators of what the network did for the situations (DOMAIN.md §7, ADR 0040): referrals by destination
and outcome, emergency housing (through housing/figures.py), protective measures, coordination meetings.
A fixed number of aggregate queries per table."""

from django.db.models import Count, Q

from maillage.housing import figures
from maillage.housing.enums import ExitSolution
from maillage.housing.models import HousingUnit
from maillage.meetings.enums import MeetingStatus
from maillage.meetings.models import Meeting
from maillage.network.enums import OrganisationKind
from maillage.protection.enums import MeasureKind, MeasureStatus
from maillage.protection.models import ProtectiveMeasure
from maillage.referrals.enums import ReferralStatus
from maillage.referrals.models import Referral
from maillage.stats.indicators.situations import territory_situations
from maillage.stats.indicators.table import Line, Rate, Scope, Table

STATUS_COLUMNS = tuple(Line(value, label) for value, label in ReferralStatus.choices)


def _referrals(scope: Scope):
    """Referrals of the territory's situations (of the chosen communes) sent in the period."""
    return Referral.objects.filter(
        scope.period.moments("created_at"), scope.commune_filter("situation__commune")
    ).filter(situation__territory=scope.territory)


def _by_status(rows, key: str) -> dict:
    counts: dict = {}
    for row in rows:  # one row per (destination, status): bounded by the directory, not by the data
        counts[(row[key], row["status"])] = row["n"]
    return counts


def referrals_by_kind(scope: Scope) -> Table:
    rows = _referrals(scope).order_by().values("receiver__kind", "status").annotate(n=Count("pk"))
    counts = _by_status(rows, "receiver__kind")
    return Table(
        rows=tuple(Line(value, label) for value, label in OrganisationKind.choices),
        columns=STATUS_COLUMNS,
        cells=tuple(
            tuple(counts.get((kind, status.key), 0) for status in STATUS_COLUMNS)
            for kind in OrganisationKind.values
        ),
        row_totals=True,
        column_totals=True,
        note="Orientations envoyées dans l'année ; leur état aujourd'hui.",
    )


def referrals_by_organisation(scope: Scope) -> Table:
    """One row per organisation that received a referral in the period (by name)."""
    rows = list(
        _referrals(scope)
        .order_by()
        .values("receiver", "receiver__public_id", "receiver__name", "status")
        .annotate(n=Count("pk"))
    )
    names = sorted({(row["receiver__name"], row["receiver"], row["receiver__public_id"]) for row in rows})
    counts = _by_status(rows, "receiver")
    return Table(
        rows=tuple(Line(str(public_id), name) for name, _, public_id in names),
        columns=STATUS_COLUMNS,
        cells=tuple(
            tuple(counts.get((pk, status.key), 0) for status in STATUS_COLUMNS) for _, pk, _ in names
        ),
        row_totals=True,
        column_totals=True,
        note="Orientations envoyées dans l'année ; leur état aujourd'hui.",
    )


def _housing(scope: Scope):
    units = HousingUnit.objects.filter(territory=scope.territory)
    situations = None if scope.communes is None else territory_situations(scope)
    return units, scope.period.start, scope.period.end, situations


STAY_ROWS = (
    ("stays", "Séjours"),
    ("adults", "Adultes hébergés"),
    ("children", "Enfants hébergés"),
    ("nights", "Nuitées"),
    ("people_nights", "Nuitées par personne"),
    ("available_nights", "Nuitées disponibles"),
)
OCCUPANCY = Rate("Taux d'occupation", "nights", "available_nights")


def stays(scope: Scope) -> Table:
    """housing/figures.py's definitions: stays that took place with a night in the period, their households,
    their nights clipped to the period, and the units' available nights."""
    units, start, end, situations = _housing(scope)
    people = figures.stays_people(units, start, end, situations)
    nights = figures.totals(figures.units_figures(units, start, end, situations))
    values = people | nights
    return Table(
        rows=tuple(Line(key, label) for key, label in STAY_ROWS),
        columns=(Line("count", "Nombre"),),
        cells=tuple((values[key],) for key, _ in STAY_ROWS),
        rates=(OCCUPANCY,),
        note=(
            "Un ménage hébergé deux fois compte deux fois. Taux d'occupation : nuitées / nuitées disponibles."
        ),
    )


def stay_exits(scope: Scope) -> Table:
    units, start, end, situations = _housing(scope)
    counts = figures.stays_by_exit_solution(units, start, end, situations)
    lines = (*ExitSolution.choices, ("", "Non renseignée"))
    return Table(
        rows=tuple(Line(value, label) for value, label in lines),
        columns=(Line("stays", "Séjours terminés"),),
        cells=tuple((counts.get(value, 0),) for value, _ in lines),
        column_totals=True,
    )


def measures(scope: Scope) -> Table:
    """Protective measures known to the network: recorded in the period, or in force during it (started
    before its end, not ended before its start). By kind and present state."""
    period = scope.period
    in_force = Q(status__in=(MeasureStatus.IN_FORCE, MeasureStatus.ENDED), starts_on__lt=period.end) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)
    )
    rows = (
        ProtectiveMeasure.objects.filter(period.moments("recorded_at") | in_force)
        .filter(scope.commune_filter("situation__commune"), situation__territory=scope.territory)
        .order_by()
        .values("kind", "status")
        .annotate(n=Count("pk"))
    )
    counts = {(row["kind"], row["status"]): row["n"] for row in rows}
    return Table(
        rows=tuple(Line(value, label) for value, label in MeasureKind.choices),
        columns=tuple(Line(value, label) for value, label in MeasureStatus.choices),
        cells=tuple(
            tuple(counts.get((kind, status), 0) for status in MeasureStatus.values)
            for kind in MeasureKind.values
        ),
        row_totals=True,
        column_totals=True,
        note="Mesures enregistrées dans l'année ou en vigueur pendant l'année ; leur état aujourd'hui.",
    )


def meetings(scope: Scope) -> Table:
    """Meetings of the coordination group held (closed) with their start in the period, and the agenda items
    reviewed at them; the territory's as a whole (a meeting reviews several communes)."""
    reviewed = Q(items__reviewed_at__isnull=False)
    counts = Meeting.objects.filter(
        scope.period.moments("starts_at"), territory=scope.territory, status=MeetingStatus.CLOSED
    ).aggregate(
        # Aliases unlike the relations' names (`items` is one).
        n_meetings=Count("pk", distinct=True),
        n_items=Count("items", filter=reviewed),
        n_situations=Count("items__situation", filter=reviewed, distinct=True),
    )
    lines = (
        ("meetings", "Réunions tenues"),
        ("items", "Examens de situations"),
        ("situations", "Situations examinées (distinctes)"),
    )
    return Table(
        rows=tuple(Line(key, label) for key, label in lines),
        columns=(Line("count", "Nombre"),),
        cells=tuple((counts[f"n_{key}"],) for key, _ in lines),
        whole_territory=True,
    )
