"""An organisation admin invites a colleague as a professional; the role waits; the coordinator approves it
on a phone; the DPO sees the change as new. Then the admin removes an access, after a confirmation page.
Every page is checked with axe, and the phone pages must fit a 390 px screen."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from maillage.network.models import Membership
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.territories.factories import TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_a_professional_role_waits_for_the_coordinator(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    epci = OrganisationFactory(
        name="Communauté de communes", kind=OrganisationKind.LOCAL_AUTHORITY, territories=[herbiers]
    )
    cidff = OrganisationFactory(
        name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers]
    )
    people = {
        "coordinator": MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"]),
        "dpo": MembershipFactory(territory=herbiers, organisation=epci, roles=["dpo"]),
        "admin": MembershipFactory(territory=herbiers, organisation=cidff, roles=["org_admin"]),
    }
    account = {name: (m.user, enrol_totp(m.user)) for name, m in people.items()}

    # The CIDFF's admin invites a lawyer as a professional.
    admin = signed_in(browser, live_server, contexts, account["admin"])
    admin.goto("/reseau/membres/inviter/")
    check_a11y(admin)
    admin.get_by_label("Adresse électronique professionnelle").fill("juriste@cidff.test")
    admin.get_by_label("Prénom").fill("Inès")
    admin.locator("#id_last_name").fill("Robin")
    admin.get_by_label(re.compile("Intervention professionnelle")).check()
    admin.get_by_role("button", name=re.compile("Inviter|Envoyer")).click()
    expect(admin.locator("main")).to_contain_text("En attente de l'approbation de la coordination")
    expect(admin.locator("main")).to_contain_text(
        "En attente de la coordination : Intervention professionnelle"
    )
    check_a11y(admin)
    invited = Membership.objects.get(user__email="juriste@cidff.test")
    assert invited.roles == []

    # The coordinator approves it from a phone.
    coordinator = signed_in(browser, live_server, contexts, account["coordinator"], viewport=PHONE)
    expect(coordinator.locator("main")).to_contain_text("1 demande en attente de votre décision")
    coordinator.get_by_role("link", name="Droits d'accès").first.click()
    check_a11y(coordinator)
    fits(coordinator)
    coordinator.get_by_role("button", name=re.compile("^Approuver")).click()
    expect(coordinator.locator("main")).to_contain_text("a désormais le rôle Intervention professionnelle")
    fits(coordinator)
    assert Membership.objects.with_details().get(pk=invited.pk).roles == ["professional"]

    # The DPO sees the change as new.
    dpo = signed_in(browser, live_server, contexts, account["dpo"])
    expect(dpo.locator("main")).to_contain_text("1 changement de droits à voir")
    dpo.goto("/reseau/droits/")
    expect(dpo.locator("main")).to_contain_text("Nouveau")
    check_a11y(dpo)

    # The admin removes the access: a confirmation page says what will change first.
    admin.goto("/reseau/membres/")
    admin.get_by_role("link", name="Désactiver Inès Robin").click()
    expect(admin.locator("main")).to_contain_text("perd l'accès aux situations")
    check_a11y(admin)
    assert Membership.objects.get(pk=invited.pk).is_active
    admin.get_by_role("button", name="Désactiver cet accès").click()
    expect(admin.locator("main")).to_contain_text("est désactivé")
    assert not Membership.objects.get(pk=invited.pk).is_active
