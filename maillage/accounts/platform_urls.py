from django.urls import path

from maillage.accounts import platform_views

app_name = "accounts_platform"

urlpatterns = [
    path("", platform_views.user_list, name="user_list"),
]
