"""The yearly indicators of DOMAIN.md §7, each defined once (ADR 0040): the dashboard, the exports, the
annual report and the API all read `INDICATORS` and the `Table`s its functions return.

    scope = Scope.of(territory, 2026, communes=None)
    for indicator in INDICATORS:
        table = indicator.compute(scope)            # and indicator.compute(scope.previous())

Every figure comes from aggregate queries (a fixed number per indicator, whatever the volume of data);
nothing nominative leaves this package: counts, enum labels, commune and organisation names."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from maillage.stats.indicators import activity, network, situations
from maillage.stats.indicators.table import Line, Rate, Scope, Table


@dataclass(frozen=True)
class Indicator:
    name: str
    title: str
    function: Callable[[Scope], Table]

    def compute(self, scope: Scope) -> Table:
        return replace(self.function(scope), name=self.name, title=self.title)


def _indicator(function: Callable[[Scope], Table], title: str) -> Indicator:
    return Indicator(function.__name__, title, function)


# In display order (the dashboard, the exports and the report follow it).
INDICATORS: tuple[Indicator, ...] = (
    _indicator(situations.situations, "Situations nouvelles, actives et clôturées"),
    _indicator(situations.victims, "Victimes par âge et par sexe"),
    _indicator(situations.children, "Enfants co-victimes"),
    _indicator(situations.situations_by_commune, "Situations par commune"),
    _indicator(situations.sources, "Sources du repérage des nouvelles situations"),
    _indicator(activity.referrals_by_kind, "Orientations par type de destinataire et par suite donnée"),
    _indicator(
        activity.referrals_by_organisation, "Orientations par organisation destinataire et par suite donnée"
    ),
    _indicator(activity.stays, "Hébergement d'urgence"),
    _indicator(activity.stay_exits, "Solutions de sortie des séjours terminés"),
    _indicator(activity.measures, "Mesures de protection connues"),
    _indicator(activity.meetings, "Cellule de suivi : réunions et situations examinées"),
    _indicator(network.prevention, "Actions de prévention et personnes touchées"),
    _indicator(network.trainings, "Formations des professionnels"),
    _indicator(network.training_organisations, "Organisations engagées dans les formations"),
    _indicator(network.referents, "Personnes référentes nommées par commune"),
)
BY_NAME = {indicator.name: indicator for indicator in INDICATORS}


def compute(name: str, scope: Scope) -> Table:
    """One indicator by name (KeyError for an unknown one)."""
    return BY_NAME[name].compute(scope)


def compute_all(scope: Scope) -> list[Table]:
    """Every indicator, in display order."""
    return [indicator.compute(scope) for indicator in INDICATORS]


__all__ = ["BY_NAME", "INDICATORS", "Indicator", "Line", "Rate", "Scope", "Table", "compute", "compute_all"]
