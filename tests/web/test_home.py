"""The member's home: API tokens live in the account menu, not among the work cards (issue 10, item 9);
the observer is told what the role is for (item 10)."""

import re
from html import unescape

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["coordinator", "referent", "professional", "org_admin", "housing_manager", "observer", "dpo"]


def main_and_menu(response) -> tuple[str, str]:
    html = unescape(response.content.decode())
    main = " ".join(re.search(r"<main.*?</main>", html, re.S).group(0).split())
    menu = re.search(r'<nav class="user-menu[^"]*".*?</nav>', html, re.S).group(0)
    return main, menu


@pytest.mark.parametrize("role", ROLES)
def test_api_tokens_are_in_the_account_menu_not_on_the_home_cards(member_client, role):
    client, _ = member_client(role)
    main, menu = main_and_menu(client.get("/", follow=True))
    assert f'href="{reverse("api_tokens:list")}"' in menu and "Jetons d'API" in menu
    assert reverse("api_tokens:list") not in main
    assert client.get(reverse("api_tokens:list")).status_code == 200


def test_the_observers_first_page_is_the_statistics_dashboard(member_client):
    client, _ = member_client("observer")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:dashboard")


def test_the_observer_is_told_what_the_role_is_for(member_client):
    client, _ = member_client("observer")
    main, _ = main_and_menu(client.get("/", follow=True))
    assert "À quoi sert le rôle d'observation" in main
    assert "sans jamais voir une situation ni le nom d'une victime" in main
    assert "statistiques du territoire" in main
    assert f'href="{reverse("network:directory")}"' in main
    assert f'href="{reverse("statistics:dashboard")}"' in main


@pytest.mark.parametrize("role", [r for r in ROLES if r != "observer"])
def test_other_roles_do_not_get_the_observer_explanation(member_client, role):
    client, _ = member_client(role)
    main, _ = main_and_menu(client.get("/"))
    assert "rôle d'observation" not in main
