"""Indicators about situations and the people in them (DOMAIN.md §7, ADR 0040): new, active and closed
situations, victims by sex and age band, children co-victims, situations by commune, sources of detection.

One aggregate query per table (two for the communes table: the communes are its rows), whatever the number
of situations."""

from django.db import connection
from django.db.models import Case, Count, FilteredRelation, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from maillage.situations.enums import DetectionSource, PersonRole, Sex
from maillage.situations.models import Person, Situation
from maillage.stats.indicators.table import Line, Scope, Table
from maillage.territories.models import Commune

# Age bands of the victims (Person.age, recorded for statistics), upper bounds excluded.
AGE_BANDS: tuple[tuple[str, str, int | None, int | None], ...] = (
    ("under_18", "Moins de 18 ans", None, 18),
    ("18_24", "18 à 24 ans", 18, 25),
    ("25_34", "25 à 34 ans", 25, 35),
    ("35_44", "35 à 44 ans", 35, 45),
    ("45_54", "45 à 54 ans", 45, 55),
    ("55_64", "55 à 64 ans", 55, 65),
    ("65_plus", "65 ans et plus", 65, None),
    ("unknown", "Âge non renseigné", None, None),
)
# Situations by number of children co-victims; the last one is « 3 or more ».
CHILDREN_BUCKETS = (
    ("0", "Sans enfant"),
    ("1", "1 enfant"),
    ("2", "2 enfants"),
    ("3", "3 enfants ou plus"),
)
MEASURES = (
    ("new", "Nouvelles"),
    ("active", "Actives dans l'année"),
    ("closed", "Clôturées"),
)


def territory_situations(scope: Scope):
    return Situation.objects.filter(scope.commune_filter("commune"), territory=scope.territory)


def is_new(scope: Scope, prefix: str = "") -> Q:
    """Reported to the network (created) in the period, territory time."""
    return scope.period.moments(f"{prefix}created_at")


def is_active(scope: Scope, prefix: str = "") -> Q:
    """Reported before the period's end and not closed before its start (a reopened situation has no
    closing date any more)."""
    return Q(**{f"{prefix}created_at__lt": scope.period.moment(scope.period.end)}) & (
        Q(**{f"{prefix}closed_at__isnull": True})
        | Q(**{f"{prefix}closed_at__gte": scope.period.moment(scope.period.start)})
    )


def is_closed(scope: Scope, prefix: str = "") -> Q:
    """Closed in the period (and not reopened since: reopening clears the closing date)."""
    return scope.period.moments(f"{prefix}closed_at") & Q(**{f"{prefix}closed_at__isnull": False})


def _measure_counts(scope: Scope) -> dict:
    return {
        "new": Count("pk", filter=is_new(scope)),
        "active": Count("pk", filter=is_active(scope)),
        "closed": Count("pk", filter=is_closed(scope)),
    }


def situations(scope: Scope) -> Table:
    counts = territory_situations(scope).aggregate(**_measure_counts(scope))
    return Table(
        rows=tuple(Line(key, label) for key, label in MEASURES),
        columns=(Line("situations", "Situations"),),
        cells=tuple((counts[key],) for key, _ in MEASURES),
    )


def situations_by_commune(scope: Scope) -> Table:
    communes = list(
        Commune.objects.filter(scope.commune_filter("pk"), territory=scope.territory)
        .order_by("name", "pk")
        .values_list("pk", "public_id", "name")
    )
    rows = {
        row["commune"]: row
        for row in territory_situations(scope).order_by().values("commune").annotate(**_measure_counts(scope))
    }
    return Table(
        rows=tuple(Line(str(public_id), name) for _, public_id, name in communes),
        columns=tuple(Line(key, label) for key, label in MEASURES),
        cells=tuple(tuple(rows.get(pk, {}).get(key, 0) for key, _ in MEASURES) for pk, _, _ in communes),
        column_totals=True,
    )


def _age_band():
    whens = [When(age__isnull=True, then=Value("unknown"))]
    for key, _, low, high in AGE_BANDS:
        if key == "unknown":
            continue
        condition = Q()
        if low is not None:
            condition &= Q(age__gte=low)
        if high is not None:
            condition &= Q(age__lt=high)
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value("unknown"))


def victims(scope: Scope) -> Table:
    """Victims of the situations active in the period, by age band and sex."""
    rows = (
        Person.objects.filter(is_active(scope, "situation__"), role=PersonRole.VICTIM)
        .filter(scope.commune_filter("situation__commune"), situation__territory=scope.territory)
        .order_by()
        .values("sex", band=_age_band())
        .annotate(n=Count("*"))  # not the key: the persons' index answers alone
    )
    counts = {(row["band"], row["sex"]): row["n"] for row in rows}
    return Table(
        rows=tuple(Line(key, label) for key, label, _, _ in AGE_BANDS),
        columns=tuple(Line(value, label) for value, label in Sex.choices),
        cells=tuple(tuple(counts.get((band, sex), 0) for sex in Sex.values) for band, _, _, _ in AGE_BANDS),
        row_totals=True,
        column_totals=True,
        note="Victimes des situations actives dans l'année ; âge tel qu'il a été renseigné.",
    )


def children(scope: Scope) -> Table:
    """Situations active in the period by their number of children co-victims, and those children.

    One query: each active situation joined to its children only, counted per situation, then summed per
    bucket over that count; the persons' index led by the role answers without reading their rows. (A
    subquery per situation, repeated by each bucket's test, took seconds on PostgreSQL at 100,000
    situations: docs/performance.md.)"""
    per_situation = (
        territory_situations(scope)
        .filter(is_active(scope))
        .annotate(kids=FilteredRelation("persons", condition=Q(persons__role=PersonRole.CHILD)))
        # The children's situation column, not their key: the index alone answers.
        .annotate(n=Count("kids__situation"))
    )
    buckets = {"0": Q(n=0), "1": Q(n=1), "2": Q(n=2), "3": Q(n__gte=3)}  # as CHILDREN_BUCKETS
    counts = per_situation.aggregate(
        **{f"situations_{key}": Count("pk", filter=q) for key, q in buckets.items()},
        **{f"children_{key}": Coalesce(Sum("n", filter=q), 0) for key, q in buckets.items()},
    )
    return Table(
        rows=tuple(Line(key, label) for key, label in CHILDREN_BUCKETS),
        columns=(Line("situations", "Situations actives"), Line("children", "Enfants co-victimes")),
        cells=tuple((counts[f"situations_{key}"], counts[f"children_{key}"]) for key, _ in CHILDREN_BUCKETS),
        column_totals=True,
    )


def has_source(value: str) -> Q:
    """Situations whose `sources` (a JSON list) holds `value`. PostgreSQL tests the list (`@>`); SQLite has
    no JSON containment in Django, so it looks for the quoted value in the stored JSON text (the values are
    DetectionSource codes: none is a part of another once quoted)."""
    if connection.features.supports_json_field_contains:
        return Q(sources__contains=[value])
    return Q(sources__icontains=f'"{value}"')


def sources(scope: Scope) -> Table:
    """Sources of detection of the situations new in the period: a situation counts once for each of its
    sources, so the column does not add up to the new situations."""
    counts = (
        territory_situations(scope)
        .filter(is_new(scope))
        .aggregate(**{f"s_{v}": Count("pk", filter=has_source(v)) for v in DetectionSource.values})
    )
    return Table(
        rows=tuple(Line(value, label) for value, label in DetectionSource.choices),
        columns=(Line("situations", "Situations nouvelles"),),
        cells=tuple((counts[f"s_{value}"],) for value in DetectionSource.values),
        note="Une situation repérée par plusieurs sources compte pour chacune.",
    )
