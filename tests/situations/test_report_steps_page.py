"""The report page as report-steps.js reads it (ADR 0023): a fresh form offers the steps and carries the
server's own messages for « Continuer »; a form sent back with errors never does (it shows whole)."""

from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPORT = reverse("situations:report")


def text(response) -> str:
    return unescape(response.content.decode())


def test_a_fresh_report_offers_the_steps_with_the_servers_messages(net):
    html = text(net.client("gendarme").get(REPORT))
    assert "data-report-steps" in html
    assert "report-steps.js" in html
    assert html.count('class="report-step') == 4
    for message in [
        "Cochez au moins une source du repérage.",
        "Cochez au moins un type de violences.",
        "Indiquez s'il y a un danger immédiat.",
        "Indiquez la réponse de la victime, ou qu'elle n'a pas pu être demandée.",
    ]:
        assert f'data-required="{message}"' in html
    assert (
        'data-required="Cochez les organisations avec lesquelles la victime accepte le partage." '
        'data-required-if="consent_answer=given"'
    ) in html
    # Without JavaScript: no step buttons, no check page, the whole form and « Enregistrer » as before.
    assert html.count("data-step-nav hidden") == 4
    assert 'class="report-step report-check" aria-labelledby="step-verification" data-check hidden' in html
    assert "data-steps-mode hidden" in html
    assert "Enregistrer le signalement" in html


def test_a_report_sent_back_with_errors_shows_whole(net):
    response = net.client("gendarme").post(REPORT, {"urgent": "non"})
    assert response.status_code == 200
    html = text(response)
    assert "Cochez au moins une source du repérage." in html
    assert "data-report-steps" not in html


def test_the_organisations_of_the_consent_are_ticked_from_a_filtered_list(net):
    html = text(net.client("gendarme").get(REPORT))
    # The filter field is hidden until picker.js wires it; without it, the plain tick-boxes.
    assert '<div class="picker__filter" hidden>' in html
    assert "Filtrer les organisations par nom" in html
    assert html.count('name="consent_organisations"') >= 2
    assert "<select" not in html.split("consent_organisations", 1)[1].split("</fieldset>", 1)[0]
