from django.urls import path

from maillage.accounts import token_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("adhesion/", views.switch_membership, name="switch_membership"),
    path("jetons/", token_views.api_tokens, name="api_tokens"),
    path("jetons/<uuid:public_id>/revoquer/", token_views.api_token_revoke, name="api_token_revoke"),
]
