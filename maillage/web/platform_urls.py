"""Pages of the technical administrator (DOMAIN.md §2 `platform_admin`): territories, organisations, accounts.
They never show nominative data of situations."""

from django.urls import include, path

from maillage.web import views

urlpatterns = [
    path("", views.platform_home, name="platform_home"),
    path("territoires/", include("maillage.territories.urls")),
    path("organisations/", include("maillage.network.platform_urls")),
    path("comptes/", include("maillage.network.platform_account_urls")),
]
