from django.urls import path

from maillage.network import platform_views

app_name = "network_platform"

urlpatterns = [
    path("", platform_views.organisation_list, name="organisation_list"),
    path("nouvelle/", platform_views.organisation_create, name="organisation_create"),
    path("<uuid:public_id>/modifier/", platform_views.organisation_edit, name="organisation_edit"),
]
