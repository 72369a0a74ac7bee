"""A coordination meeting in the browser, on a phone: the coordinator schedules it (a form refused with its
reason, input kept), prepares the agenda (a situation added by its pseudonym), opens the meeting, records
attendance, the examination of a situation and a decision that creates a task, then closes it after the
confirmation; a member who accepted the charter reads the situation during the meeting and not after. Then
the coordinator prepares the minutes, reviews the highlighted replacements (masks one more), validates them,
and downloads the PDF, whose extracted text holds none of the situation's identities. Each page fits 390 px
and passes axe."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from maillage.meetings import services
from maillage.meetings.models import Meeting
from maillage.network.enums import OrganisationKind
from maillage.situations.enums import PersonRole, Sex
from maillage.situations.models import Task
from tests.accounts.factories import enrol_totp
from tests.browser.helpers import open_menu, signed_in
from tests.network.factories import MembershipFactory, OrganisationFactory
from tests.situations.factories import actor_of, report_situation
from tests.territories.factories import CommuneFactory, TerritoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
VICTIM = {"first_name": "Ombeline", "last_name": "Quérard-Vasseur", "phone": "06 98 76 54 32"}
IDENTITIES = ("Ombeline", "Quérard", "Vasseur", "06 98 76 54 32", "Tristan", "Grand Chêne", "Trois Épis")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_prepare_run_and_close_a_meeting_on_a_phone(browser, live_server, contexts, check_a11y):
    herbiers = TerritoryFactory(name="Pays des Herbiers")
    mouchamps = CommuneFactory(territory=herbiers, name="Mouchamps")
    epci = OrganisationFactory(name="Communauté de communes", territories=[herbiers])
    gendarmerie = OrganisationFactory(kind=OrganisationKind.LAW_ENFORCEMENT, territories=[herbiers])
    cidff = OrganisationFactory(
        name="CIDFF de la Vendée", kind=OrganisationKind.ASSOCIATION, territories=[herbiers]
    )
    coordinator = MembershipFactory(territory=herbiers, organisation=epci, roles=["coordinator"])
    gendarme = MembershipFactory(territory=herbiers, organisation=gendarmerie, roles=["professional"])
    member = MembershipFactory(territory=herbiers, organisation=cidff, roles=["professional"])
    situation = report_situation(
        gendarme,
        commune=mouchamps,
        persons=[
            {"role": PersonRole.VICTIM, "sex": Sex.FEMALE, **VICTIM},
            {
                "role": PersonRole.PERPETRATOR,
                "sex": Sex.MALE,
                "first_name": "Tristan",
                "last_name": "Vasseur",
            },
        ],
    )
    actor = actor_of(coordinator)
    for membership in (gendarme, member):
        services.group_member_add(actor=actor, membership=membership)
    charter = services.charter_publish(actor=actor, text="Confidentialité des échanges de la cellule.")
    services.charter_accept(actor=actor_of(member), charter=charter)

    page = signed_in(
        browser, live_server, contexts, (coordinator.user, enrol_totp(coordinator.user)), viewport=PHONE
    )
    open_menu(page)
    page.get_by_role("link", name="Cellule de suivi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cellule de suivi")
    assert fits(page)
    check_a11y(page)

    page.get_by_role("link", name="Programmer une réunion").click()
    # Today, begun a little while ago and ending within the day, so that it may be opened at once.
    now = timezone.localtime()
    today = now.date()
    midnight = datetime.datetime.combine(today, datetime.time.min, tzinfo=now.tzinfo)
    starts = max(midnight, now - datetime.timedelta(minutes=30))
    ends = min(
        datetime.datetime.combine(today, datetime.time(23, 59), tzinfo=now.tzinfo),
        starts + datetime.timedelta(hours=4),
    )
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Début").fill(f"{starts:%H:%M}")
    page.get_by_label("Fin").fill(f"{ends:%H:%M}")
    page.get_by_role("button", name="Programmer la réunion").click()
    expect(page).to_have_title(re.compile("^Erreur"))
    expect(page.locator("main")).to_contain_text("Indiquez un lieu ou un lien de visioconférence.")
    expect(page.get_by_label("Fin")).to_have_value(f"{ends:%H:%M}")
    assert fits(page)
    check_a11y(page)
    page.get_by_label("Lieu").fill("Salle du conseil")
    page.get_by_role("button", name="Programmer la réunion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cellule de suivi du")
    expect(page.locator("main")).to_contain_text(situation.pseudonym)  # proposed: a new situation
    assert fits(page)
    check_a11y(page)
    meeting = Meeting.objects.get()
    meeting.items.all().delete()  # the coordinator will add it by hand

    page.get_by_role("link", name="Préparer l'ordre du jour").click()
    page.get_by_label("Pseudonyme de la situation").fill("S-1999-0001")
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.locator("main")).to_contain_text("Aucune situation ne porte ce pseudonyme")
    assert fits(page)
    check_a11y(page)
    page.get_by_label("Pseudonyme de la situation").fill(situation.pseudonym.lower())
    page.get_by_role("button", name="Ajouter à l'ordre du jour").click()
    expect(page.locator("main")).to_contain_text("Ajoutée par la coordination")
    page.get_by_role("link", name=re.compile("Cellule de suivi du")).click()

    page.get_by_role("button", name="Ouvrir la réunion").click()
    expect(page.locator("main")).to_contain_text("Réunion ouverte")
    assert fits(page)
    check_a11y(page)
    reader = signed_in(browser, live_server, contexts, (member.user, enrol_totp(member.user)), viewport=PHONE)
    reader.goto(f"/situations/{situation.public_id}/")
    expect(reader.locator("main")).to_contain_text("vous lisez cette situation pendant la réunion")
    check_a11y(reader)

    page.get_by_role("link", name="Présences").click()
    page.get_by_role("radio", name="Absence excusée").first.check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.locator("main")).to_contain_text("Présences enregistrées")

    page.get_by_role("link", name="Examen et décisions").click()
    expect(page.get_by_role("link", name="Proposer une orientation")).to_be_visible()
    assert fits(page)
    check_a11y(page)
    page.get_by_role("textbox", name=re.compile("^Synthèse")).fill(
        "Ombeline Quérard-Vasseur a quitté le domicile ; Tristan Vasseur l'appelle encore au 06 98 76 54 32. "
        "Elle dort chez une amie au lieu-dit le Grand Chêne et travaille à la boulangerie des Trois Épis. "
        "Hébergement à prévoir."
    )
    page.get_by_label("Prochain examen").fill((today + datetime.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Enregistrer l'examen").click()
    expect(page.locator("main")).to_contain_text("Examen de")
    page.get_by_role("textbox", name=re.compile("^Décision")).fill("Demander un hébergement d'urgence.")
    page.get_by_label("Action qui en découle").fill("Demander un logement au CCAS")
    page.get_by_label("Personne chargée de l'action").select_option(str(gendarme.public_id))
    page.get_by_label("Échéance").fill((today + datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("main")).to_contain_text("Décision enregistrée")
    expect(page.locator("main")).to_contain_text("action : Demander un logement au CCAS")
    assert fits(page)
    check_a11y(page)
    assert Task.objects.filter(situation=situation, title="Demander un logement au CCAS").exists()

    page.get_by_role("link", name=re.compile("Cellule de suivi du")).click()
    page.get_by_role("button", name="Clore la réunion").click()
    expect(page.locator("main")).to_contain_text("Les membres ne voient plus les situations")
    assert fits(page)
    check_a11y(page)
    page.get_by_role("button", name="Clore la réunion").click()
    expect(page.locator("main")).to_contain_text("Réunion close")
    assert Meeting.objects.get().status == "closed"
    reader.goto(f"/situations/{situation.public_id}/")
    expect(reader.get_by_role("heading", level=1)).not_to_contain_text(situation.pseudonym)

    # The minutes: prepared, reviewed (one more text masked by hand), validated after the confirmation.
    page.get_by_role("link", name="Préparer le compte rendu").click()
    page.get_by_role("button", name="Préparer le compte rendu").click()
    expect(page.locator("main")).to_contain_text("vérifiez chaque remplacement surligné")
    expect(page.locator(".minutes-text mark").first).to_have_text("Ombeline Quérard-Vasseur")
    expect(page.locator("main")).to_contain_text("[victime]")
    assert fits(page)
    check_a11y(page)
    page.get_by_label("Masquer aussi ce texte").fill("boulangerie des Trois Épis")
    page.get_by_label("Ce texte désigne").select_option("OTHER")
    page.get_by_role("button", name="Enregistrer les choix").click()
    expect(page.locator("main")).to_contain_text("Choix enregistrés")
    expect(page.locator("main")).to_contain_text("ajouté à la main")
    assert fits(page)
    check_a11y(page)
    page.get_by_role("button", name="Valider le compte rendu").click()
    expect(page.locator("main")).to_contain_text("Le texte d'origine est effacé")
    check_a11y(page)
    page.get_by_role("button", name="Valider le compte rendu").click()
    expect(page.locator("main")).to_contain_text("Compte rendu validé")
    expect(page.locator("main")).to_contain_text(situation.pseudonym)
    for identity in IDENTITIES:
        expect(page.locator("main")).not_to_contain_text(identity)
    assert fits(page)
    check_a11y(page)
    pdf = page.request.get(page.get_by_role("link", name="Télécharger le PDF").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    extracted = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert situation.pseudonym in extracted and "[victime]" in extracted
    assert "[information masquée]" in extracted
    assert not [identity for identity in IDENTITIES if identity in extracted]
    # The member reads the same minutes, naming nobody.
    reader.goto(page.url)
    expect(reader.get_by_role("heading", level=1)).to_contain_text("Compte rendu de la cellule de suivi")
    check_a11y(reader)
