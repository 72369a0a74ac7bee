"""Mounted under /prevention/ (config/urls.py): the prevention and communication events."""

from django.urls import path

from maillage.prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("ajouter/", views.event_add, name="add"),
    path("<uuid:public_id>/", views.event_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.event_edit, name="edit"),
    path("<uuid:public_id>/supprimer/", views.event_delete, name="delete"),
]
