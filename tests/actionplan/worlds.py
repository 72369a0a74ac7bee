"""A small network with an action plan, for the action plan's tests (shared by several modules; test
modules never import each other): the situation tests' `Network` (one territory, the EPCI with the
coordinator, a referent, an observer and the DPO; the gendarmerie with two gendarmes and its organisation
admin; the CIDFF, the hospital, the CCAS with a professional and a housing manager), plus an observer in the
gendarmerie, and a coordinator and a gendarme of another territory. The plan holds the contract's axes and
three actions: one led by the gendarmerie (CIDFF and CCAS partners), one by the CIDFF, one by the EPCI;
the other territory has its own action."""

import datetime

from django.utils import timezone

from maillage.actionplan import services
from maillage.network.enums import OrganisationKind
from tests.accounts.factories import UserFactory
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.worlds import Network
from tests.territories.factories import TerritoryFactory

# Who may update which action (progress, actual values, own contributions); everyone else reads only.
UPDATERS = {
    "gendarmerie": {"coordinator", "gendarme", "gendarme_colleague", "org_admin"},
    "cidff": {"coordinator", "cidff"},
    "epci": {"coordinator", "referent", "referent_elsewhere"},
}
READERS = {
    "coordinator",
    "referent",
    "referent_elsewhere",
    "gendarme",
    "gendarme_colleague",
    "cidff",
    "doctor",
    "ccas",
    "org_admin",
    "housing_manager",
    "observer",
    "dpo",
    "gendarmerie_observer",
}
OUTSIDERS = {"coordinator_elsewhere", "gendarme_elsewhere"}  # another territory: the same 404 as missing
ACTORS = sorted(READERS | OUTSIDERS | {"platform_admin"})


class PlanWorld(Network):
    def __init__(self):
        super().__init__()
        self.memberships["gendarmerie_observer"] = self._member(self.gendarmerie, ["observer"])
        self.elsewhere = TerritoryFactory(name="Pays de Pouzauges")
        # The gendarmerie serves both territories: its member there must not update this territory's plan.
        self.gendarmerie.territories.add(self.elsewhere)
        pouzauges = OrganisationFactory(
            name="Communauté de communes du Pays de Pouzauges",
            kind=OrganisationKind.LOCAL_AUTHORITY,
            territories=[self.elsewhere],
        )
        for name, organisation, roles in (
            ("coordinator_elsewhere", pouzauges, ["coordinator"]),
            ("gendarme_elsewhere", self.gendarmerie, ["professional"]),
        ):
            self.memberships[name] = MembershipFactory(
                territory=self.elsewhere,
                organisation=organisation,
                roles=roles,
                user=UserFactory(with_totp=True),
            )
        coordinator = self.actor("coordinator")
        self.axes = services.axes_create_default(actor=coordinator)
        today = timezone.localdate()
        self.actions = {
            "gendarmerie": services.action_create(
                actor=coordinator,
                axis=self.axes[0],
                title="Former les agents d'accueil au repérage",
                lead_organisation=self.gendarmerie,
                partners=[self.cidff, self.ccas],
                starts_on=today - datetime.timedelta(days=60),
                ends_on=today + datetime.timedelta(days=300),
            ),
            "cidff": services.action_create(
                actor=coordinator,
                axis=self.axes[2],
                title="Permanences juridiques dans les mairies",
                lead_organisation=self.cidff,
            ),
            "epci": services.action_create(
                actor=coordinator,
                axis=self.axes[5],
                title="Campagne du 25 novembre",
                lead_organisation=self.epci,
                partners=[self.gendarmerie],
            ),
        }
        other_axes = services.axes_create_default(actor=self.actor("coordinator_elsewhere"))
        self.actions["elsewhere"] = services.action_create(
            actor=self.actor("coordinator_elsewhere"),
            axis=other_axes[0],
            title="Action d'un autre territoire",
            lead_organisation=self.gendarmerie,
        )

    def action(self, key: str):
        from maillage.actionplan.models import Action

        return Action.objects.get(pk=self.actions[key].pk)
