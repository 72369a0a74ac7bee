from django.urls import path

from maillage.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("situation/<uuid:public_id>/orienter/", views.referral_create, name="create"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/accepter/", views.referral_act, {"action": "accept"}, name="accept"),
    path("<uuid:public_id>/refuser/", views.referral_act, {"action": "decline"}, name="decline"),
    path("<uuid:public_id>/realisee/", views.referral_act, {"action": "done"}, name="done"),
    path("<uuid:public_id>/annuler/", views.referral_act, {"action": "cancel"}, name="cancel"),
]
