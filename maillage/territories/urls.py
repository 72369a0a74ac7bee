from django.urls import path

from maillage.territories import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list, name="list"),
    path("importer/", views.territory_import_view, name="import"),
    path("<uuid:public_id>/", views.territory_detail, name="detail"),
]
