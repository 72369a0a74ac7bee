"""Indicators of the network's own work (DOMAIN.md §7, ADR 0040): prevention actions and the people they
reached, trainings of professionals, referents named per commune. A fixed number of aggregate queries per
table."""

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from maillage.network.enums import ReferentKind
from maillage.network.models import CommuneReferent
from maillage.prevention.enums import EventKind, TrainingTopic
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.stats.indicators.table import Line, Scope, Table
from maillage.territories.models import Commune


def prevention(scope: Scope) -> Table:
    """Prevention actions held (started) in the period, by kind, and the people they reached (an action
    without a count reaches 0). With communes chosen: the actions held in them (not those of the whole
    territory)."""
    rows = (
        PreventionEvent.objects.filter(scope.period.dates("held_on"), scope.commune_filter("commune"))
        .filter(territory=scope.territory)
        .order_by()
        .values("kind")
        .annotate(events=Count("pk"), reached=Coalesce(Sum("people_reached"), 0))
    )
    counts = {row["kind"]: row for row in rows}
    return Table(
        rows=tuple(Line(value, label) for value, label in EventKind.choices),
        columns=(Line("events", "Actions"), Line("reached", "Personnes touchées")),
        cells=tuple(
            (counts.get(kind, {}).get("events", 0), counts.get(kind, {}).get("reached", 0))
            for kind in EventKind.values
        ),
        column_totals=True,
    )


def _trainings(scope: Scope):
    return Training.objects.filter(scope.period.dates("held_on"), territory=scope.territory)


def trainings(scope: Scope) -> Table:
    """Training sessions held in the period by topic, and the professionals who attended (the counts per
    organisation, summed). The territory's as a whole."""
    sessions = {
        row["topic"]: row["n"] for row in _trainings(scope).order_by().values("topic").annotate(n=Count("pk"))
    }
    people = {
        row["training__topic"]: row["n"]
        for row in TrainingAttendance.objects.filter(training__in=_trainings(scope))
        .order_by()
        .values("training__topic")
        .annotate(n=Sum("attendees"))
    }
    return Table(
        rows=tuple(Line(value, label) for value, label in TrainingTopic.choices),
        columns=(Line("sessions", "Sessions"), Line("people", "Professionnels formés")),
        cells=tuple((sessions.get(topic, 0), people.get(topic) or 0) for topic in TrainingTopic.values),
        column_totals=True,
        whole_territory=True,
        note="Un professionnel formé deux fois compte deux fois.",
    )


def training_organisations(scope: Scope) -> Table:
    """Distinct organisations that gave trainings held in the period, and whose staff attended them."""
    counts = _trainings(scope).aggregate(
        trainers=Count("trainer_organisations", distinct=True),
        attending=Count("attendances__organisation", distinct=True),
    )
    lines = (
        ("trainers", "Organisations formatrices"),
        ("attending", "Organisations dont des professionnels ont été formés"),
    )
    return Table(
        rows=tuple(Line(key, label) for key, label in lines),
        columns=(Line("organisations", "Organisations"),),
        cells=tuple((counts[key],) for key, _ in lines),
        whole_territory=True,
    )


def referents(scope: Scope) -> Table:
    """Referents named today for each commune (the period does not apply: who is named now), by kind;
    a deactivated membership no longer counts."""
    communes = list(
        Commune.objects.filter(scope.commune_filter("pk"), territory=scope.territory)
        .order_by("name", "pk")
        .values_list("pk", "public_id", "name")
    )
    rows = (
        CommuneReferent.objects.filter(scope.commune_filter("commune"))
        .filter(commune__territory=scope.territory, membership__is_active=True)
        .order_by()
        .values("commune", "kind")
        .annotate(n=Count("pk"))
    )
    counts = {(row["commune"], row["kind"]): row["n"] for row in rows}
    return Table(
        rows=tuple(Line(str(public_id), name) for _, public_id, name in communes),
        columns=tuple(Line(value, label) for value, label in ReferentKind.choices),
        cells=tuple(
            tuple(counts.get((pk, kind), 0) for kind in ReferentKind.values) for pk, _, _ in communes
        ),
        row_totals=True,
        column_totals=True,
        note="Situation à ce jour, quelle que soit l'année choisie.",
    )
