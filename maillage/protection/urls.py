"""Mounted under /situations/<public_id>/mesures/ (config/urls.py): the measures hang from their situation."""

from django.urls import path

from maillage.protection import views

app_name = "protection"

urlpatterns = [
    path("", views.measure_list, name="list"),
    path("ajouter/", views.measure_add, name="add"),
    path("<uuid:measure_id>/", views.measure_edit, name="edit"),
]
