from django.urls import path

from maillage.network import platform_views

app_name = "network_platform"

urlpatterns = [
    path("", platform_views.organisation_list, name="organisation_list"),
]
