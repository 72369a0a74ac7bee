"""The report form sent with mistakes: the shared error summary, the fields tied to their messages, what is
asked and what is optional, and no answer chosen in advance about who the persons are."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.situations.models import Situation

pytestmark = pytest.mark.django_db

REPORT = reverse("situations:report")


def report_data(net, **overrides) -> dict:
    data = {
        "commune": str(net.mouchamps.public_id),
        "detected_on": timezone.localdate().isoformat(),
        "sources": ["law_enforcement"],
        "violence_types": ["physical"],
        "urgent": "non",
        "victime-TOTAL_FORMS": "1",
        "victime-INITIAL_FORMS": "0",
        "victime-0-sex": "unknown",
        "enfant-TOTAL_FORMS": "3",
        "enfant-INITIAL_FORMS": "0",
        "enfant-0-sex": "unknown",
        "enfant-1-sex": "unknown",
        "enfant-2-sex": "unknown",
        "auteur-TOTAL_FORMS": "1",
        "auteur-INITIAL_FORMS": "0",
        "auteur-0-sex": "unknown",
        "consent_answer": "refused",
    }
    data.update(overrides)
    return data


def html_of(response) -> str:
    return unescape(response.content.decode())


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    assert match, "no error summary"
    return match.group(0)


def tag_with_id(html: str, element_id: str) -> str:
    return re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', html).group(0)


def test_two_mistakes_are_listed_at_the_top_with_links_to_their_fields(net):
    response = net.client("gendarme").post(REPORT, report_data(net, sources=[], consent_answer=""))
    html = html_of(response)
    assert response.status_code == 200
    assert not Situation.objects.exists()
    assert "<title>Erreur : " in html
    summary = summary_of(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "Il y a un problème" in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_sources_0", "Source du repérage : Cochez au moins une source du repérage."),
        (
            "id_consent_answer_0",
            "La victime accepte-t-elle que ces informations soient partagées avec le réseau ? "
            "Indiquez la réponse de la victime, ou qu'elle n'a pas pu être demandée.",
        ),
    ]
    # The summary comes first in the main content, before the page's heading.
    assert html.index('class="error-summary"') < html.index("<h1>")
    # Every link leads to a field of the page.
    for target, _ in links:
        assert f'id="{target}"' in html


def test_the_consent_error_is_tied_to_its_group_and_to_each_choice(net):
    html = html_of(net.client("gendarme").post(REPORT, report_data(net, consent_answer="")))
    message = tag_with_id(html, "id_consent_answer_error")
    assert message.startswith("<ul")
    fieldset = re.search(r'<fieldset aria-describedby="([^"]+)">\s*<legend>La victime accepte', html)
    assert fieldset and "id_consent_answer_error" in fieldset.group(1).split()
    choice = tag_with_id(html, "id_consent_answer_0")
    assert 'aria-invalid="true"' in choice and 'aria-describedby="id_consent_answer_error"' in choice


def test_a_field_in_error_points_at_its_message_and_its_help_text(net):
    html = html_of(net.client("gendarme").post(REPORT, report_data(net, safe_hours="x" * 101)))
    field = tag_with_id(html, "id_safe_hours")
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_safe_hours_helptext id_safe_hours_error"' in field
    assert tag_with_id(html, "id_safe_hours_error").startswith("<ul")
    assert 'href="#id_safe_hours"' in summary_of(html)


def test_errors_of_a_child_block_name_the_block_and_link_to_its_prefixed_field(net):
    data = report_data(net, **{"enfant-1-age": "30", "enfant-2-sex": "female"})
    summary = summary_of(html_of(net.client("gendarme").post(REPORT, data)))
    assert re.search(r'<a href="#id_enfant-1-age">Enfant 2 — Âge \(ans\) : [^<]+</a>', summary)
    # An error about the whole block has no single field to go to: listed, not linked.
    assert "<li>Enfant 3 — Pour un enfant, indiquez au moins son prénom ou son âge.</li>" in summary


def test_a_page_without_mistakes_has_no_summary_and_no_error_title(net):
    html = html_of(net.client("gendarme").get(REPORT))
    assert "error-summary" not in html.replace("error-summary.js", "")
    assert "<title>Erreur" not in html


def test_required_fields_are_stated_once_and_optional_ones_marked(net):
    html = html_of(net.client("gendarme").get(REPORT)).replace("\xa0:", " :")  # French label suffix
    assert html.count("Sauf mention contraire, tous les champs sont obligatoires.") == 1
    optional = '<span class="optional">(facultatif)</span> :'
    assert f'<label for="id_safe_hours">Horaires sûrs {optional}</label>' in html
    assert f'<label for="id_victime-0-first_name">Prénom {optional}</label>' in html
    assert f"<legend>Moyens de la contacter sans danger {optional}</legend>" in html
    assert '<label for="id_commune">Commune :</label>' in html  # required: no mark
    assert "<legend>Source du repérage :</legend>" in html
    # Required once consent is given: not marked optional, its help text says when it is needed.
    assert "<legend>Organisations avec lesquelles elle accepte le partage :</legend>" in html


def test_filter_forms_mark_nothing_optional(net):
    html = html_of(net.client("gendarme").get(reverse("situations:list")))
    assert "(facultatif)" not in html
    assert "Sauf mention contraire" not in html


def test_no_sex_is_chosen_in_advance(net):
    html = html_of(net.client("gendarme").get(REPORT))
    for prefix in ("victime-0", "enfant-0", "auteur-0"):
        select = re.search(rf'<select name="{prefix}-sex".*?</select>', html, re.DOTALL).group(0)
        assert re.findall(r'<option value="(\w+)"[^>]*selected', select) == ["unknown"]


def test_an_untouched_victim_is_recorded_with_an_unknown_sex(net):
    net.client("gendarme").post(REPORT, report_data(net))
    assert Situation.objects.get().persons.get(role="victim").sex == "unknown"


def test_empty_child_blocks_after_the_first_are_foldable_and_a_filled_one_is_not(net):
    html = html_of(net.client("gendarme").get(REPORT))
    legends = re.findall(r'<fieldset class="person-fieldset"([^>]*)>\s*<legend>(\w+ \d)', html)
    assert [("data-folded" in attrs, legend) for attrs, legend in legends if legend.startswith("Enfant")] == [
        (False, "Enfant 1"),
        (True, "Enfant 2"),
        (True, "Enfant 3"),
    ]
    assert "Ajouter un enfant</button>" in html
    data = report_data(net, sources=[], **{"enfant-1-first_name": "Léa"})
    html = html_of(net.client("gendarme").post(REPORT, data))
    legends = re.findall(r'<fieldset class="person-fieldset"([^>]*)>\s*<legend>(Enfant \d)', html)
    assert ["data-folded" in attrs for attrs, _ in legends] == [False, False, True]
    assert 'value="Léa"' in html
