"""API: the yearly indicators (ADR 0040) under the dashboard's rules (ADR 0039), read from the same
`dashboard.shown` tables. The coordinator gets exact figures, marked « Diffusion restreinte », for any year
with activity and any set of the territory's communes; the observer gets figures under disclosure control,
for ended years and the whole territory only — anything else answers 400 with the reason. Every other role,
and the platform administrator, 403, as in the rest of the API.

Like the dashboard's pages, these reads of aggregates are not recorded in the audit trail (they hold no one's
data); the files that leave the platform are (`open_data.py`, the spreadsheet writer)."""

from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from maillage.api.auth import member_auth
from maillage.api.schemas import ErrorOut
from maillage.errors import DomainError
from maillage.network.enums import Role
from maillage.stats import disclosure
from maillage.stats.dashboard import document, shown
from maillage.stats.indicators import BY_NAME, INDICATORS, Scope
from maillage.stats.schemas import IndicatorQuery, IndicatorsOut, OneIndicatorOut, YearsOut
from maillage.stats.selectors import threshold_for, years_open
from maillage.territories.models import Commune

router = Router(tags=["Statistiques"])

ROLES = (Role.COORDINATOR, Role.OBSERVER)
DENIED = {401: ErrorOut, 403: ErrorOut}
REFUSED = {400: ErrorOut, **DENIED, 422: ErrorOut}
UNKNOWN_INDICATOR = "Indicateur inconnu : la liste des indicateurs est donnée par /statistics/years."
RULES = (
    "Coordination : chiffres exacts (« Diffusion restreinte »), toute année d'activité, tout le territoire "
    "ou les communes choisies. Observation : chiffres protégés, années terminées et tout le territoire "
    "seulement ; l'année en cours, une année non permise ou un choix de communes répondent 400. Une cellule "
    "vaut un entier ou, sous contrôle de la diffusion, « < 11 » (effectif de 1 à seuil − 1) ou « secret ». "
    "Paramètre hors bornes (année hors de 2000 à 2100) : 422."
)


def _communes(territory, public_ids: list[UUID]) -> list[Commune]:
    if not public_ids:
        return []
    found = list(Commune.objects.filter(territory=territory, public_id__in=set(public_ids)).order_by("name"))
    if len(found) != len(set(public_ids)):
        raise DomainError("Choisissez des communes de votre territoire.")
    return found


def _view(actor, query: IndicatorQuery) -> dict:
    """The year, communes and protection of the caller's answer, or a DomainError (400) saying why not."""
    territory = actor.territory
    exact = actor.has_role(Role.COORDINATOR)
    years = years_open(territory, exact=exact)
    year = query.year if query.year is not None else (years[0] if years else None)
    if year is None:
        raise DomainError("Aucune année terminée à publier pour l'instant.")
    if not exact:
        # The running year, a chosen set of communes: differences of protected tables (ADR 0039).
        refusal = disclosure.view_refusal(
            years=[year], communes=query.communes or None, territory_communes=[], today=timezone.localdate()
        )
        if refusal:
            raise DomainError(refusal)
    if year not in years:
        listed = ", ".join(map(str, years)) or "aucune pour l'instant"
        raise DomainError(f"Pas de statistiques pour {year}. Années disponibles : {listed}.")
    communes = _communes(territory, query.communes)
    return {
        "territory": territory,
        "year": year,
        "threshold": threshold_for(territory),
        "restricted": exact,
        "restricted_mark": disclosure.RESTRICTED_MARK if exact else None,
        "communes": communes,
        "scope": Scope.of(territory, year, communes=communes or None),
    }


def _table(indicator, view: dict) -> dict:
    table = indicator.compute(view["scope"])
    return document(shown(table, threshold=view["threshold"], exact=view["restricted"]))


@router.get(
    "/statistics/years",
    auth=member_auth(*ROLES),
    response={200: YearsOut, **DENIED},
    url_name="statistics_years",
    summary="Années et indicateurs des statistiques",
)
def years(request: HttpRequest):
    """Les années que l'appelant peut demander, le seuil de diffusion, si les chiffres sont exacts, et la
    liste des indicateurs. Coordination : toutes les années d'activité, chiffres exacts ; observation :
    années terminées, chiffres protégés. Réservé à la coordination et à l'observation du territoire."""
    actor = request.actor
    exact = actor.has_role(Role.COORDINATOR)
    return {
        "territory": actor.territory,
        "years": years_open(actor.territory, exact=exact),
        "threshold": threshold_for(actor.territory),
        "exact": exact,
        "restricted_mark": disclosure.RESTRICTED_MARK if exact else None,
        "indicators": [{"name": i.name, "title": i.title} for i in INDICATORS],
    }


@router.get(
    "/statistics/indicators",
    auth=member_auth(*ROLES),
    response={200: IndicatorsOut, **REFUSED},
    url_name="statistics_indicators",
    summary="Tous les indicateurs d'une année",
    description=(
        "Chaque indicateur annuel, dans l'ordre d'affichage, pour l'année demandée (absente : la dernière "
        f"permise). {RULES}"
    ),
)
def indicator_list(request: HttpRequest, query: Query[IndicatorQuery]):
    view = _view(request.actor, query)
    return {**view, "indicators": [_table(indicator, view) for indicator in INDICATORS]}


@router.get(
    "/statistics/indicators/{name}",
    auth=member_auth(*ROLES),
    response={200: OneIndicatorOut, **REFUSED, 404: ErrorOut},
    url_name="statistics_indicator",
    summary="Un indicateur d'une année",
    description=f"Un indicateur, par son nom (voir `/statistics/years`) ; nom inconnu : 404. {RULES}",
)
def indicator_detail(request: HttpRequest, name: str, query: Query[IndicatorQuery]):
    indicator = BY_NAME.get(name)
    if indicator is None:
        raise HttpError(404, UNKNOWN_INDICATOR)
    view = _view(request.actor, query)
    return {**view, "indicator": _table(indicator, view)}
