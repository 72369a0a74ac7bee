from django.urls import path

from maillage.network import platform_account_views as platform_views

# The namespace keeps its name from when these pages lived in `accounts`: templates and links use it.
app_name = "accounts_platform"

urlpatterns = [
    path("", platform_views.user_list, name="user_list"),
    path("nouveau/", platform_views.user_create, name="user_create"),
    path("<uuid:public_id>/", platform_views.user_detail, name="user_detail"),
    path(
        "<uuid:public_id>/desactiver/",
        platform_views.user_set_active,
        {"active": False},
        name="user_deactivate",
    ),
    path(
        "<uuid:public_id>/reactiver/",
        platform_views.user_set_active,
        {"active": True},
        name="user_reactivate",
    ),
    path(
        "<uuid:public_id>/invitation/", platform_views.user_resend_invitation, name="user_resend_invitation"
    ),
    path("<uuid:public_id>/adhesions/ajouter/", platform_views.membership_add, name="membership_add"),
    path("adhesions/<uuid:public_id>/modifier/", platform_views.membership_edit, name="membership_edit"),
    path(
        "adhesions/<uuid:public_id>/desactiver/",
        platform_views.membership_set_active,
        {"active": False},
        name="membership_deactivate",
    ),
    path(
        "adhesions/<uuid:public_id>/reactiver/",
        platform_views.membership_set_active,
        {"active": True},
        name="membership_reactivate",
    ),
]
