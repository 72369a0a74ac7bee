"""Reads for the stay pages and API: the requests inbox (urgent first) and the units free for a request."""

import datetime

from django.db.models import Exists, OuterRef

from maillage.housing import capacity, stay_policies
from maillage.housing.enums import HOLDING, RequestStatus, StayStatus, UnitStatus
from maillage.housing.models import Stay, StayRequest
from maillage.network.actor import Actor

OPEN = (RequestStatus.PENDING, RequestStatus.WAITING_LIST)


def requests_listed(actor: Actor, status: str = "open"):
    """The requests the actor sees, urgent first then oldest first (the model's order): `open` (pending or
    on the waiting list, the default), one status, or all of them ("")."""
    requests = stay_policies.requests_visible_to(actor).select_related("situation")
    if status == "open":
        return requests.filter(status__in=OPEN)
    if status in RequestStatus.values:
        return requests.filter(status=status)
    return requests


def stays_listed(actor: Actor, *, current_only: bool = False):
    stays = stay_policies.stays_visible_to(actor).select_related("situation", "unit")
    if current_only:
        stays = stays.filter(status__in=(StayStatus.PLANNED, StayStatus.IN_PROGRESS))
    return stays.order_by("starts_on", "pk")


def free_units(actor: Actor, request: StayRequest, starts_on: datetime.date, ends_on: datetime.date):
    """The units the actor may allocate that fit the request's household and hold no stay sharing a night
    with [starts_on, ends_on): one query. The allocation checks it again under the unit's lock."""
    ages = request.children_ages
    busy = Stay.objects.filter(
        unit=OuterRef("pk"), status__in=HOLDING, starts_on__lt=ends_on, ends_on__gt=starts_on
    )
    units = stay_policies.allocatable_units(actor, request.territory_id).filter(status=UnitStatus.AVAILABLE)
    units = capacity.fitting(units, request.adults, len(ages), capacity.older_children(ages))
    return units.exclude(Exists(busy)).order_by("name")
