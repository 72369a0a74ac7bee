"""A situation with a protective measure, and who stands where (shared by the protection tests)."""

import datetime

from django.utils import timezone

from maillage.protection import services
from maillage.protection.enums import Authority, MeasureKind, MeasureStatus
from maillage.situations import services as situation_services
from tests.situations.factories import report_situation
from tests.situations.worlds import Network

# Against a situation located in Mouchamps and followed by the gendarmerie (reported by a colleague).
SEES = {"coordinator", "referent", "gendarme", "gendarme_colleague"}
HIDDEN = {"referent_elsewhere", "cidff", "doctor", "ccas"}  # the same 404 as a missing situation
ROLE_REFUSED = {"org_admin", "housing_manager", "observer", "dpo", "platform_admin"}  # 403, no look-up
ACTORS = sorted(SEES | HIDDEN | ROLE_REFUSED)


class MeasureWorld(Network):
    def __init__(self):
        super().__init__()
        self.situation = report_situation(self["gendarme_colleague"], commune=self.mouchamps)
        self.today = timezone.localdate()
        self.measure = services.measure_record(
            actor=self.actor("gendarme_colleague"),
            situation=self.situation,
            kind=MeasureKind.TGD,
            authority=Authority.PARQUET,
            status=MeasureStatus.IN_FORCE,
            decided_on=self.today - datetime.timedelta(days=170),
            starts_on=self.today - datetime.timedelta(days=170),
        )

    def break_glass(self, name: str):
        """`name` reads the situation through an emergency access (the real service)."""
        return situation_services.emergency_access_request(
            actor=self.actor(name),
            pseudonym=self.situation.pseudonym,
            reason="Appel de détresse cette nuit, intervention en cours",
        )
