"""Writes on territories: creating or updating one, with its communes, from a checked territory file."""

from django.db import IntegrityError, transaction

from maillage import audit
from maillage.accounts.services import AccountActor
from maillage.audit.enums import AuditAction
from maillage.errors import DomainError, PermissionDeniedError
from maillage.territories.models import Commune, Territory
from maillage.territories.territory_file import TerritoryData, commune_key

COMMUNE_IMPORTED_FIELDS = ("postal_code", "population", "insee_code")


@transaction.atomic
def territory_import(*, actor: AccountActor, data: TerritoryData) -> tuple[Territory, int, int]:
    """Creates the territory named in `data`, or updates the one of that name (case ignored).

    Communes are matched by name: a known commune gets the file's postal code, population and INSEE code
    (an INSEE code the file leaves out is kept), a new one is added; none is ever deleted, since situations
    and referents point to them. Returns (territory, communes created, communes updated); communes the file
    leaves unchanged are counted in neither. All or nothing.
    """
    if not actor.is_platform_admin:
        raise PermissionDeniedError
    territory = _territory_for_update(data)
    existing = {commune_key(c.name): c for c in territory.communes.select_for_update()}

    to_create: list[Commune] = []
    to_update: list[Commune] = []
    for row in data.communes:
        commune = existing.get(commune_key(row.name))
        if commune is None:
            to_create.append(
                Commune(
                    territory=territory,
                    name=row.name,
                    postal_code=row.postal_code,
                    population=row.population,
                    insee_code=row.insee_code,
                )
            )
            continue
        wanted = {
            "postal_code": row.postal_code,
            "population": row.population,
            "insee_code": row.insee_code or commune.insee_code,
        }
        if any(getattr(commune, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(commune, field, value)
            to_update.append(commune)

    _check_insee_codes(existing.values(), to_create)
    Commune.objects.bulk_create(to_create)
    Commune.objects.bulk_update(to_update, COMMUNE_IMPORTED_FIELDS)
    audit.record(
        actor=actor,
        action=AuditAction.TERRITORY_IMPORTED,
        obj=territory,
        territory=territory,
        changes={"communes_created": len(to_create), "communes_updated": len(to_update)},
    )
    return territory, len(to_create), len(to_update)


def _territory_for_update(data: TerritoryData) -> Territory:
    """The territory of that name, locked so that two imports run one after the other; created if new."""
    territory = Territory.objects.select_for_update().filter(name__iexact=data.name).first()
    if territory is None:
        try:
            with transaction.atomic():
                return Territory.objects.create(
                    name=data.name, kind=data.kind, department_code=data.department_code
                )
        except IntegrityError:
            raise DomainError(
                "Un territoire de ce nom vient d'être créé par une autre importation : réessayez."
            ) from None
    changed = []
    if territory.kind != data.kind:
        territory.kind = data.kind
        changed.append("kind")
    if data.department_code and territory.department_code != data.department_code:
        territory.department_code = data.department_code
        changed.append("department_code")
    if changed:
        territory.save(update_fields=changed)
    return territory


def _check_insee_codes(existing_and_updated, created) -> None:
    """An INSEE code names one commune: two communes of a territory may not share it."""
    holders: dict[str, list[str]] = {}
    for commune in [*existing_and_updated, *created]:
        if commune.insee_code:
            holders.setdefault(commune.insee_code, []).append(commune.name)
    clashes = {code: names for code, names in holders.items() if len(names) > 1}
    if clashes:
        details = " ; ".join(
            f"{code} : {', '.join(sorted(names))}" for code, names in sorted(clashes.items())
        )
        raise DomainError(
            f"Rien n'a été importé : un même code INSEE serait porté par plusieurs communes ({details})."
        )


def import_summary(territory: Territory, created: int, updated: int, unchanged: int) -> str:
    """What an import did, in one French sentence (shown after the import, on the page or the console)."""
    parts = [
        f"{created} commune ajoutée" if created < 2 else f"{created} communes ajoutées",
        f"{updated} commune mise à jour" if updated < 2 else f"{updated} communes mises à jour",
    ]
    if unchanged:
        parts.append(f"{unchanged} inchangée" if unchanged < 2 else f"{unchanged} inchangées")
    return f"Territoire « {territory.name} » importé : {', '.join(parts)}."
