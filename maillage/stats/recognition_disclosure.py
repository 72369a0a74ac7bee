"""The recognition figures under disclosure control (ADR 0038, 0039).

Most of a partner's figures count its work (actions, events, trainings, hours, euros); seven count the
victims' situations it dealt with — situations reported and followed, referrals sent, received and accepted,
stays and nights in its units. « Two situations reported by the town hall of a small commune » is the kind of
figure that identifies people, so those seven are shown exactly to the coordinator alone (marked « diffusion
restreinte »), and to everyone else — and in the download, whoever asks — under the dashboard's rules:

- only for a calendar year that has ended: for the running year or « all years » they are not published at
  all (a running year changes every week, and « all years » minus the ended years would give the running
  year's figures away);
- for an ended year, each of them across the partners is a series whose total is the network's (a situation
  is reported by one organisation, a referral has one sender and one receiver, a stay one unit): counts from 1
  to threshold − 1 show « < 11 » and whatever would let one be recovered from the network's total « secret »
  (`disclosure.protect`). « Situations followed » is not additive (several partners follow the same
  situation): each count, and the network's, is suppressed on its own.

If a network total ever differed from the sum of the partners' (an organisation that left the territory),
it is hidden and the counts are suppressed one by one: no equation is published to recover them from."""

import datetime
from dataclasses import dataclass, replace

from maillage.stats import disclosure
from maillage.stats.recognition import OrganisationFigures, Period

# Figure → whether the partners' counts add up to the network's.
SENSITIVE: dict[str, bool] = {
    "situations_reported": True,
    "situations_followed": False,
    "referrals_sent": True,
    "referrals_received": True,
    "referrals_accepted": True,
    "stays": True,
    "nights": True,
}


@dataclass(frozen=True)
class Shown:
    figures: list[OrganisationFigures]
    totals: dict
    omitted: frozenset[str]  # not published for this period
    exact: bool  # the coordinator's exact figures, « diffusion restreinte »
    threshold: int


def published(period: Period, today: datetime.date) -> bool:
    """Whether the sensitive figures of the period may be shown under disclosure control."""
    return period.year is not None and period.year < today.year


def _primary(value: int, threshold: int):
    return value if value == 0 or value >= threshold else f"< {threshold}"


def shown(
    figures: list[OrganisationFigures],
    totals: dict,
    *,
    period: Period,
    threshold: int,
    exact: bool,
    today: datetime.date,
) -> Shown:
    """The figures and the network's totals as a page or a file may show them."""
    if exact:
        return Shown(figures, totals, frozenset(), True, threshold)
    figures = [replace(f, values=dict(f.values)) for f in figures]
    totals = dict(totals)
    if not published(period, today):
        omitted = frozenset(SENSITIVE)
        for f in figures:
            for name in SENSITIVE:
                f.values.pop(name, None)
            f.omitted = omitted
        for name in SENSITIVE:
            totals.pop(name, None)
        return Shown(figures, totals, omitted, False, threshold)
    labels = [f.organisation.name for f in figures]
    for name, additive in SENSITIVE.items():
        values = [int(f.values.get(name, 0)) for f in figures]
        if additive and totals[name] == sum(values):
            series = disclosure.protect(disclosure.series(values, labels=labels), threshold)
            for f, cell in zip(figures, series.cells, strict=True):
                f.values[name] = cell.shown
            totals[name] = series.total.shown
        else:
            for f, value in zip(figures, values, strict=True):
                f.values[name] = _primary(value, threshold)
            totals[name] = _primary(int(totals[name]), threshold) if not additive else disclosure.SECRET_MARK
    return Shown(figures, totals, frozenset(), False, threshold)
