"""The coordinator imports the actions of the action plan kept so far in a spreadsheet (ADR 0037): the fields
of an action as columns, the axes, organisations and statuses of the territory, and the rows written with
their import key. The flow and its pages are `maillage.web.imports`; this module says what an action is."""

from django.db import transaction
from django.urls import reverse_lazy

from maillage.actionplan.enums import ActionStatus
from maillage.actionplan.models import Action, Axis
from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.web import imports
from maillage.web.access import member
from maillage.web.import_cells import Choice, Date, Identifier, Reference, References, Text
from maillage.web.imports import Field

DESCRIPTION_MAX_LENGTH = 5000

STATUS_SYNONYMS = {
    "à venir": ActionStatus.PLANNED,
    "à faire": ActionStatus.PLANNED,
    "en projet": ActionStatus.PLANNED,
    "programmée": ActionStatus.PLANNED,
    "commencée": ActionStatus.IN_PROGRESS,
    "en cours de réalisation": ActionStatus.IN_PROGRESS,
    "terminée": ActionStatus.DONE,
    "terminé": ActionStatus.DONE,
    "réalisé": ActionStatus.DONE,
    "fait": ActionStatus.DONE,
    "faite": ActionStatus.DONE,
    "reporté": ActionStatus.POSTPONED,
    "suspendue": ActionStatus.POSTPONED,
    "abandonné": ActionStatus.ABANDONED,
    "annulée": ActionStatus.ABANDONED,
    "annulé": ActionStatus.ABANDONED,
}

ORGANISATION_UNKNOWN = (
    "{names} : organisation inconnue du territoire. Écrivez son nom comme dans l'annuaire du réseau."
)


def _axis_names(axis: Axis) -> tuple[str, ...]:
    return (str(axis.number), f"axe {axis.number}", axis.title, f"axe {axis.number} {axis.title}")


def _fields(territory) -> list[Field]:
    axes = list(Axis.objects.filter(territory=territory).order_by("number"))
    organisations = list(Organisation.objects.filter(territories=territory).order_by("name"))
    title_length = Action._meta.get_field("title").max_length
    numbers = ", ".join(str(axis.number) for axis in axes) or "aucun axe pour l'instant"
    return [
        Field(
            "identifier",
            "Identifiant",
            Identifier(),
            synonyms=("id", "référence", "réf", "ref", "code", "n°", "numéro", "numéro d'action"),
            hint="Le numéro de l'action dans votre tableau. Une ligne dont l'identifiant a déjà "
            "été importé est laissée telle quelle.",
        ),
        Field(
            "axis",
            "Axe",
            Reference(
                axes,
                names=_axis_names,
                unknown="{names} n'est pas un axe du plan d'action : indiquez son numéro ou son intitulé.",
            ),
            required=True,
            synonyms=("axes", "axe du plan", "numéro d'axe", "n° d'axe", "axe stratégique", "orientation"),
            hint=f"Le numéro de l'axe ({numbers}) ou son intitulé.",
        ),
        Field(
            "title",
            "Intitulé",
            Text(max_length=title_length),
            required=True,
            synonyms=("titre", "action", "intitulé de l'action", "nom de l'action", "libellé", "nom"),
            hint=f"{title_length} caractères au plus.",
        ),
        Field(
            "description",
            "Description",
            Text(max_length=DESCRIPTION_MAX_LENGTH, multiline=True),
            synonyms=("détail", "détails", "objectif", "objectifs", "contenu", "descriptif"),
            hint=f"{DESCRIPTION_MAX_LENGTH} caractères au plus.",
        ),
        Field(
            "lead_organisation",
            "Pilote",
            Reference(organisations, unknown=ORGANISATION_UNKNOWN),
            required=True,
            synonyms=("organisation pilote", "structure pilote", "pilotage", "porteur", "chef de file"),
            hint="Le nom d'une organisation du territoire, comme dans l'annuaire du réseau.",
        ),
        Field(
            "partners",
            "Partenaires",
            References(organisations, unknown=ORGANISATION_UNKNOWN),
            synonyms=("partenaire", "organisations partenaires", "partenariat", "associés"),
            hint="Des organisations du territoire, séparées par « ; » ou « , ».",
        ),
        Field(
            "starts_on",
            "Début",
            Date(),
            synonyms=("date de début", "date début", "débute le", "démarrage"),
            hint="jj/mm/aaaa.",
        ),
        Field(
            "ends_on",
            "Fin",
            Date(),
            synonyms=("fin prévue", "date de fin", "date fin", "échéance", "termine le"),
            hint="jj/mm/aaaa, pas avant le début.",
        ),
        Field(
            "status",
            "Statut",
            Choice(ActionStatus.choices, STATUS_SYNONYMS),
            synonyms=("état", "état d'avancement"),
            hint="« Prévue » si vide ; sinon : " + ", ".join(ActionStatus.labels) + ".",
        ),
    ]


def _check_row(values: dict) -> list[tuple[str, str]]:
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        return [("ends_on", f"La fin ({ends_on:%d/%m/%Y}) précède le début ({starts_on:%d/%m/%Y}).")]
    return []


def _existing_keys(territory) -> set[str]:
    return set(
        Action.objects.filter(territory=territory).exclude(import_key="").values_list("import_key", flat=True)
    )


@transaction.atomic
def _create(*, actor, rows: list[imports.ParsedRow]) -> None:
    membership = actor.membership
    for row in rows:
        values = row.values
        action = Action.objects.create(
            territory=membership.territory,
            axis=values["axis"],
            title=values["title"],
            description=values.get("description", ""),
            lead_organisation=values["lead_organisation"],
            starts_on=values.get("starts_on"),
            ends_on=values.get("ends_on"),
            status=values.get("status") or ActionStatus.PLANNED,
            import_key=row.key,
            created_by=membership,
        )
        partners = [org for org in values.get("partners", ()) if org != action.lead_organisation]
        if partners:
            action.partners.set(partners)


ACTIONS = imports.ImportKind(
    name="actions",
    title="Importer des actions du plan d'action",
    records="actions du plan d'action",
    namespace="actionplan_spreadsheets",
    # The action plan's pages (actionplan/urls.py) are mounted there.
    list_path=reverse_lazy("actionplan:plan"),
    list_label="Voir le plan d'action",
    fields=_fields,
    check_row=_check_row,
    existing_keys=_existing_keys,
    create=_create,
)


@member(Role.COORDINATOR)
def upload(request):
    return imports.upload_page(request, ACTIONS)


@member(Role.COORDINATOR)
def preview(request, token):
    return imports.preview_page(request, ACTIONS, token)


@member(Role.COORDINATOR)
def result(request, token):
    return imports.result_page(request, ACTIONS, token)
