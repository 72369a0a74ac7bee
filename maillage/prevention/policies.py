"""Who sees and keeps the prevention events and the trainings (docs/decisions/0036). Nothing here is
nominative, so the rule is the territory's, not a situation's:

- every active member of a territory, whatever their role, sees its events and trainings; another
  territory's answer the same 404 as a missing one; the platform administrator sees none (no membership);
- the coordinator records, changes and deletes every event and training of the territory (deleting after a
  confirmation page);
- the other members who act in the network (`WRITER_ROLES`: referents, professionals, organisation admins,
  housing managers) record events and trainings; their own organisation is then always among the event's
  organisations (resp. the training's trainer organisations) — preselected, and kept on every change. They
  change (never delete) the events their organisation took part in and the trainings it gave;
- observers and DPOs read only.

`events_visible_to(actor)` and `trainings_visible_to(actor)` are one query each; `memberships_editing_event`,
`memberships_editing_training`, `memberships_seeing` and `memberships_deleting` are the reverse sides (who
may change, see or delete a record: whom to tell about it)."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from maillage.network.actor import Actor
from maillage.network.enums import Role

# Roles that record events and trainings (and change those of their organisation). Observers and DPOs
# only read; a membership with no role reads too.
WRITER_ROLES = (
    Role.COORDINATOR,
    Role.REFERENT,
    Role.PROFESSIONAL,
    Role.ORG_ADMIN,
    Role.HOUSING_MANAGER,
)


def _in_territory(actor: Actor | None, model):
    if actor is None or not actor.is_member:
        return model.objects.none()
    return model.objects.filter(territory_id=actor.membership.territory_id)


def events_visible_to(actor: Actor | None):
    """The prevention events this actor sees (one query): every event of their territory."""
    from maillage.prevention.models import PreventionEvent

    return _in_territory(actor, PreventionEvent)


def trainings_visible_to(actor: Actor | None):
    """The trainings this actor sees (one query): every training of their territory."""
    from maillage.prevention.models import Training

    return _in_territory(actor, Training)


def access_event(actor: Actor | None, public_id):
    """The event if this actor may see it, else Http404: the same answer for missing and forbidden."""
    return get_object_or_404(
        events_visible_to(actor).select_related("commune").prefetch_related("organisations"),
        public_id=public_id,
    )


def with_attendance(trainings):
    """The trainings with their attendance and its organisations (one more query)."""
    from maillage.prevention.models import TrainingAttendance

    return trainings.prefetch_related(
        Prefetch("attendances", queryset=TrainingAttendance.objects.select_related("organisation"))
    )


def access_training(actor: Actor | None, public_id):
    """The training if this actor may see it, else Http404: the same answer for missing and forbidden."""
    return get_object_or_404(
        with_attendance(
            trainings_visible_to(actor).select_related("commune").prefetch_related("trainer_organisations")
        ),
        public_id=public_id,
    )


def is_coordination(actor: Actor | None, record) -> bool:
    return (
        actor is not None
        and actor.has_role(Role.COORDINATOR)
        and actor.membership.territory_id == record.territory_id
    )


def can_record(actor: Actor | None) -> bool:
    """Record a new event or training in the actor's territory."""
    return actor is not None and actor.has_role(*WRITER_ROLES)


def must_include_own_organisation(actor: Actor) -> bool:
    """A writer other than the coordinator always counts their own organisation in what they record."""
    return not actor.has_role(Role.COORDINATOR)


def _organisation_ids(related) -> set[int]:
    # Reads the prefetched organisations when they are there (pages, API), else one query.
    return {organisation.pk for organisation in related.all()}


def can_edit_event(actor: Actor | None, event) -> bool:
    """The coordinator: every event of the territory; another writer: the events their organisation took
    part in."""
    if is_coordination(actor, event):
        return True
    return (
        can_record(actor)
        and actor.membership.territory_id == event.territory_id
        and actor.membership.organisation_id in _organisation_ids(event.organisations)
    )


def can_edit_training(actor: Actor | None, training) -> bool:
    """The coordinator: every training of the territory; another writer: the trainings their organisation
    gave."""
    if is_coordination(actor, training):
        return True
    return (
        can_record(actor)
        and actor.membership.territory_id == training.territory_id
        and actor.membership.organisation_id in _organisation_ids(training.trainer_organisations)
    )


def can_delete(actor: Actor | None, record) -> bool:
    """Delete an event or a training: the territory's coordinator only."""
    return is_coordination(actor, record)


# ------------------------------------------------------------------------------------ reverse sides


def _members_of(territory_id: int):
    from maillage.network.models import Membership

    return Membership.objects.active().filter(territory_id=territory_id)


def memberships_seeing(record):
    """Reverse side of `events_visible_to` and `trainings_visible_to`: the active memberships of the
    record's territory."""
    return _members_of(record.territory_id)


def _editing(record, organisation_ids):
    return (
        _members_of(record.territory_id)
        .filter(
            Q(role_set__role=Role.COORDINATOR)
            | Q(organisation_id__in=organisation_ids, role_set__role__in=WRITER_ROLES)
        )
        .distinct()
    )


def memberships_editing_event(event):
    """Reverse side of `can_edit_event`: the territory's coordinators, and the writers of the organisations
    that took part in the event."""
    return _editing(event, event.organisations.values("pk"))


def memberships_editing_training(training):
    """Reverse side of `can_edit_training`: the territory's coordinators, and the writers of the
    organisations that gave the training."""
    return _editing(training, training.trainer_organisations.values("pk"))


def memberships_deleting(record):
    """Reverse side of `can_delete`: the territory's coordinators."""
    return _members_of(record.territory_id).filter(role_set__role=Role.COORDINATOR)
