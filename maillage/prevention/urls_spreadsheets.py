"""Mounted under /prevention/tableur/ (config/urls.py): the downloads of events and trainings, and the import
of events."""

from django.urls import path

from maillage.prevention import exports, imports

app_name = "prevention_spreadsheets"

urlpatterns = [
    path("", exports.index, name="index"),
    path("exporter/actions-de-prevention/", exports.events_export, name="events_export"),
    path("exporter/formations/", exports.trainings_export, name="trainings_export"),
    path("importer/", imports.upload, name="import"),
    path("importer/<uuid:token>/", imports.preview, name="import_preview"),
    path("importer/<uuid:token>/resultat/", imports.result, name="import_result"),
]
