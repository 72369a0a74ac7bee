from django.urls import path

from maillage.stats import views_dashboard, views_report, views_settings

app_name = "statistics"

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("exporter/", views_dashboard.export, name="export"),
    path("rapport/", views_report.annual_report, name="report"),
    path("seuil/", views_settings.threshold, name="threshold"),
    # Two addresses, not a format parameter: the CSV's view is a spreadsheet download (@spreadsheet_export).
    path("donnees-ouvertes.csv", views_dashboard.open_data_csv, name="open_data_csv"),
    path("donnees-ouvertes.json", views_dashboard.open_data_json, name="open_data_json"),
]
