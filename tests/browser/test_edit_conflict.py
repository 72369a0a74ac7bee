"""Two people edit the same situation at once: the second save is refused with what changed meanwhile, and
what the second person typed is still on screen (issue 4, "the edit conflict is tested in the browser")."""

import re

import pytest
from playwright.sync_api import expect

from maillage.network.enums import OrganisationKind
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_second_save_is_refused_and_keeps_the_input(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    epci = OrganisationFactory(kind=OrganisationKind.LOCAL_AUTHORITY, territories=[herbiers])
    coordinator = MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"])
    referent = MembershipFactory(territory=herbiers, roles=["referent"], communes=[mouchamps])
    situation = report_situation(coordinator, commune=mouchamps, violence_types=["physical"])
    url = f"/situations/{situation.public_id}/modifier/"

    first = signed_in(browser, live_server, contexts, (coordinator.user, enrol_totp(coordinator.user)))
    second = signed_in(browser, live_server, contexts, (referent.user, enrol_totp(referent.user)))
    first.goto(url)
    second.goto(url)
    check_a11y(second)

    first.get_by_label("Psychologiques").check()
    first.get_by_role("button", name="Enregistrer").click()
    expect(first).not_to_have_url(re.compile("/modifier/"))

    second.get_by_label("Sexuelles").check()
    second.get_by_role("button", name="Enregistrer").click()
    expect(second).to_have_url(re.compile("/modifier/"))
    expect(second.locator("main")).to_contain_text("Quelqu")
    expect(second.locator("main")).to_contain_text("entre-temps : Types de violences")  # what changed
    expect(second.get_by_label("Sexuelles")).to_be_checked()
    check_a11y(second)

    situation.refresh_from_db()
    assert "psychological" in situation.violence_types
    assert "sexual" not in situation.violence_types
