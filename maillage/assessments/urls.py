from django.urls import path

from maillage.assessments import views

app_name = "assessments"

urlpatterns = [
    path("grilles/", views.grids, name="grids"),
    path("situations/<uuid:public_id>/", views.situation_assessments, name="situation"),
    path("situations/<uuid:public_id>/evaluer/", views.assess, name="assess"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
]
