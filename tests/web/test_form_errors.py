"""The shared pattern of every form: an error summary found from the page's forms and "Erreur : " in the title
(maillage/web/templatetags/form_errors.py), "(facultatif)" from the form renderer (web/form_rendering.py)."""

import re
from html import unescape

import pytest
from django import forms
from django.template import Context, Template
from django.utils.functional import SimpleLazyObject

from maillage.web.templatetags.form_errors import SummaryError, summary_errors

PAGE = Template(
    "{% load form_errors %}<title>{% error_title_prefix %}Page</title>{% error_summary %}"
    '{% include "web/includes/form_fields.html" %}'
)


class ExampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="En entier.")
    nickname = forms.CharField(label="Surnom", required=False)
    kinds = forms.MultipleChoiceField(
        label="Genres", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    agreed = forms.BooleanField(label="J'ai lu", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Tout le formulaire est refusé.")


class ExampleFilterForm(forms.Form):
    marks_optional_fields = False
    q = forms.CharField(label="Recherche", required=False)
    page = forms.IntegerField(label="Page", required=False)


def render(form) -> str:
    return unescape(PAGE.render(Context({"form": form}))).replace("\xa0:", " :")


def test_a_sent_form_lists_its_errors_linked_to_their_fields():
    html = render(ExampleForm({"version": "x", "nickname": "Zaza"}))
    assert html.startswith("<title>Erreur : Page</title>")
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL).group(0)
    assert 'role="alert" tabindex="-1"' in summary and "data-error-summary" in summary
    items = re.findall(r"<li>(.*?)</li>", summary)
    assert items == [
        "Tout le formulaire est refusé.",  # the form's own error: nothing to link to
        '<a href="#id_name">Nom : Ce champ est obligatoire.</a>',
        '<a href="#id_kinds_0">Genres : Ce champ est obligatoire.</a>',  # a group: its first choice
        "Saisissez un nombre entier.",  # a hidden field cannot be reached
    ]


def test_fields_in_error_are_tied_to_their_messages():
    html = render(ExampleForm({"version": "1"}))
    name = re.search(r'<input type="text" name="name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in name and 'aria-describedby="id_name_helptext id_name_error"' in name
    assert '<ul class="errorlist" id="id_name_error">' in html
    choice = re.search(r'<input type="checkbox" name="kinds"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in choice and 'aria-describedby="id_kinds_error"' in choice
    assert '<fieldset aria-describedby="id_kinds_error">' in html
    nickname = re.search(r'<input type="text" name="nickname"[^>]*>', html).group(0)
    assert "aria-invalid" not in nickname and "aria-describedby" not in nickname


def test_optional_fields_are_marked_and_required_ones_stated_once():
    html = render(ExampleForm())
    assert html.count("Sauf mention contraire, tous les champs sont obligatoires.") == 1
    assert '<label for="id_nickname">Surnom <span class="optional">(facultatif)</span> :</label>' in html
    assert '<label for="id_name">Nom :</label>' in html
    assert "J'ai lu :</label>" in html and "J'ai lu <span" not in html  # a lone tick-box is its own answer


def test_a_form_not_sent_or_without_mistakes_shows_no_summary():
    assert "error-summary" not in render(ExampleForm())
    html = render(ExampleFilterForm({"q": "x"}))
    assert "error-summary" not in html and html.startswith("<title>Page</title>")


def test_filter_forms_mark_nothing_optional():
    html = render(ExampleFilterForm())
    assert "(facultatif)" not in html and "Sauf mention contraire" not in html


def test_formsets_name_each_block_and_link_to_its_prefixed_fields():
    class NamedFormSet(forms.formset_factory(ExampleFilterForm, extra=0)):
        legend = "Bloc"

    data = {"b-TOTAL_FORMS": "2", "b-INITIAL_FORMS": "0", "b-0-page": "1", "b-1-page": "deux"}
    assert summary_errors([NamedFormSet(data, prefix="b")]) == [
        SummaryError("Bloc 2 — Page : Saisissez un nombre entier.", "id_b-1-page")
    ]


@pytest.mark.django_db
def test_the_sign_in_page_uses_the_shared_summary(client):
    html = unescape(
        client.post("/accounts/login/", {"login": "personne@exemple.fr", "password": "x"}).content.decode()
    )
    assert "<title>Erreur : Connexion" in html
    assert '<div class="error-summary" role="alert"' in html


def test_a_long_list_of_errors_is_cut_in_the_summary():
    class ManyProblemsForm(forms.Form):
        def clean(self):
            raise forms.ValidationError([f"Problème {n}" for n in range(1, 15)])

    html = render(ManyProblemsForm({}))
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL).group(0)
    assert re.findall(r"<li>(.*?)</li>", summary) == [f"Problème {n}" for n in range(1, 11)]
    assert "… et 4 autres erreurs, signalées plus bas." in summary


def test_the_page_s_lazy_values_are_not_evaluated_to_find_its_forms():
    def evaluated():
        raise AssertionError("a lazy value of the context was evaluated")

    html = PAGE.render(Context({"form": ExampleFilterForm(), "csrf_token": SimpleLazyObject(evaluated)}))
    assert html.startswith("<title>Page</title>")


def test_forms_gathered_in_a_dict_or_a_list_are_found():
    context = {"forms": {"first": ExampleFilterForm(), "second": ExampleForm({"version": "1"})}}
    html = unescape(PAGE.render(Context({**context, "form": ExampleFilterForm()})))
    assert html.startswith("<title>Erreur : Page</title>") and 'href="#id_name"' in html
    html = unescape(
        PAGE.render(Context({"blocks": [ExampleForm({"version": "1"})], "form": ExampleFilterForm()}))
    )
    assert 'href="#id_kinds_0"' in html
