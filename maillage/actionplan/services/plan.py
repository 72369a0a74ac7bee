"""The plan itself: its axes, its actions and their progress updates (docs/decisions/0035-action-plan.md).

Each service is keyword-only with the actor first, runs in one transaction, checks the policy itself and
writes its audit entry. The status of an action follows `TRANSITIONS`; a form read at an older version of
the action is refused (ConflictError), and nothing typed is lost (the view shows the form again). A second
submission of the same creation (a double click, a retried API call) finds the first and says so
(`AlreadyRecorded`), under a lock of the row it belongs to, so that two requests cannot both pass."""

import datetime

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.actionplan import policies
from maillage.actionplan.enums import DEFAULT_AXES, ActionStatus
from maillage.actionplan.models import Action, Axis, ProgressUpdate
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.network.actor import Actor
from maillage.network.models import Organisation
from maillage.territories.models import Territory

S = ActionStatus
# The status machine: from each status, where an action may go (staying put is always allowed).
TRANSITIONS: dict[str, set[str]] = {
    S.PLANNED: {S.IN_PROGRESS, S.DONE, S.POSTPONED, S.ABANDONED},
    S.IN_PROGRESS: {S.DONE, S.POSTPONED, S.ABANDONED},
    S.POSTPONED: {S.PLANNED, S.IN_PROGRESS, S.ABANDONED},
    S.DONE: {S.IN_PROGRESS},
    S.ABANDONED: {S.PLANNED},
}
# Reopening what was closed is the coordination's decision, not the lead's.
COORDINATION_ONLY = {(S.DONE, S.IN_PROGRESS), (S.ABANDONED, S.PLANNED)}

ACTION_FIELDS = (
    "axis",
    "title",
    "description",
    "lead_organisation",
    "partners",
    "starts_on",
    "ends_on",
    "status",
)
TITLE_MAX, TEXT_MAX = 200, 5000

ONLY_COORDINATION = "Seule la coordination du territoire peut modifier le plan d'action."
ONLY_UPDATERS = (
    "Seules la coordination et les membres de l'organisation pilote peuvent noter l'avancement de cette "
    "action."
)


class AlreadyRecorded(ConflictError):
    """The same thing was already recorded (a form sent twice): `existing` is the first one."""

    def __init__(self, message: str, existing):
        super().__init__(message)
        self.existing = existing


def statuses_open_to(actor: Actor, action: Action) -> list[str]:
    """The statuses this actor may give the action now (its current one first), for forms and the API."""
    current = action.status
    allowed = [current]
    for status in S.values:
        if status in TRANSITIONS[current] and (
            (current, status) not in COORDINATION_ONLY or policies.edits_plan(actor, action.territory_id)
        ):
            allowed.append(status)
    return allowed


def _check_move(actor: Actor, action: Action, old: str, new: str) -> None:
    if new not in S.values:
        raise DomainError("Choisissez l'état de l'action.")
    if new == old:
        return
    if new not in TRANSITIONS[old]:
        raise DomainError(f"Une action « {S(old).label} » ne peut pas passer à « {S(new).label} ».")
    if (old, new) in COORDINATION_ONLY and not policies.edits_plan(actor, action.territory_id):
        raise PermissionDeniedError(
            f"Seule la coordination peut rouvrir une action « {S(old).label.lower()} »."
        )


def require_editor(actor: Actor, territory_id: int) -> None:
    if not policies.edits_plan(actor, territory_id):
        raise PermissionDeniedError(ONLY_COORDINATION)


def checked_text(value: str | None, *, label: str, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Indiquez {label}.")
    if len(value) > limit:
        raise DomainError(f"{label[0].upper()}{label[1:]} ne peut pas dépasser {limit} caractères.")
    return value


def territory_organisations(territory_id: int):
    """The organisations an action of this territory may name: those serving the territory."""
    return Organisation.objects.filter(territories=territory_id)


# --------------------------------------------------------------------------------------------- axes


def _locked_territory(actor: Actor) -> Territory:
    return Territory.objects.select_for_update().get(pk=actor.membership.territory_id)


def _axis_saved(actor: Actor, axis: Axis, changes: dict) -> None:
    audit.record(actor=actor, action=AuditAction.ACTION_PLAN_AXIS_SAVED, obj=axis, changes=changes)


@transaction.atomic
def axes_create_default(*, actor: Actor) -> list[Axis]:
    """The contract's commitments (`DEFAULT_AXES`) as the axes of a plan that has none; a plan that has
    axes is left as it is (idempotent: a second click creates nothing)."""
    if not policies.edits_plan(actor):
        raise PermissionDeniedError(ONLY_COORDINATION)
    territory = _locked_territory(actor)
    existing = list(Axis.objects.filter(territory=territory))
    if existing:
        return existing
    axes = []
    for number, title in enumerate(DEFAULT_AXES, start=1):
        axis = Axis.objects.create(territory=territory, number=number, title=title)
        _axis_saved(actor, axis, {"number": number, "title": title, "default": True})
        axes.append(axis)
    return axes


@transaction.atomic
def axis_create(*, actor: Actor, title: str, description: str = "") -> Axis:
    """A new axis, numbered after the last one."""
    if not policies.edits_plan(actor):
        raise PermissionDeniedError(ONLY_COORDINATION)
    territory = _locked_territory(actor)
    title = checked_text(title, label="l'intitulé de l'axe", required=True, limit=TITLE_MAX)
    description = checked_text(description, label="la description", required=False, limit=TEXT_MAX)
    existing = Axis.objects.filter(territory=territory, title__iexact=title).first()
    if existing is not None:
        raise AlreadyRecorded(f"L'axe « {existing.title} » existe déjà.", existing)
    last = Axis.objects.filter(territory=territory).order_by("-number").first()
    axis = Axis.objects.create(
        territory=territory, number=(last.number + 1) if last else 1, title=title, description=description
    )
    _axis_saved(actor, axis, {"number": axis.number, "title": title})
    return axis


@transaction.atomic
def axis_update(*, actor: Actor, axis: Axis, title: str, description: str = "") -> Axis:
    require_editor(actor, axis.territory_id)
    _locked_territory(actor)
    axis = Axis.objects.get(pk=axis.pk)
    title = checked_text(title, label="l'intitulé de l'axe", required=True, limit=TITLE_MAX)
    description = checked_text(description, label="la description", required=False, limit=TEXT_MAX)
    if Axis.objects.filter(territory_id=axis.territory_id, title__iexact=title).exclude(pk=axis.pk).exists():
        raise DomainError("Un autre axe porte déjà cet intitulé.")
    changes = {
        name: [getattr(axis, name), value]
        for name, value in (("title", title), ("description", description))
        if getattr(axis, name) != value
    }
    if changes:
        axis.title, axis.description = title, description
        axis.save(update_fields=["title", "description"])
        _axis_saved(actor, axis, {"number": axis.number, **changes})
    return axis


@transaction.atomic
def axis_remove(*, actor: Actor, axis: Axis) -> None:
    """Removes an axis that holds no action (actions are never deleted: they are moved, or abandoned)."""
    require_editor(actor, axis.territory_id)
    _locked_territory(actor)
    if Action.objects.filter(axis=axis).exists():
        raise DomainError("Cet axe porte des actions : rattachez-les à un autre axe avant de le supprimer.")
    _axis_saved(actor, axis, {"number": axis.number, "title": axis.title, "removed": True})
    axis.delete()


# ------------------------------------------------------------------------------------------ actions


def _plain(name: str, value):
    """What the audit trail keeps of a field: names, not ids."""
    if name == "axis":
        return value.number if value is not None else None
    if name == "lead_organisation":
        return value.name if value is not None else None
    if name == "partners":
        return sorted(o.name for o in value)
    return value


def _checked_action(actor: Actor, territory_id: int, values: dict) -> dict:
    """Coherent values, or a DomainError saying what to fix."""
    values["title"] = checked_text(
        values["title"], label="l'intitulé de l'action", required=True, limit=TITLE_MAX
    )
    values["description"] = checked_text(
        values["description"], label="la description", required=False, limit=TEXT_MAX
    )
    axis = values["axis"]
    if axis is None or axis.territory_id != territory_id:
        raise DomainError("Choisissez un axe du plan d'action de votre territoire.")
    lead = values["lead_organisation"]
    organisations = territory_organisations(territory_id)
    if lead is None or not organisations.filter(pk=lead.pk).exists():
        raise DomainError("Choisissez l'organisation pilote parmi celles du territoire.")
    # The lead is not its own partner.
    partners = {o.pk: o for o in values["partners"] if o.pk != lead.pk}
    if organisations.filter(pk__in=partners).count() != len(partners):
        raise DomainError("Choisissez les partenaires parmi les organisations du territoire.")
    values["partners"] = list(partners.values())
    starts_on, ends_on = values["starts_on"], values["ends_on"]
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError("La fin prévue de l'action ne peut pas précéder son début.")
    if values["status"] not in S.values:
        raise DomainError("Choisissez l'état de l'action.")
    return values


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    axis: Axis,
    title: str,
    lead_organisation: Organisation,
    description: str = "",
    partners=(),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = S.PLANNED,
    import_key: str = "",
) -> Action:
    """A new action of the actor's territory. An action of the same axis with the same title (or the same
    import key) is not created twice: `AlreadyRecorded` names it."""
    territory_id = actor.membership.territory_id if actor.is_member else None
    require_editor(actor, territory_id)
    if axis is not None:
        axis = Axis.objects.select_for_update().filter(pk=axis.pk).first()
    values = _checked_action(
        actor,
        territory_id,
        {
            "axis": axis,
            "title": title,
            "description": description,
            "lead_organisation": lead_organisation,
            "partners": list(partners),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "status": status,
        },
    )
    twins = Action.objects.filter(territory_id=territory_id)
    existing = (twins.filter(import_key=import_key).first() if import_key else None) or twins.filter(
        axis=axis, title__iexact=values["title"]
    ).first()
    if existing is not None:
        raise AlreadyRecorded(f"L'action « {existing.title} » existe déjà dans cet axe.", existing)
    partners = values.pop("partners")
    action = Action.objects.create(
        territory_id=territory_id, created_by=actor.membership, import_key=import_key, **values
    )
    action.partners.set(partners)
    audit.record(
        actor=actor,
        action=AuditAction.ACTION_CREATED,
        obj=action,
        changes={name: _plain(name, value) for name, value in {**values, "partners": partners}.items()},
    )
    return action


@transaction.atomic
def action_update(*, actor: Actor, action: Action, version: int, **changes) -> Action:
    """Changes an action read at `version`: any of `ACTION_FIELDS`, the status along `TRANSITIONS`. A form
    read at an older version is refused (ConflictError) and nothing is overwritten."""
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    require_editor(actor, action.territory_id)
    action = Action.objects.select_for_update().select_related("axis", "lead_organisation").get(pk=action.pk)
    if action.version != version:
        raise ConflictError(
            "Quelqu'un a modifié cette action pendant que vous la modifiiez : elle est maintenant "
            f"« {action.get_status_display()} », pilotée par {action.lead_organisation.name}. Vos "
            "modifications n'ont pas été enregistrées : vérifiez-les puis enregistrez à nouveau."
        )
    before = {name: getattr(action, name) for name in ACTION_FIELDS if name != "partners"}
    before["partners"] = list(action.partners.order_by("name"))
    values = _checked_action(actor, action.territory_id, {**before, **changes})
    _check_move(actor, action, before["status"], values["status"])
    if (
        Action.objects.filter(axis=values["axis"], title__iexact=values["title"])
        .exclude(pk=action.pk)
        .exists()
    ):
        raise DomainError("Une autre action de cet axe porte déjà cet intitulé.")
    plain_before = {name: _plain(name, value) for name, value in before.items()}
    plain_after = {name: _plain(name, value) for name, value in values.items()}
    changed = [name for name in ACTION_FIELDS if plain_before[name] != plain_after[name]]
    if not changed:
        return action
    for name in changed:
        if name != "partners":
            setattr(action, name, values[name])
    old_version, action.version = action.version, action.version + 1
    action.save()
    if "partners" in changed:
        action.partners.set(values["partners"])
    audit.record(
        actor=actor,
        action=AuditAction.ACTION_UPDATED,
        obj=action,
        changes={
            "version": [old_version, action.version],
            **{name: [plain_before[name], plain_after[name]] for name in changed},
        },
    )
    return action


# ------------------------------------------------------------------------------------------ progress


@transaction.atomic
def progress_record(
    *,
    actor: Actor,
    action: Action,
    written_on: datetime.date,
    text: str,
    status: str | None = None,
) -> ProgressUpdate:
    """A dated note on the work done, by the coordination or a member of the lead organisation; it may
    move the action's status (`TRANSITIONS`). The same note on the same day is recorded once."""
    if not policies.can_update(actor, action):
        raise PermissionDeniedError(ONLY_UPDATERS)
    action = Action.objects.select_for_update().get(pk=action.pk)
    text = checked_text(text, label="ce qui a été fait", required=True, limit=TEXT_MAX)
    if written_on is None:
        raise DomainError("Indiquez la date du point d'avancement.")
    if written_on > timezone.localdate():
        raise DomainError("La date du point d'avancement ne peut pas être dans le futur.")
    old = action.status
    new = status or old
    _check_move(actor, action, old, new)
    existing = ProgressUpdate.objects.filter(action=action, written_on=written_on, text=text).first()
    if existing is not None:
        raise AlreadyRecorded(
            f"Ce point d'avancement du {written_on:%d/%m/%Y} est déjà enregistré.", existing
        )
    update = ProgressUpdate.objects.create(
        action=action, written_on=written_on, text=text, status=new, author=actor.membership
    )
    changes = {"progress": str(update.public_id), "written_on": written_on, "status": new}
    if new != old:
        old_version, action.version = action.version, action.version + 1
        action.status = new
        action.save(update_fields=["status", "version", "updated_at"])
        changes.update(status=[old, new], version=[old_version, action.version])
    audit.record(actor=actor, action=AuditAction.ACTION_PROGRESS_RECORDED, obj=action, changes=changes)
    return update
