"""Django admin for the technical administrator (staff only): to look things up. Territories and communes
change through a territory file (platform pages or `import_territory`), so here they are read-only."""

from django.contrib import admin
from django.db import models

from maillage.territories.models import Commune, Territory


class ReadOnlyAdminMixin:
    """Domain objects change through services only (checks, versions, audit): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Django 6 will assume https for bare addresses; say so now (and avoid its deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Territory)
class TerritoryAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "kind", "department_code", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "department_code")


@admin.register(Commune)
class CommuneAdmin(ReadOnlyModelAdmin):
    list_display = ("name", "postal_code", "population", "insee_code", "territory")
    list_filter = ("territory",)
    list_select_related = ("territory",)
    search_fields = ("name", "postal_code", "insee_code")
