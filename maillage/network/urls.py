from django.urls import path

from maillage.network import views

app_name = "network"

urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path("membres/", views.members, name="members"),
    path("referents/", views.referents, name="referents"),
]
