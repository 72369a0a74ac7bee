"""Writes on housing units, and the one way to read an address (docs/decisions/0028).

Each service is keyword-only with the actor first, runs in one transaction, checks the permission itself
(policies.py) and records its audit entry. The address never enters an audit change record: a change says
only that the address changed (`address_changed`), a reveal says only that it was read."""

from django.db import IntegrityError, transaction

from maillage import audit
from maillage.audit.enums import AuditAction
from maillage.errors import ConflictError, DomainError, PermissionDeniedError
from maillage.housing import policies
from maillage.housing.enums import UnitStatus
from maillage.housing.models import HousingUnit
from maillage.network.actor import Actor

# Fields written by the forms and the API, the address apart (never audited, never shown by default).
FIELDS = (
    "name",
    "secret",
    "commune",
    "adults",
    "children",
    "cots",
    "accessible",
    "pets_allowed",
    "rules",
    "status",
)
ADDRESS_MAX_LENGTH = 300


def _plain(name: str, value):
    if name == "commune":
        return value.name if value is not None else None
    return value


def _checked(actor: Actor, values: dict) -> dict:
    """Coherent values, or a DomainError saying what to fix."""
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise DomainError("Indiquez le nom affiché du logement.")
    if len(values["name"]) > 80:
        raise DomainError("Le nom affiché ne peut pas dépasser 80 caractères.")
    values["rules"] = (values.get("rules") or "").strip()
    if len(values["rules"]) > 300:
        raise DomainError("Les règles de la maison ne peuvent pas dépasser 300 caractères.")
    if values["status"] not in UnitStatus.values:
        raise DomainError("Choisissez l'état du logement.")
    for name, label in (("adults", "d'adultes"), ("children", "d'enfants"), ("cots", "de lits bébé")):
        value = values[name]
        if value is None or value < 0 or value > 50:
            raise DomainError(f"Indiquez un nombre {label} entre 0 et 50.")
    if values["adults"] < 1:
        raise DomainError("Un logement accueille au moins un adulte.")
    commune = values.get("commune")
    if values["secret"] and commune is not None:
        raise DomainError("Un logement à adresse secrète n'affiche aucune commune : laissez la commune vide.")
    if commune is not None and commune.territory_id != actor.membership.territory_id:
        raise DomainError("Choisissez une commune de votre territoire.")
    return values


def _checked_address(address: str | None, *, required: bool) -> str | None:
    address = (address or "").strip()
    if not address:
        if required:
            raise DomainError("Indiquez l'adresse du logement.")
        return None
    if len(address) > ADDRESS_MAX_LENGTH:
        raise DomainError(f"L'adresse ne peut pas dépasser {ADDRESS_MAX_LENGTH} caractères.")
    return address


def _address_kept_apart(address: str | None, *values: dict) -> None:
    # The address is shown to a few people on request; the other fields to the whole network (and to the
    # audit trail, which refuses to carry the address): none may repeat it.
    if address is not None and any(value == address for fields in values for value in fields.values()):
        raise DomainError(
            "L'adresse est secrète : le nom, les règles ou un autre champ ne peuvent pas la reprendre."
        )


def _name_taken(territory_id: int, name: str, exclude_pk: int | None = None) -> bool:
    return (
        HousingUnit.objects.filter(territory_id=territory_id, name__iexact=name)
        .exclude(pk=exclude_pk)
        .exists()
    )


def _taken_message(name: str) -> str:
    return f"Un logement s'appelle déjà « {name} » sur le territoire : choisissez un autre nom."


@transaction.atomic
def unit_create(*, actor: Actor, address: str, **values) -> HousingUnit:
    """A new unit of the actor's organisation, in the actor's territory (housing managers only)."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if not policies.can_create_units(actor):
        raise PermissionDeniedError("Seules les personnes qui gèrent l'hébergement ajoutent des logements.")
    values = _checked(actor, {name: values.get(name, _default(name)) for name in FIELDS})
    address = _checked_address(address, required=True)
    _address_kept_apart(address, values)
    territory_id = actor.membership.territory_id
    if _name_taken(territory_id, values["name"]):
        raise DomainError(_taken_message(values["name"]))
    try:
        with transaction.atomic():
            unit = HousingUnit.objects.create(
                territory_id=territory_id,
                organisation_id=actor.membership.organisation_id,
                address=address,
                **values,
            )
    except IntegrityError as error:  # the same name created at the same moment
        raise DomainError(_taken_message(values["name"])) from error
    audit.record(
        actor=actor,
        action=AuditAction.HOUSING_UNIT_CREATED,
        obj=unit,
        changes={**{name: _plain(name, values[name]) for name in FIELDS}, "address_changed": True},
    )
    return unit


def _default(name: str):
    return HousingUnit._meta.get_field(name).get_default()


@transaction.atomic
def unit_update(
    *, actor: Actor, unit: HousingUnit, version: int, address: str | None = None, **changes
) -> HousingUnit:
    """Changes a unit read at `version`. An empty `address` keeps the current one. A form read at an older
    version is refused (ConflictError) and nothing is overwritten."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown fields: {sorted(unknown)}")
    if not policies.can_manage(actor, unit):
        raise PermissionDeniedError
    unit = HousingUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.version != version:
        raise ConflictError(
            f"Quelqu'un a modifié le logement « {unit.name} » pendant que vous le modifiiez. "
            "Vos modifications n'ont pas été enregistrées : vérifiez la fiche à jour puis enregistrez "
            "à nouveau."
        )
    before = {name: getattr(unit, name) for name in FIELDS}
    values = _checked(actor, {**before, **changes})
    address = _checked_address(address, required=False)
    _address_kept_apart(address or unit.address, values, before)
    changed = [name for name in FIELDS if values[name] != before[name]]
    address_changed = address is not None and address != unit.address
    if not changed and not address_changed:
        return unit
    if "name" in changed and _name_taken(unit.territory_id, values["name"], exclude_pk=unit.pk):
        raise DomainError(_taken_message(values["name"]))
    for name in changed:
        setattr(unit, name, values[name])
    if address_changed:
        unit.address = address
    old_version, unit.version = unit.version, unit.version + 1
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as error:
        raise DomainError(_taken_message(values["name"])) from error
    record = {"version": [old_version, unit.version], "fields": changed}
    record.update({name: [_plain(name, before[name]), _plain(name, values[name])] for name in changed})
    if address_changed:
        record["address_changed"] = True
    audit.record(actor=actor, action=AuditAction.HOUSING_UNIT_UPDATED, obj=unit, changes=record)
    return unit


@transaction.atomic
def unit_address_reveal(*, actor: Actor, unit: HousingUnit, via: str = "page") -> str:
    """The unit's address, for the housing managers of its organisation and the territory's coordinator
    only, on their explicit action. Records who read it, when and through what (`via`: page or api) —
    never the address itself."""
    if not policies.can_see_address(actor, unit):
        raise PermissionDeniedError
    audit.record(actor=actor, action=AuditAction.HOUSING_ADDRESS_REVEALED, obj=unit, changes={"via": via})
    return HousingUnit.objects.values_list("address", flat=True).get(pk=unit.pk)
