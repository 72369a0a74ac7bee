"""Each partner's contribution to the network, for a year or for all years (the contract's « reconnaître le
travail de chaque partenaire », DOMAIN.md §1, §7).

Everything here is a count or a sum grouped by organisation, computed by the database: one aggregate query
per kind of figure, whatever the number of situations or organisations (no loop over rows). Nothing
nominative leaves this module: no situation, pseudonym or person, only organisations and numbers.

Definitions (the hand-computed checks in tests/stats hold them to these words):
- situations reported: situations of the territory reported (created) in the period by a member of the
  organisation;
- situations followed: the organisation's participations opened before the period's end, on situations not
  closed before its start (a situation reopened later counts, its last closing is what is kept);
- referrals sent / received: referrals of the territory's situations created in the period; accepted: those
  received and accepted (then possibly done);
- stays and nights: stays that took place (in progress or ended) in the organisation's units, overlapping the
  period; nights clipped to the period (housing/figures.py's definition);
- meetings: coordination meetings of the territory held in the period that a member of the organisation
  attended (each meeting once, however many members came);
- actions led / as partner: actions of the plan whose dates overlap the period (no dates: always);
- events: prevention events of the territory held in the period with the organisation among those involved,
  and the people they reached (an event with several organisations counts fully for each: the network's own
  total counts it once);
- trainings given: sessions held in the period with the organisation among the trainers, and their hours;
  trainings attended: sessions with attendees of the organisation, the number of attendees and the
  person-hours (attendees × hours);
- contributions: the plan's contributions of the period's year(s): staff hours, money, and the value of
  premises and contributions in kind."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, Contribution
from maillage.housing.figures import TOOK_PLACE, DaysBetween
from maillage.housing.models import Stay
from maillage.meetings.enums import Attendance
from maillage.meetings.models import MeetingParticipant
from maillage.network.models import Organisation
from maillage.prevention.models import PreventionEvent, Training, TrainingAttendance
from maillage.referrals.enums import GRANTING
from maillage.referrals.models import Referral
from maillage.situations.models import Participation, Situation
from maillage.territories.models import Territory

ZERO = Decimal(0)


@dataclass(frozen=True)
class Period:
    """A calendar year, or every year when `year` is None: [start, end) as dates."""

    year: int | None

    @property
    def start(self) -> datetime.date | None:
        return datetime.date(self.year, 1, 1) if self.year else None

    @property
    def end(self) -> datetime.date | None:
        return datetime.date(self.year + 1, 1, 1) if self.year else None

    def moment(self, day: datetime.date | None) -> datetime.datetime | None:
        """Midnight, territory time (the platform's time zone), for a date-time field."""
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    @property
    def label(self) -> str:
        return str(self.year) if self.year else "toutes années"

    def dates(self, name: str) -> Q:
        """`name` (a date field) inside the period."""
        if self.year is None:
            return Q()
        return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})

    def moments(self, name: str) -> Q:
        """`name` (a date-time field) inside the period."""
        if self.year is None:
            return Q()
        return Q(**{f"{name}__gte": self.moment(self.start), f"{name}__lt": self.moment(self.end)})


# The figures, in the order of the pages and exports, with their French labels.
FIGURES: tuple[tuple[str, str], ...] = (
    ("situations_reported", "Situations signalées"),
    ("situations_followed", "Situations suivies"),
    ("referrals_sent", "Orientations envoyées"),
    ("referrals_received", "Orientations reçues"),
    ("referrals_accepted", "Orientations acceptées"),
    ("stays", "Séjours en hébergement d'urgence"),
    ("nights", "Nuitées"),
    ("meetings", "Réunions de la cellule de suivi"),
    ("actions_led", "Actions pilotées"),
    ("actions_partner", "Actions en partenariat"),
    ("events", "Actions de prévention"),
    ("people_reached", "Personnes touchées (prévention)"),
    ("trainings_given", "Formations données"),
    ("training_hours_given", "Heures de formation données"),
    ("trainings_attended", "Formations suivies"),
    ("attendees", "Professionnels formés"),
    ("training_person_hours", "Heures de formation suivies"),
    ("staff_hours", "Heures de personnel apportées"),
    ("money", "Financements apportés (€)"),
    ("in_kind_value", "Locaux et contributions en nature (€)"),
)
LABELS = dict(FIGURES)
# The pages show the figures in four themes (a table of twenty columns does not read on a phone).
THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Situations et orientations",
        (
            "situations_reported",
            "situations_followed",
            "referrals_sent",
            "referrals_received",
            "referrals_accepted",
        ),
    ),
    ("Hébergement et cellule de suivi", ("stays", "nights", "meetings")),
    (
        "Plan d'action et moyens mis en commun",
        ("actions_led", "actions_partner", "staff_hours", "money", "in_kind_value"),
    ),
    (
        "Prévention et formation",
        (
            "events",
            "people_reached",
            "trainings_given",
            "training_hours_given",
            "trainings_attended",
            "attendees",
            "training_person_hours",
        ),
    ),
)


def themed(values, omitted=frozenset()) -> list[tuple[str, list[tuple[str, str, object]]]]:
    """[(theme, [(name, label, value)])] for a mapping (or an OrganisationFigures) of the figures, without
    the `omitted` ones (figures not published for the period: recognition_disclosure.py); a theme left
    without a figure is left out."""
    themes = [
        (theme, [(name, LABELS[name], values[name]) for name in names if name not in omitted])
        for theme, names in THEMES
    ]
    return [(theme, rows) for theme, rows in themes if rows]


@dataclass
class OrganisationFigures:
    organisation: Organisation
    values: dict[str, int | Decimal | str] = field(default_factory=dict)
    omitted: frozenset[str] = frozenset()  # figures not published for the period (recognition_disclosure)

    def __getitem__(self, name: str):
        if name not in LABELS:
            raise KeyError(name)  # templates then look for an attribute (`themes`)
        return self.values.get(name, 0)

    @property
    def themes(self):
        return themed(self, self.omitted)

    @property
    def is_empty(self) -> bool:
        return not any(value for name, value in self.values.items() if name not in self.omitted)


def _by_organisation(queryset, key: str, **aggregates) -> dict[int, dict]:
    rows = queryset.order_by().values(key).annotate(**aggregates)
    return {row[key]: row for row in rows}


def _periods_overlap(period: Period, starts: str, ends: str) -> Q:
    if period.year is None:
        return Q()
    return (Q(**{f"{starts}__isnull": True}) | Q(**{f"{starts}__lt": period.end})) & (
        Q(**{f"{ends}__isnull": True}) | Q(**{f"{ends}__gte": period.start})
    )


def _nights(period: Period):
    if period.year is None:
        return DaysBetween(F("ends_on"), F("starts_on"))
    return DaysBetween(Least(F("ends_on"), period.end), Greatest(F("starts_on"), period.start))


def _situation_figures(territory: Territory, period: Period) -> dict[str, dict[int, int]]:
    figures: dict[str, dict[int, int]] = {}
    reported = _by_organisation(
        Situation.objects.filter(period.moments("created_at"), territory=territory),
        "created_by__organisation",
        n=Count("pk"),
    )
    figures["situations_reported"] = {k: v["n"] for k, v in reported.items()}
    followed = Participation.objects.filter(situation__territory=territory)
    if period.year is not None:
        followed = followed.filter(added_at__lt=period.moment(period.end)).filter(
            Q(situation__closed_at__isnull=True) | Q(situation__closed_at__gte=period.moment(period.start))
        )
    rows = _by_organisation(followed, "organisation", n=Count("situation", distinct=True))
    figures["situations_followed"] = {k: v["n"] for k, v in rows.items()}
    referrals = Referral.objects.filter(period.moments("created_at"), situation__territory=territory)
    sent = _by_organisation(referrals, "sender", n=Count("pk"))
    received = _by_organisation(
        referrals, "receiver", n=Count("pk"), accepted=Count("pk", filter=Q(status__in=GRANTING))
    )
    figures["referrals_sent"] = {k: v["n"] for k, v in sent.items()}
    figures["referrals_received"] = {k: v["n"] for k, v in received.items()}
    figures["referrals_accepted"] = {k: v["accepted"] for k, v in received.items()}
    return figures


def _housing_and_meetings(territory: Territory, period: Period) -> dict[str, dict[int, int]]:
    stays = Stay.objects.filter(unit__territory=territory, status__in=TOOK_PLACE)
    if period.year is not None:
        stays = stays.filter(starts_on__lt=period.end, ends_on__gt=period.start)
    rows = _by_organisation(stays, "unit__organisation", n=Count("pk"), nights=Sum(_nights(period)))
    meetings = _by_organisation(
        MeetingParticipant.objects.filter(
            period.moments("meeting__starts_at"),
            meeting__territory=territory,
            attendance=Attendance.PRESENT,
        ),
        "membership__organisation",
        n=Count("meeting", distinct=True),
    )
    return {
        "stays": {k: v["n"] for k, v in rows.items()},
        "nights": {k: v["nights"] or 0 for k, v in rows.items()},
        "meetings": {k: v["n"] for k, v in meetings.items()},
    }


def _plan_figures(territory: Territory, period: Period) -> dict[str, dict[int, int | Decimal]]:
    actions = Action.objects.filter(_periods_overlap(period, "starts_on", "ends_on"), territory=territory)
    led = _by_organisation(actions, "lead_organisation", n=Count("pk"))
    partner = _by_organisation(actions, "partners", n=Count("pk"))
    contributions = Contribution.objects.filter(action__territory=territory)
    if period.year is not None:
        contributions = contributions.filter(year=period.year)
    money_field = DecimalField(max_digits=14, decimal_places=2)
    given = _by_organisation(
        contributions,
        "organisation",
        hours=Sum("hours", filter=Q(kind=ContributionKind.STAFF_HOURS)),
        money=Sum("amount", filter=Q(kind=ContributionKind.MONEY), output_field=money_field),
        in_kind=Sum(
            "amount",
            filter=Q(kind__in=(ContributionKind.PREMISES, ContributionKind.IN_KIND)),
            output_field=money_field,
        ),
    )
    return {
        "actions_led": {k: v["n"] for k, v in led.items()},
        "actions_partner": {k: v["n"] for k, v in partner.items() if k is not None},
        "staff_hours": {k: v["hours"] or ZERO for k, v in given.items()},
        "money": {k: v["money"] or ZERO for k, v in given.items()},
        "in_kind_value": {k: v["in_kind"] or ZERO for k, v in given.items()},
    }


def _prevention_figures(territory: Territory, period: Period) -> dict[str, dict[int, int | Decimal]]:
    events = _by_organisation(
        PreventionEvent.objects.filter(period.dates("held_on"), territory=territory),
        "organisations",
        n=Count("pk"),
        reached=Sum("people_reached"),
    )
    given = _by_organisation(
        Training.objects.filter(period.dates("held_on"), territory=territory),
        "trainer_organisations",
        n=Count("pk"),
        hours=Sum("hours"),
    )
    person_hours = ExpressionWrapper(
        F("attendees") * F("training__hours"), output_field=DecimalField(max_digits=12, decimal_places=1)
    )
    attended = _by_organisation(
        TrainingAttendance.objects.filter(period.dates("training__held_on"), training__territory=territory),
        "organisation",
        n=Count("training", distinct=True),
        people=Sum("attendees"),
        person_hours=Sum(person_hours),
    )
    return {
        "events": {k: v["n"] for k, v in events.items() if k is not None},
        "people_reached": {k: v["reached"] or 0 for k, v in events.items() if k is not None},
        "trainings_given": {k: v["n"] for k, v in given.items() if k is not None},
        "training_hours_given": {k: v["hours"] or ZERO for k, v in given.items() if k is not None},
        "trainings_attended": {k: v["n"] for k, v in attended.items()},
        "attendees": {k: v["people"] or 0 for k, v in attended.items()},
        "training_person_hours": {k: v["person_hours"] or ZERO for k, v in attended.items()},
    }


def organisations_figures(territory: Territory, period: Period) -> list[OrganisationFigures]:
    """Every partner of the territory with its figures for the period, in the directory's order."""
    figures: dict[str, dict] = {}
    figures |= _situation_figures(territory, period)
    figures |= _housing_and_meetings(territory, period)
    figures |= _plan_figures(territory, period)
    figures |= _prevention_figures(territory, period)
    result = []
    for organisation in Organisation.objects.filter(territories=territory).order_by("name"):
        values = {name: figures[name].get(organisation.pk, 0) for name, _ in FIGURES}
        result.append(OrganisationFigures(organisation, values))
    return result


def organisation_figures(
    territory: Territory, organisation: Organisation, period: Period
) -> OrganisationFigures:
    return next(f for f in organisations_figures(territory, period) if f.organisation.pk == organisation.pk)


def network_totals(territory: Territory, period: Period) -> dict[str, int | Decimal]:
    """The network's own totals: each situation, referral, stay, meeting, action, event and training once
    (a sum of the organisations' columns would count twice what several partners did together)."""
    situations = Situation.objects.filter(period.moments("created_at"), territory=territory).count()
    followed = Participation.objects.filter(situation__territory=territory)
    if period.year is not None:
        followed = followed.filter(added_at__lt=period.moment(period.end)).filter(
            Q(situation__closed_at__isnull=True) | Q(situation__closed_at__gte=period.moment(period.start))
        )
    referrals = Referral.objects.filter(
        period.moments("created_at"), situation__territory=territory
    ).aggregate(n=Count("pk"), accepted=Count("pk", filter=Q(status__in=GRANTING)))
    stays = Stay.objects.filter(unit__territory=territory, status__in=TOOK_PLACE)
    if period.year is not None:
        stays = stays.filter(starts_on__lt=period.end, ends_on__gt=period.start)
    housing = stays.aggregate(n=Count("pk"), nights=Sum(_nights(period)))
    meetings = (
        MeetingParticipant.objects.filter(
            period.moments("meeting__starts_at"), meeting__territory=territory, attendance=Attendance.PRESENT
        )
        .values("meeting")
        .distinct()
        .count()
    )
    actions = Action.objects.filter(_periods_overlap(period, "starts_on", "ends_on"), territory=territory)
    events = PreventionEvent.objects.filter(period.dates("held_on"), territory=territory).aggregate(
        n=Count("pk"), reached=Coalesce(Sum("people_reached"), 0)
    )
    trainings = Training.objects.filter(period.dates("held_on"), territory=territory).aggregate(
        n=Count("pk"), hours=Sum("hours")
    )
    attendance = TrainingAttendance.objects.filter(
        period.dates("training__held_on"), training__territory=territory
    ).aggregate(
        people=Sum("attendees"),
        person_hours=Sum(
            ExpressionWrapper(
                F("attendees") * F("training__hours"),
                output_field=DecimalField(max_digits=12, decimal_places=1),
            )
        ),
    )
    contributions = Contribution.objects.filter(action__territory=territory)
    if period.year is not None:
        contributions = contributions.filter(year=period.year)
    money_field = DecimalField(max_digits=14, decimal_places=2)
    given = contributions.aggregate(
        hours=Sum("hours", filter=Q(kind=ContributionKind.STAFF_HOURS)),
        money=Sum("amount", filter=Q(kind=ContributionKind.MONEY), output_field=money_field),
        in_kind=Sum(
            "amount",
            filter=Q(kind__in=(ContributionKind.PREMISES, ContributionKind.IN_KIND)),
            output_field=money_field,
        ),
    )
    return {
        "situations_reported": situations,
        "situations_followed": followed.values("situation").distinct().count(),
        "referrals_sent": referrals["n"],
        "referrals_received": referrals["n"],
        "referrals_accepted": referrals["accepted"],
        "stays": housing["n"],
        "nights": housing["nights"] or 0,
        "meetings": meetings,
        "actions_led": actions.count(),
        "actions_partner": actions.filter(partners__isnull=False).distinct().count(),
        "events": events["n"],
        "people_reached": events["reached"],
        "trainings_given": trainings["n"],
        "training_hours_given": trainings["hours"] or ZERO,
        "trainings_attended": trainings["n"],
        "attendees": attendance["people"] or 0,
        "training_person_hours": attendance["person_hours"] or ZERO,
        "staff_hours": given["hours"] or ZERO,
        "money": given["money"] or ZERO,
        "in_kind_value": given["in_kind"] or ZERO,
    }


def years_with_activity(territory: Territory) -> list[int]:
    """The years the pages offer: from the territory's first situation, action or event to this year."""
    this_year = timezone.localdate().year
    firsts = [
        Situation.objects.filter(territory=territory)
        .order_by("created_at")
        .values_list("created_at", flat=True)[:1],
        PreventionEvent.objects.filter(territory=territory)
        .order_by("held_on")
        .values_list("held_on", flat=True)[:1],
        Training.objects.filter(territory=territory)
        .order_by("held_on")
        .values_list("held_on", flat=True)[:1],
    ]
    years = [this_year]
    for first in firsts:
        for value in first:
            years.append(
                timezone.localtime(value).year if isinstance(value, datetime.datetime) else value.year
            )
    return list(range(this_year, min(years) - 1, -1))


@dataclass(frozen=True)
class OrganisationWork:
    """What the organisation's page lists beside its figures: the plan's actions, events and trainings (none
    of them nominative)."""

    actions_led: list
    actions_partner: list
    events: list
    trainings_given: list
    trainings_attended: list


def organisation_work(territory: Territory, organisation: Organisation, period: Period) -> OrganisationWork:
    actions = Action.objects.filter(_periods_overlap(period, "starts_on", "ends_on"), territory=territory)
    events = PreventionEvent.objects.filter(period.dates("held_on"), territory=territory)
    trainings = Training.objects.filter(period.dates("held_on"), territory=territory)
    return OrganisationWork(
        actions_led=list(actions.filter(lead_organisation=organisation).select_related("axis")),
        actions_partner=list(
            actions.filter(partners=organisation).select_related("axis", "lead_organisation")
        ),
        events=list(events.filter(organisations=organisation).select_related("commune").order_by("-held_on")),
        trainings_given=list(trainings.filter(trainer_organisations=organisation).order_by("-held_on")),
        trainings_attended=list(
            TrainingAttendance.objects.filter(
                period.dates("training__held_on"), training__territory=territory
            )
            .filter(organisation=organisation)
            .select_related("training")
            .order_by("-training__held_on")
        ),
    )


def tables_by_theme(figures: list[OrganisationFigures], omitted=frozenset()):
    """[(theme, [(name, label)], [(organisation, [values])])]: per theme, the partners with some figure;
    the `omitted` figures left out (a theme without any left out whole)."""
    tables = []
    for theme, all_names in THEMES:
        names = [name for name in all_names if name not in omitted]
        if not names:
            continue
        rows = [
            (f.organisation, [f[name] for name in names]) for f in figures if any(f[name] for name in names)
        ]
        tables.append((theme, [(name, LABELS[name]) for name in names], rows))
    return tables
