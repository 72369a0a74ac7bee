"""The trend of a situation's assessments as a small inline SVG, built on the server (no script): one point
per assessment, its final level on the vertical axis. The page gives the same figures in a table for screen
readers; the SVG is `aria-hidden`."""

from dataclasses import dataclass

from maillage.assessments.enums import LEVEL_RANK, Level

WIDTH, HEIGHT = 340, 140
LEFT, RIGHT, TOP, BOTTOM = 90, 12, 12, 24
LEVEL_Y = {
    level: TOP + (HEIGHT - TOP - BOTTOM) * (len(Level) - 1 - rank) / (len(Level) - 1)
    for level, rank in LEVEL_RANK.items()
}


def _n(value: float) -> str:
    """A coordinate as SVG reads it: a dot, whatever the page's locale (French would write a comma)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: list[Point]
    path: str
    levels: list[tuple[str, str]]  # (y, label): the horizontal guides
    first: str
    last: str
    label_x: int = LEFT - 8  # level names end here
    guide_x: int = LEFT - 4  # guides start here


def trend_chart(assessments) -> Chart | None:
    """`assessments` oldest first; None when there are fewer than two (nothing to draw a trend from)."""
    assessments = list(assessments)
    if len(assessments) < 2:
        return None
    span = WIDTH - LEFT - RIGHT
    step = span / (len(assessments) - 1)
    points = [
        Point(_n(LEFT + i * step), _n(LEVEL_Y[a.final_level]), a.get_final_level_display())
        for i, a in enumerate(assessments)
    ]
    path = "M " + " L ".join(f"{p.x} {p.y}" for p in points)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        path=path,
        levels=[(_n(LEVEL_Y[level]), label) for level, label in Level.choices],
        first=assessments[0].assessed_on.strftime("%d/%m/%Y"),
        last=assessments[-1].assessed_on.strftime("%d/%m/%Y"),
    )
