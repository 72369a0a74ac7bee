"""Who fits in a unit: one rule for the availability search, the units offered for a request and the
allocation's check under the unit's lock (ADR 0030).

A unit takes a household when each adult has an adult bed, each child of `COT_AGE` or more a child's bed,
and each younger child a child's bed or a cot. Written once in Python (`fits`, for a unit in hand) and
once as a filter (`fitting`, for a query): the tests hold the two to the same answers."""

from django.db.models import F, QuerySet

# Under this age a cot will do (lit parapluie); from it, a child's bed.
COT_AGE = 3


def older_children(children_ages: list[int]) -> int:
    """How many of the children need a child's bed."""
    return sum(1 for age in children_ages if age >= COT_AGE)


def fits(unit, adults: int, children: int, older: int) -> bool:
    """Whether `unit` takes `adults` and `children`, `older` of whom need a child's bed."""
    return adults <= unit.adults and older <= unit.children and children <= unit.children + unit.cots


def fitting(units: QuerySet, adults: int, children: int, older: int) -> QuerySet:
    """The units of the query that take the household (the same rule as `fits`)."""
    return (
        units.filter(adults__gte=adults, children__gte=older)
        .annotate(places_for_children=F("children") + F("cots"))
        .filter(places_for_children__gte=children)
    )
