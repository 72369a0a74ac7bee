from django.urls import path

from maillage.stats import views_dashboard, views_report

app_name = "statistics"

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("exporter/", views_dashboard.export, name="export"),
    path("rapport/", views_report.annual_report, name="report"),
]
