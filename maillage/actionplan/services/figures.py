"""An action's figures: its indicators (target and actual), its budget lines and each partner's
contributions (docs/decisions/0035-action-plan.md).

The coordinator keeps them all; a member of the lead organisation updates the indicators' actual values
and its own organisation's contributions (policies.py). Each write locks the action's row (two requests
on one action run one after the other, so the check for a twin is safe), records one audit entry
`ACTION_FIGURES_CHANGED` on the action, and a second identical creation answers `AlreadyRecorded`.
Figures carry no version: a change is a single value a person types, and the action's own version is
left alone so that recording figures never makes someone's edit of the action fail."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maillage import audit
from maillage.actionplan import policies
from maillage.actionplan.enums import ContributionKind
from maillage.actionplan.models import Action, BudgetLine, Contribution, Indicator
from maillage.actionplan.services.plan import (
    AlreadyRecorded,
    checked_text,
    require_editor,
    territory_organisations,
)
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.network.actor import Actor

INDICATOR_FIELDS = ("label", "unit", "target", "actual")
BUDGET_FIELDS = ("year", "label", "planned", "spent")
CONTRIBUTION_FIELDS = ("organisation", "year", "kind", "amount", "hours", "description")
LABEL_MAX = 200
FIRST_YEAR = 2000
YEARS_AHEAD = 5
K = ContributionKind


def _locked(action: Action) -> Action:
    return Action.objects.select_for_update().get(pk=action.pk)


def _recorded(actor: Actor, action: Action, changes: dict) -> None:
    audit.record(actor=actor, action=AuditAction.ACTION_FIGURES_CHANGED, obj=action, changes=changes)


def _amount(value, *, label: str, required: bool = False, positive: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise DomainError(f"Indiquez {label}.")
        return None
    value = Decimal(value)
    if value < 0 or (positive and value == 0):
        raise DomainError(
            f"{label[0].upper()}{label[1:]} doit être {'positif' if positive else 'positif ou nul'}."
        )
    if value >= Decimal("1e9"):
        raise DomainError(f"{label[0].upper()}{label[1:]} est trop grand.")
    return value


def _year(value) -> int:
    last = timezone.localdate().year + YEARS_AHEAD
    if value is None or not FIRST_YEAR <= int(value) <= last:
        raise DomainError(f"Indiquez une année entre {FIRST_YEAR} et {last}.")
    return int(value)


def _changes(before: dict, after: dict, names) -> dict:
    return {name: [before[name], after[name]] for name in names if before[name] != after[name]}


# --------------------------------------------------------------------------------------- indicators


def _checked_indicator(values: dict) -> dict:
    values["label"] = checked_text(values["label"], label="l'indicateur", required=True, limit=LABEL_MAX)
    values["unit"] = checked_text(values["unit"], label="l'unité", required=False, limit=50)
    values["target"] = _amount(values["target"], label="la cible")
    values["actual"] = _amount(values["actual"], label="le réalisé")
    return values


@transaction.atomic
def indicator_create(
    *, actor: Actor, action: Action, label: str, unit: str = "", target=None, actual=None
) -> Indicator:
    require_editor(actor, action.territory_id)
    action = _locked(action)
    values = _checked_indicator({"label": label, "unit": unit, "target": target, "actual": actual})
    existing = Indicator.objects.filter(action=action, label__iexact=values["label"]).first()
    if existing is not None:
        raise AlreadyRecorded(f"L'indicateur « {existing.label} » existe déjà pour cette action.", existing)
    indicator = Indicator.objects.create(action=action, **values)
    _recorded(actor, action, {"indicator": str(indicator.public_id), **values})
    return indicator


@transaction.atomic
def indicator_update(*, actor: Actor, indicator: Indicator, **changes) -> Indicator:
    """The coordinator changes any field; the lead organisation only the actual value."""
    unknown = set(changes) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    action = indicator.action
    if not policies.can_update(actor, action):
        raise PermissionDeniedError(
            "Seules la coordination et l'organisation pilote peuvent mettre à jour les indicateurs."
        )
    action = _locked(action)
    indicator = Indicator.objects.get(pk=indicator.pk)
    before = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    after = _checked_indicator({**before, **changes})
    changed = _changes(before, after, INDICATOR_FIELDS)
    if set(changed) - {"actual"} and not policies.edits_plan(actor, action.territory_id):
        raise PermissionDeniedError(
            "Seule la coordination peut changer l'intitulé, l'unité ou la cible d'un indicateur."
        )
    if (
        Indicator.objects.filter(action=action, label__iexact=after["label"])
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise DomainError("Un autre indicateur de cette action porte déjà cet intitulé.")
    if changed:
        for name in changed:
            setattr(indicator, name, after[name])
        indicator.save()
        _recorded(actor, action, {"indicator": str(indicator.public_id), **changed})
    return indicator


@transaction.atomic
def indicator_remove(*, actor: Actor, indicator: Indicator) -> None:
    action = indicator.action
    require_editor(actor, action.territory_id)
    action = _locked(action)
    _recorded(
        actor, action, {"indicator": str(indicator.public_id), "label": indicator.label, "removed": True}
    )
    indicator.delete()


# ------------------------------------------------------------------------------------- budget lines


def _checked_budget_line(values: dict) -> dict:
    values["year"] = _year(values["year"])
    values["label"] = checked_text(
        values["label"], label="le poste de dépense", required=True, limit=LABEL_MAX
    )
    values["planned"] = _amount(values["planned"], label="le montant prévu", required=True)
    values["spent"] = _amount(values["spent"], label="le montant dépensé")
    return values


@transaction.atomic
def budget_line_create(
    *, actor: Actor, action: Action, year: int, label: str, planned, spent=None
) -> BudgetLine:
    require_editor(actor, action.territory_id)
    action = _locked(action)
    values = _checked_budget_line({"year": year, "label": label, "planned": planned, "spent": spent})
    existing = BudgetLine.objects.filter(
        action=action, year=values["year"], label__iexact=values["label"]
    ).first()
    if existing is not None:
        raise AlreadyRecorded(f"La ligne « {existing.label} » existe déjà pour {existing.year}.", existing)
    line = BudgetLine.objects.create(action=action, **values)
    _recorded(actor, action, {"budget_line": str(line.public_id), **values})
    return line


@transaction.atomic
def budget_line_update(*, actor: Actor, line: BudgetLine, **changes) -> BudgetLine:
    unknown = set(changes) - set(BUDGET_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    require_editor(actor, line.action.territory_id)
    action = _locked(line.action)
    line = BudgetLine.objects.get(pk=line.pk)
    before = {name: getattr(line, name) for name in BUDGET_FIELDS}
    after = _checked_budget_line({**before, **changes})
    if (
        BudgetLine.objects.filter(action=action, year=after["year"], label__iexact=after["label"])
        .exclude(pk=line.pk)
        .exists()
    ):
        raise DomainError("Une autre ligne de cette année porte déjà cet intitulé.")
    changed = _changes(before, after, BUDGET_FIELDS)
    if changed:
        for name in changed:
            setattr(line, name, after[name])
        line.save()
        _recorded(actor, action, {"budget_line": str(line.public_id), **changed})
    return line


@transaction.atomic
def budget_line_remove(*, actor: Actor, line: BudgetLine) -> None:
    require_editor(actor, line.action.territory_id)
    action = _locked(line.action)
    _recorded(
        actor,
        action,
        {"budget_line": str(line.public_id), "year": line.year, "label": line.label, "removed": True},
    )
    line.delete()


# ------------------------------------------------------------------------------------ contributions


def _checked_contribution(action: Action, values: dict) -> dict:
    """Per kind: money needs an amount; staff time needs hours; premises and in-kind contributions are
    described, their value in euros optional. A field that does not apply to the kind is refused."""
    organisation = values["organisation"]
    if (
        organisation is None
        or not territory_organisations(action.territory_id).filter(pk=organisation.pk).exists()
    ):
        raise DomainError("Choisissez le partenaire parmi les organisations du territoire.")
    values["year"] = _year(values["year"])
    kind = values["kind"]
    if kind not in K.values:
        raise DomainError("Choisissez la nature de la contribution.")
    values["description"] = checked_text(
        values["description"], label="la description", required=kind in (K.PREMISES, K.IN_KIND), limit=300
    )
    values["amount"] = _amount(values["amount"], label="le montant", required=kind == K.MONEY, positive=True)
    values["hours"] = _amount(
        values["hours"], label="le nombre d'heures", required=kind == K.STAFF_HOURS, positive=True
    )
    if kind != K.STAFF_HOURS and values["hours"] is not None:
        raise DomainError("Les heures ne s'indiquent que pour du temps de personnel.")
    if kind == K.STAFF_HOURS and values["amount"] is not None:
        raise DomainError("Le temps de personnel se compte en heures : laissez le montant vide.")
    return values


def _plain_contribution(values: dict) -> dict:
    return {**values, "organisation": values["organisation"].name}


def _require_contributor(actor: Actor, action: Action, organisation_id: int | None) -> None:
    if policies.can_record_contribution(actor, action, organisation_id):
        return
    if policies.leads(actor, action):
        raise PermissionDeniedError(
            "Vous pouvez enregistrer les contributions de votre organisation ; celles des autres "
            "partenaires, la coordination les enregistre."
        )
    raise PermissionDeniedError(
        "Seules la coordination et l'organisation pilote peuvent enregistrer des contributions."
    )


@transaction.atomic
def contribution_create(
    *,
    actor: Actor,
    action: Action,
    organisation,
    year: int,
    kind: str,
    amount=None,
    hours=None,
    description: str = "",
) -> Contribution:
    _require_contributor(actor, action, getattr(organisation, "pk", None))
    action = _locked(action)
    values = _checked_contribution(
        action,
        {
            "organisation": organisation,
            "year": year,
            "kind": kind,
            "amount": amount,
            "hours": hours,
            "description": description,
        },
    )
    existing = Contribution.objects.filter(action=action, **values).first()
    if existing is not None:
        raise AlreadyRecorded(
            f"Cette contribution de {organisation.name} pour {values['year']} est déjà enregistrée.", existing
        )
    contribution = Contribution.objects.create(action=action, recorded_by=actor.membership, **values)
    _recorded(actor, action, {"contribution": str(contribution.public_id), **_plain_contribution(values)})
    return contribution


@transaction.atomic
def contribution_update(*, actor: Actor, contribution: Contribution, **changes) -> Contribution:
    unknown = set(changes) - set(CONTRIBUTION_FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    action = contribution.action
    _require_contributor(actor, action, contribution.organisation_id)
    if "organisation" in changes:
        _require_contributor(actor, action, getattr(changes["organisation"], "pk", None))
    action = _locked(action)
    contribution = Contribution.objects.select_related("organisation").get(pk=contribution.pk)
    before = {name: getattr(contribution, name) for name in CONTRIBUTION_FIELDS}
    after = _checked_contribution(action, {**before, **changes})
    changed = _changes(_plain_contribution(before), _plain_contribution(after), CONTRIBUTION_FIELDS)
    if changed:
        for name in changed:
            setattr(contribution, name, after[name])
        contribution.save()
        _recorded(actor, action, {"contribution": str(contribution.public_id), **changed})
    return contribution


@transaction.atomic
def contribution_remove(*, actor: Actor, contribution: Contribution) -> None:
    action = contribution.action
    _require_contributor(actor, action, contribution.organisation_id)
    action = _locked(action)
    _recorded(
        actor,
        action,
        {
            "contribution": str(contribution.public_id),
            "organisation": contribution.organisation.name,
            "year": contribution.year,
            "kind": contribution.kind,
            "removed": True,
        },
    )
    contribution.delete()
