"""The coordinator imports the prevention and communication events kept so far in a spreadsheet (ADR 0037):
an event's fields as columns, the communes, organisations, kinds and audiences of the territory, and the
rows written with their import key. The flow and its pages are `maillage.web.imports`."""

from django.db import transaction
from django.urls import reverse_lazy

from maillage.network.enums import Role
from maillage.network.models import Organisation
from maillage.prevention.enums import Audience, EventKind
from maillage.prevention.models import PreventionEvent
from maillage.territories.models import Commune
from maillage.web import imports
from maillage.web.access import member
from maillage.web.import_cells import Choice, Count, Date, Identifier, Reference, References, Text
from maillage.web.imports import Field

DESCRIPTION_MAX_LENGTH = 5000

KIND_SYNONYMS = {
    "intervention scolaire": EventKind.SCHOOL_TALK,
    "milieu scolaire": EventKind.SCHOOL_TALK,
    "scolaire": EventKind.SCHOOL_TALK,
    "école": EventKind.SCHOOL_TALK,
    "collège": EventKind.SCHOOL_TALK,
    "lycée": EventKind.SCHOOL_TALK,
    "manifestation": EventKind.PUBLIC_EVENT,
    "événement": EventKind.PUBLIC_EVENT,
    "événement public": EventKind.PUBLIC_EVENT,
    "conférence": EventKind.PUBLIC_EVENT,
    "campagne": EventKind.CAMPAIGN,
    "affichage": EventKind.CAMPAIGN,
    "25 novembre": EventKind.NOVEMBER_25,
    "journée du 25 novembre": EventKind.NOVEMBER_25,
    "journée internationale": EventKind.NOVEMBER_25,
    "presse": EventKind.PRESS,
    "médias": EventKind.PRESS,
    "média": EventKind.PRESS,
    "article": EventKind.PRESS,
}
AUDIENCE_SYNONYMS = {
    "élève": Audience.PUPILS,
    "scolaires": Audience.PUPILS,
    "jeune": Audience.YOUTH,
    "jeunesse": Audience.YOUTH,
    "tout public": Audience.GENERAL_PUBLIC,
    "tous publics": Audience.GENERAL_PUBLIC,
    "habitants": Audience.GENERAL_PUBLIC,
    "familles": Audience.PARENTS,
    "seniors": Audience.SENIORS,
    "aînés": Audience.SENIORS,
    "professionnel": Audience.PROFESSIONALS,
    "professionnels du réseau": Audience.PROFESSIONALS,
    "élu": Audience.ELECTED_OFFICIALS,
    "élus locaux": Audience.ELECTED_OFFICIALS,
}


def _fields(territory) -> list[Field]:
    communes = list(Commune.objects.filter(territory=territory).order_by("name"))
    organisations = list(Organisation.objects.filter(territories=territory).order_by("name"))
    organisation_unknown = (
        "{names} : organisation inconnue du territoire. Écrivez son nom comme dans l'annuaire du réseau."
    )
    known_communes = ", ".join(commune.name for commune in communes)
    title_length = PreventionEvent._meta.get_field("title").max_length
    materials_length = PreventionEvent._meta.get_field("materials").max_length
    return [
        Field(
            "identifier",
            "Identifiant",
            Identifier(),
            synonyms=("id", "référence", "réf", "ref", "code", "n°", "numéro"),
            hint="Le numéro de l'action dans votre tableau. Une ligne dont l'identifiant a déjà "
            "été importé est laissée telle quelle.",
        ),
        Field(
            "title",
            "Intitulé",
            Text(max_length=title_length),
            required=True,
            synonyms=("titre", "action", "nom", "libellé", "thème", "objet"),
            hint=f"{title_length} caractères au plus.",
        ),
        Field(
            "kind",
            "Type",
            Choice(EventKind.choices, KIND_SYNONYMS),
            required=True,
            synonyms=("type d'action", "nature", "catégorie", "format"),
            hint=", ".join(EventKind.labels) + ".",
        ),
        Field(
            "held_on",
            "Date",
            Date(),
            required=True,
            synonyms=("date de l'action", "jour", "date de début", "début"),
            hint="jj/mm/aaaa.",
        ),
        Field(
            "ends_on",
            "Jusqu'au",
            Date(),
            synonyms=("fin", "date de fin"),
            hint="Pour une campagne de plusieurs jours : jj/mm/aaaa, pas avant la date.",
        ),
        Field(
            "commune",
            "Commune",
            Reference(
                communes,
                unknown=f"{{names}} n'est pas une commune du territoire ({known_communes}).",
            ),
            synonyms=("lieu", "ville", "localité"),
            hint=f"Vide : tout le territoire ; sinon : {known_communes}.",
        ),
        Field(
            "audience",
            "Public",
            Choice(Audience.choices, AUDIENCE_SYNONYMS),
            required=True,
            synonyms=("public visé", "public cible", "publics", "cible", "destinataires"),
            hint=", ".join(Audience.labels) + ".",
        ),
        Field(
            "people_reached",
            "Personnes touchées",
            Count(),
            synonyms=(
                "nombre de personnes",
                "nombre de personnes touchées",
                "participants",
                "nombre de participants",
                "personnes sensibilisées",
                "fréquentation",
            ),
            hint="Un nombre entier, zéro ou plus.",
        ),
        Field(
            "organisations",
            "Organisations",
            References(organisations, unknown=organisation_unknown),
            synonyms=("organisations impliquées", "partenaires", "intervenants", "structures"),
            hint="Des organisations du territoire, séparées par « ; » ou « , ».",
        ),
        Field(
            "materials",
            "Supports",
            Text(max_length=materials_length),
            synonyms=("supports utilisés", "outils", "matériel", "documents"),
            hint=f"{materials_length} caractères au plus.",
        ),
        Field(
            "description",
            "Description",
            Text(max_length=DESCRIPTION_MAX_LENGTH, multiline=True),
            synonyms=("détail", "détails", "commentaire", "commentaires", "observations", "bilan"),
            hint=f"{DESCRIPTION_MAX_LENGTH} caractères au plus.",
        ),
    ]


def _check_row(values: dict) -> list[tuple[str, str]]:
    held_on, ends_on = values.get("held_on"), values.get("ends_on")
    if held_on and ends_on and ends_on < held_on:
        return [("ends_on", f"La fin ({ends_on:%d/%m/%Y}) précède la date de l'action ({held_on:%d/%m/%Y}).")]
    return []


def _existing_keys(territory) -> set[str]:
    events = PreventionEvent.objects.filter(territory=territory).exclude(import_key="")
    return set(events.values_list("import_key", flat=True))


@transaction.atomic
def _create(*, actor, rows: list[imports.ParsedRow]) -> None:
    membership = actor.membership
    for row in rows:
        values = row.values
        event = PreventionEvent.objects.create(
            territory=membership.territory,
            title=values["title"],
            kind=values["kind"],
            held_on=values["held_on"],
            ends_on=values.get("ends_on"),
            commune=values.get("commune"),
            audience=values["audience"],
            people_reached=values.get("people_reached"),
            materials=values.get("materials", ""),
            description=values.get("description", ""),
            import_key=row.key,
            created_by=membership,
        )
        if values.get("organisations"):
            event.organisations.set(values["organisations"])


EVENTS = imports.ImportKind(
    name="prevention_events",
    title="Importer des actions de prévention",
    records="actions de prévention",
    namespace="prevention_spreadsheets",
    # The prevention pages (prevention/urls.py) are mounted there.
    list_path=reverse_lazy("prevention:list"),
    list_label="Voir les actions de prévention",
    fields=_fields,
    check_row=_check_row,
    existing_keys=_existing_keys,
    create=_create,
)


@member(Role.COORDINATOR)
def upload(request):
    return imports.upload_page(request, EVENTS)


@member(Role.COORDINATOR)
def preview(request, token):
    return imports.preview_page(request, EVENTS, token)


@member(Role.COORDINATOR)
def result(request, token):
    return imports.result_page(request, EVENTS, token)
