"""The « Jetons d'API » pages, mounted at /compte/jetons/ (config/urls.py)."""

from django.urls import path

from maillage.api import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.api_tokens, name="list"),
    path("<uuid:public_id>/revoquer/", token_views.api_token_revoke, name="revoke"),
]
