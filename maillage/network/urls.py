from django.urls import path

from maillage.network import role_change_views, views

app_name = "network"

urlpatterns = [
    path("annuaire/", views.directory, name="directory"),
    path(
        "organisations/<uuid:public_id>/coordonnees/",
        views.organisation_contact_edit,
        name="organisation_contact",
    ),
    path("membres/", views.members, name="members"),
    path("membres/inviter/", views.member_invite, name="member_invite"),
    path("membres/<uuid:public_id>/", views.member_edit, name="member_edit"),
    path(
        "membres/<uuid:public_id>/desactiver/",
        views.member_set_active,
        {"active": False},
        name="member_deactivate",
    ),
    path(
        "membres/<uuid:public_id>/reactiver/",
        views.member_set_active,
        {"active": True},
        name="member_reactivate",
    ),
    path("droits/", role_change_views.role_change_list, name="role_changes"),
    path(
        "droits/<uuid:public_id>/approuver/",
        role_change_views.role_change_approve,
        name="role_change_approve",
    ),
    path("droits/<uuid:public_id>/refuser/", role_change_views.role_change_refuse, name="role_change_refuse"),
    path("referents/", views.referents, name="referents"),
    path("referents/<uuid:public_id>/retirer/", views.referent_revoke, name="referent_revoke"),
]
