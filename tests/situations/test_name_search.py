"""The name search (ADR 0021): any order of first and last names, a part of a compound name, the usage or
the birth name, through keyed blind indexes of each word — and nothing learnt about situations one cannot
see."""

import re
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from maillage.audit.enums import AuditAction
from maillage.audit.models import AuditEntry
from maillage.situations import names, selectors, services
from maillage.situations.models import PersonNameToken
from maillage.situations.names import name_words
from tests.situations.factories import actor_of, report_situation

pytestmark = pytest.mark.django_db

LIST = reverse("situations:list")
FIRST, LAST, BIRTH = "Zéphyrine", "Canarelli-Vasseur", "Le Goff"


def text(response) -> str:
    return unescape(response.content.decode())


def without_tokens(html: str) -> str:
    """The page without what differs on every request (CSRF tokens, nonces) and the name typed, which the
    search field shows back."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'name="name" value="[^"]*"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.fixture
def target(net):
    return report_situation(
        net["gendarme"],
        persons=[
            {"role": "victim", "sex": "female", "first_name": FIRST, "last_name": LAST, "birth_name": BIRTH},
            {"role": "perpetrator", "first_name": "Marc", "last_name": "Durandeau"},
        ],
    )


def search(net, who: str, name: str) -> str:
    return text(net.client(who).post(LIST, {"name": name}))


@pytest.mark.parametrize(
    "name",
    [
        "Zéphyrine Canarelli-Vasseur",
        "Canarelli-Vasseur Zéphyrine",  # any order
        "Canarelli-Vasseur",
        "Canarelli",  # a part of a compound name
        "Vasseur",
        "canarelli vasseur",  # hyphen or space, case
        "ZEPHYRINE CANARELLI",  # accents
        "Zéphyrine",  # first name alone
        "Le Goff",  # birth name
        "Zéphyrine Le-Goff",  # first and birth names
        "Z. Canarelli",  # an initial is ignored
        "  Vasseur   Canarelli  ",
    ],
)
def test_every_variant_finds_the_person(net, target, name):
    html = search(net, "gendarme", name)
    assert target.pseudonym in html, name


@pytest.mark.parametrize(
    "name",
    [
        "Canar",  # the beginning of a word is not a word
        "Zéphyrine Durand",  # every word must be the person's
        "Zéphyrine Durandeau",  # words of two different persons of the same situation
        "Camille",
    ],
)
def test_what_is_not_her_name_finds_nothing(net, target, name):
    html = search(net, "gendarme", name)
    assert target.pseudonym not in html, name
    assert "Aucune situation que vous pouvez voir ne compte une personne de ce nom." in html


def test_the_answer_says_who_matched_and_through_which_names(net, target):
    html = search(net, "gendarme", "Canarelli Zéphyrine")
    assert "Victime : prénom, nom d'usage" in html
    html = search(net, "gendarme", "Le Goff")
    assert "Victime : nom de naissance" in html
    assert "Auteur" not in html and "Durandeau" not in html


def test_initials_only_is_refused_with_a_message(net, target):
    html = search(net, "gendarme", "Z. C.")
    assert "Saisissez au moins un mot de deux lettres ou plus" in html
    assert target.pseudonym not in html
    assert not AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).exists()


def test_someone_who_cannot_see_the_situation_learns_nothing(net):
    """The association's situation in Vendrennes is not the gendarme's: searching a name that exists there
    answers exactly as searching a name that exists nowhere, and records the same audit entry."""
    hidden = report_situation(
        net["cidff"],
        commune=net.vendrennes,
        persons=[{"role": "victim", "first_name": FIRST, "last_name": LAST}],
    )
    existing = search(net, "gendarme", f"{FIRST} {LAST}")
    nowhere = search(net, "gendarme", "Personne Inexistante")
    assert hidden.pseudonym not in existing
    assert without_tokens(existing) == without_tokens(nowhere)
    searches = AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).order_by("sequence")
    assert [e.changes for e in searches] == [{"results": 0}, {"results": 0}]
    # The association's own professional finds it.
    assert hidden.pseudonym in search(net, "cidff", "Canarelli")


def test_the_words_are_encrypted_and_indexed_with_a_key(net, target):
    tokens = PersonNameToken.objects.filter(person__situation=target)
    assert sorted(t.token for t in tokens) == sorted(
        ["zephyrine", "canarelli", "vasseur", "le", "goff", "marc", "durandeau"]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT token, token_index FROM situations_personnametoken")
        stored = " ".join(" ".join(row) for row in cursor.fetchall()).lower()
    for word in ("zephyrine", "canarelli", "vasseur", "goff", "durandeau"):
        assert word not in stored


def test_a_changed_name_is_found_by_its_new_words_only(net, target):
    victim = target.persons.get(role="victim")
    services.person_update(actor=actor_of(net["gendarme"]), person=victim, last_name="Martin-Roux")
    assert target.pseudonym not in search(net, "gendarme", "Canarelli")
    assert target.pseudonym in search(net, "gendarme", "Zéphyrine Roux")
    assert target.pseudonym in search(net, "gendarme", "Le Goff")  # the birth name did not change


def test_name_words():
    assert name_words("Canarelli-Vasseur") == ["canarelli", "vasseur"]
    assert name_words("M. D'Artagnan") == ["artagnan"]  # initials and the elided "d" left out
    assert name_words("  ") == []


def test_a_name_borne_more_often_than_the_ids_step_takes_is_found_all_the_same(net, target, monkeypatch):
    """`with_name` looks a rare name up by the ids of the situations bearing it, a common one by an EXISTS
    (ADR 0046): the same situations either way, and only those the searcher sees."""
    other = report_situation(
        net["gendarme"], persons=[{"role": "victim", "first_name": "Marc", "last_name": "Le Goff"}]
    )
    hidden = report_situation(
        net["cidff"], persons=[{"role": "victim", "first_name": "Marc", "last_name": "Bazin"}]
    )
    actor = net.actor("gendarme")

    def found(name):
        return set(names.with_name(selectors.situations_listed(actor), name).values_list("pk", flat=True))

    answers = {name: found(name) for name in ("Marc", "Canarelli Zéphyrine", "Marc Le Goff", "Inconnu")}
    assert answers == {
        "Marc": {target.pk, other.pk},
        "Canarelli Zéphyrine": {target.pk},
        "Marc Le Goff": {other.pk},
        "Inconnu": set(),
    }
    assert hidden.pk not in answers["Marc"]
    monkeypatch.setattr(names, "SELECTIVE_NAME", 0)
    assert {name: found(name) for name in answers} == answers


def test_a_name_borne_in_more_situations_than_counted_asks_for_a_more_precise_name(net, target, monkeypatch):
    """The name search counts up to NAME_COUNT_CAP situations (issue 16): beyond, « plus de … » and a hint
    to give the whole name; the audit entry says there were more."""
    from maillage.situations.views import listing

    report_situation(
        net["gendarme"], persons=[{"role": "victim", "first_name": "Marc", "last_name": "Le Goff"}]
    )
    monkeypatch.setattr(names, "NAME_COUNT_CAP", 1)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    html = search(net, "gendarme", "Marc")
    assert "Situations où figure une personne de ce nom (plus de 1)" in html
    assert "précisez le nom (prénom et nom de famille) pour retrouver la personne" in html
    entry = AuditEntry.objects.filter(action=AuditAction.SITUATION_NAME_SEARCHED).latest("sequence")
    assert entry.changes == {"results": 1, "more": True}
    # A name found in fewer situations than the cap gets its exact count and no hint.
    monkeypatch.setattr(names, "NAME_COUNT_CAP", 100)
    html = search(net, "gendarme", "Canarelli")
    assert "Situations où figure une personne de ce nom (1)" in html and "précisez le nom" not in html
