"""The statistics in the browser, on a laptop and on a 390 px phone: an observer signs in and lands on the
dashboard (what the role is for, last year's figures protected, each chart an image with its text
alternative before its table), downloads the annual report (a PDF whose text holds the figures and no
identity); the coordinator reads exact figures marked « diffusion restreinte » and raises the threshold,
which the observer's page then applies. Every page passes axe and fits the phone."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from maillage.situations.enums import PersonRole, Sex
from maillage.situations.models import Situation
from tests.accounts.factories import UserFactory
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory
from tests.situations.factories import PersonFactory, SituationFactory
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NAME = ("Ombeline", "Quérazinsky")


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1366", "390"])
def test_the_observer_and_the_coordinator_read_the_statistics(
    browser, live_server, contexts, check_a11y, viewport
):
    year = timezone.localdate().year - 1
    territory = TerritoryFactory(name="Pays des Herbiers")
    small = CommuneFactory(territory=territory, name="Vendrennes")
    large = CommuneFactory(territory=territory, name="Les Herbiers")
    coordinator = MembershipFactory(
        territory=territory, roles=["coordinator"], user=UserFactory(with_totp=True)
    )
    observer = MembershipFactory(territory=territory, roles=["observer"], user=UserFactory(with_totp=True))
    moment = datetime.datetime(year, 6, 1, 10, tzinfo=timezone.get_current_timezone())
    for commune, count in ((small, 2), (large, 14)):
        for n in range(count):
            situation = SituationFactory(territory=territory, commune=commune, created_by=coordinator)
            Situation.objects.filter(pk=situation.pk).update(created_at=moment)
            names = {"first_name": NAME[0], "last_name": NAME[1]} if n == 0 else {}
            PersonFactory(situation=situation, role=PersonRole.VICTIM, sex=Sex.FEMALE, age=33, **names)
    size = viewport or {"width": 1366, "height": 900}

    def checked(page):
        check_a11y(page)
        if viewport:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{page.url} is {width} px wide"

    # The observer's first page is the dashboard.
    page = signed_in(
        browser, live_server, contexts, (observer.user, observer.user.totp_secret), viewport=size
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Statistiques {year}")
    main = page.locator("main")
    expect(main).to_contain_text("À quoi sert le rôle d'observation")
    expect(main).to_contain_text("s'affiche « < 11 »")
    communes = page.get_by_role("table", name=re.compile(f"^Situations par commune — {year}"))
    expect(communes.get_by_role("row", name=re.compile("^Vendrennes"))).to_contain_text("< 11")
    chart = page.get_by_role("img", name=re.compile("^Graphique en barres : Situations nouvelles, actives"))
    expect(chart).to_be_visible()
    checked(page)
    report = page.request.get(page.get_by_role("link", name="Rapport annuel (PDF)").get_attribute("href"))
    assert report.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report.body())).pages)
    assert f"Rapport annuel {year}" in text and "Situations nouvelles" in text and "< 11" in text
    assert not [part for part in NAME if part in text]

    # The coordinator reads the exact figures and raises the threshold.
    observer_page = page
    page = signed_in(
        browser, live_server, contexts, (coordinator.user, coordinator.user.totp_secret), viewport=size
    )
    open_menu(page)
    page.get_by_role("link", name="Statistiques", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Statistiques"))
    page.get_by_label("Année :").select_option(str(year))
    page.get_by_role("button", name="Afficher").click()
    main = page.locator("main")
    expect(main).to_contain_text("Diffusion restreinte")
    communes = page.get_by_role("table", name=re.compile(f"^Situations par commune — {year}"))
    expect(communes.get_by_role("row", name=re.compile("^Vendrennes"))).to_contain_text("2")
    checked(page)
    page.get_by_role("link", name=re.compile("seuil de diffusion")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seuil de diffusion des statistiques")
    page.get_by_label("Seuil de diffusion").fill("3")
    page.get_by_role("button", name="Enregistrer le seuil").click()
    expect(page.locator(".error-summary, [role=alert]").first).to_be_visible()
    expect(page.get_by_label("Seuil de diffusion")).to_have_value("3")
    checked(page)
    page.get_by_label("Seuil de diffusion").fill("15")
    page.get_by_role("button", name="Enregistrer le seuil").click()
    expect(page.locator("main")).to_contain_text("Seuil de diffusion enregistré : 15.")

    # The observer's page applies it: the large commune's 14 are now below the threshold too.
    page = observer_page
    page.reload()
    communes = page.get_by_role("table", name=re.compile(f"^Situations par commune — {year}"))
    expect(communes.get_by_role("row", name=re.compile("^Les Herbiers"))).to_contain_text("< 15")
