from django.urls import path

from maillage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("adhesion/", views.switch_membership, name="switch_membership"),
]
