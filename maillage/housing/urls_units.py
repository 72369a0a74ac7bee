"""Mounted under /hebergement/logements/ (config/urls.py): the units and their secret address."""

from django.urls import path

from maillage.housing import views_units as views

app_name = "housing_units"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("ajouter/", views.unit_add, name="add"),
    path("<uuid:public_id>/", views.unit_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.unit_edit, name="edit"),
    path("<uuid:public_id>/adresse/", views.unit_address, name="address"),
]
