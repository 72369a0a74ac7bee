"""The meetings tests' world, shared by several modules (test modules never import each other).

`Cell`: the situation tests' small network (tests/situations/worlds.py) with its working group: the
referents, the gendarme, the CIDFF and the doctor are members; all but the doctor accepted the charter; the
CCAS professional is not in the group. `cell.meeting()` schedules a meeting through the service, starting
in `minutes` (by default now, so that it may be opened at once); `cell.open_meeting(*situations)` opens one
with these situations on its agenda."""

import datetime

from django.utils import timezone

from maillage.meetings import services
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

CHARTER = (
    "Les membres de la cellule de suivi ne partagent que les informations strictement nécessaires, "
    "ne les communiquent à aucun tiers et ne les conservent pas hors de la plateforme."
)
GROUP = ("referent", "referent_elsewhere", "gendarme", "cidff", "doctor")
ACCEPTED = ("referent", "referent_elsewhere", "gendarme", "cidff")


class Cell(Network):
    def __init__(self):
        super().__init__()
        coordinator = self.actor("coordinator")
        for name in GROUP:
            services.group_member_add(actor=coordinator, membership=self[name])
        self.charter = services.charter_publish(actor=coordinator, text=CHARTER)
        for name in ACCEPTED:
            services.charter_accept(actor=self.actor(name), charter=self.charter)

    def situation(self, reporter="gendarme", **overrides):
        overrides.setdefault("commune", self.mouchamps)
        return report_situation(self[reporter], **overrides)

    def meeting(self, minutes=0, length=120, at=None, **kwargs):
        starts_at = at or timezone.now() + datetime.timedelta(minutes=minutes)
        kwargs.setdefault("place", "Salle du conseil, communauté de communes")
        return services.meeting_schedule(
            actor=self.actor("coordinator"),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=length),
            **kwargs,
        )

    def open_meeting(self, *situations, **kwargs):
        """A meeting with these situations on its agenda (proposed or added), opened."""
        meeting = self.meeting(**kwargs)
        coordinator = self.actor("coordinator")
        for situation in situations:
            if not meeting.items.filter(situation=situation).exists():
                services.agenda_item_add(actor=coordinator, meeting=meeting, pseudonym=situation.pseudonym)
        return services.meeting_open(actor=coordinator, meeting=meeting, version=None)
