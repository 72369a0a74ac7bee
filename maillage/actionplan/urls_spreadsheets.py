"""Mounted under /plan-d-action/tableur/ (config/urls.py): the action plan's downloads and its import."""

from django.urls import path

from maillage.actionplan import exports, imports

app_name = "actionplan_spreadsheets"

urlpatterns = [
    path("", exports.index, name="index"),
    path("exporter/actions/", exports.actions_export, name="actions_export"),
    path("importer/", imports.upload, name="import"),
    path("importer/<uuid:token>/", imports.preview, name="import_preview"),
    path("importer/<uuid:token>/resultat/", imports.result, name="import_result"),
]
