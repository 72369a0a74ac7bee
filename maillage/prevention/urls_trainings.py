"""Mounted under /formations/ (config/urls.py): the trainings of professionals and their attendance."""

from django.urls import path

from maillage.prevention import views_trainings as views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("ajouter/", views.training_add, name="add"),
    path("<uuid:public_id>/", views.training_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.training_edit, name="edit"),
    path("<uuid:public_id>/supprimer/", views.training_delete, name="delete"),
]
