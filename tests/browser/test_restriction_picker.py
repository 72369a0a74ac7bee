"""A coordinator restricts a situation and names the people allowed from a list of many, by typing part of a
name in the picker's filter (issue 10, item 9: no Ctrl-click through a 41-name list), at 390 and 1366 px."""

import pytest
from playwright.sync_api import expect

from maillage.situations.models import NamedAccess
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_NAMES = ["Odile", "Odette", "Bernard", "Anaïs", "Élodie", "Marc", "Inès", "Paul", "Rose", "Yann"]


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}])
def test_name_the_people_allowed_through_the_filter(browser, live_server, contexts, check_a11y, viewport):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    epci = OrganisationFactory(name="Communauté de communes", territories=[herbiers])
    gendarmerie = OrganisationFactory(name="Gendarmerie", territories=[herbiers])
    # Every name and address fixed: a random one could contain the letters typed in the filter.
    coordinator = MembershipFactory(
        territory=herbiers,
        organisation=epci,
        roles=["coordinator"],
        user__first_name="Claire",
        user__last_name="Coordination",
        user__email="coordination@exemple.test",
    )
    gendarme = MembershipFactory(
        territory=herbiers,
        organisation=gendarmerie,
        roles=["professional"],
        user__first_name="Gaston",
        user__last_name="Gendarme",
        user__email="gendarme@exemple.test",
    )
    people = {
        name: MembershipFactory(
            territory=herbiers,
            organisation=gendarmerie,
            roles=["professional"],
            user__first_name=name,
            user__last_name="Martin" if name != "Élodie" else "Durand",
            user__email=f"personne{number}@exemple.test",
        ).user
        for number, name in enumerate(FIRST_NAMES)
    }
    situation = report_situation(gendarme, commune=mouchamps)
    page = signed_in(
        browser, live_server, contexts, (coordinator.user, enrol_totp(coordinator.user)), viewport=viewport
    )

    page.goto(f"/situations/{situation.public_id}/coordination/")
    filter_field = page.get_by_label("Filtrer les personnes par nom ou adresse")
    expect(filter_field).to_be_visible()
    status = page.locator(".picker [aria-live]")
    total = len(FIRST_NAMES) + 2  # the coordinator and the gendarme are members of the territory too
    expect(status).to_have_text(f"Dans la liste : {total} sur {total}. Choix cochés : 0.")

    # Accents and case do not matter; two words must both match.
    filter_field.fill("elodie")
    expect(status).to_have_text(f"Dans la liste : 1 sur {total}. Choix cochés : 0.")
    page.get_by_label("Élodie Durand", exact=False).check()
    filter_field.fill("ODILE mart")
    expect(status).to_have_text(
        f"Dans la liste : 2 sur {total}. Choix cochés : 1."
    )  # Odile + the ticked Élodie
    expect(page.get_by_label("Odette Martin", exact=False)).to_be_hidden()
    page.get_by_label("Odile Martin", exact=False).check()
    expect(status).to_have_text(f"Dans la liste : 2 sur {total}. Choix cochés : 2.")
    # Enter in the filter does not send the form.
    filter_field.press("Enter")
    assert not NamedAccess.objects.filter(situation=situation).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    check_a11y(page)

    page.get_by_label("Motif de la restriction").fill("La victime travaille dans une organisation du réseau")
    page.get_by_role("button", name="Restreindre l'accès").click()
    main = page.locator("main")
    # The confirmation says who keeps and who loses access, then the second click acts.
    expect(main).to_contain_text("Ce qui va changer")
    expect(main).to_contain_text("(Odile Martin, Élodie Durand)")
    check_a11y(page)
    page.get_by_role("button", name="Restreindre l'accès").click()
    expect(main).to_contain_text("Personnes nommées")
    named = set(NamedAccess.objects.filter(situation=situation).values_list("user_id", flat=True))
    assert named == {people["Élodie"].pk, people["Odile"].pk}
    check_a11y(page)
