"""Mounted under /hebergement/ (config/urls.py): availability, calendar and figures."""

from django.urls import path

from maillage.housing import views_calendar

app_name = "housing_calendar"

urlpatterns = [
    path("disponibilites/", views_calendar.availability, name="availability"),
    path("calendrier/", views_calendar.calendar, name="calendar"),
    path("chiffres/", views_calendar.housing_figures, name="figures"),
]
