"""The public side (no account): `/aide/`. Nothing nominative is reachable from here (import contract)."""

from django.urls import path

from maillage.network import public_views

app_name = "public_help"

urlpatterns = [
    path("", public_views.help_page, name="help"),
    path("<uuid:public_id>/", public_views.territory_help_page, name="territory"),
]
