"""Django admin for the technical administrator (staff only): to look things up. Territories and communes
change through a territory file (platform pages or `import_territory`), so here they are read-only."""

from django.contrib import admin

from maillage.territories.models import Commune, Territory
from maillage.web.admin import ReadOnlyModelAdmin


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
