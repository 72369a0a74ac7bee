from django.urls import path

from maillage.audit.dpo import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="trail"),
    path("verifier/", views.verify, name="verify"),
]
