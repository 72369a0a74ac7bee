"""The planned steps of the demo's history, replayed in time order under the demo clock."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from maillage.demo.clock import demo_clock


@dataclass
class Step:
    moment: datetime.datetime
    order: int
    run: Callable[[], None]


class History:
    """The planned steps of the network's history, replayed in time order up to now."""

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.steps: list[Step] = []

    def at(self, moment: datetime.datetime, run: Callable[[], None]) -> None:
        self.steps.append(Step(moment, len(self.steps), run))

    def replay(self) -> None:
        for step in sorted(self.steps, key=lambda s: (s.moment, s.order)):
            if step.moment >= self.now:
                continue  # has not happened yet
            with demo_clock(step.moment):
                step.run()
