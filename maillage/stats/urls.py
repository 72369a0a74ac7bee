from django.urls import path

from maillage.stats import views

app_name = "recognition"

urlpatterns = [
    path("", views.network, name="network"),
    path("exporter/", views.export, name="export"),
    path("<uuid:public_id>/", views.organisation, name="organisation"),
]
