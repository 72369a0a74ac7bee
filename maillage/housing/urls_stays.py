from django.urls import path

from maillage.housing import stay_views as views

app_name = "housing_stays"

urlpatterns = [
    path("demandes/", views.request_list, name="requests"),
    path("situation/<uuid:public_id>/demander/", views.request_create, name="request_create"),
    path("demandes/<uuid:public_id>/", views.request_detail, name="request"),
    path(
        "demandes/<uuid:public_id>/liste-d-attente/",
        views.request_act,
        {"action": "waitlist"},
        name="waitlist",
    ),
    path("demandes/<uuid:public_id>/refuser/", views.request_act, {"action": "refuse"}, name="refuse"),
    path(
        "demandes/<uuid:public_id>/annuler/", views.request_act, {"action": "cancel"}, name="request_cancel"
    ),
    path("demandes/<uuid:public_id>/attribuer/", views.request_act, {"action": "allocate"}, name="allocate"),
    path("sejours/<uuid:public_id>/", views.stay_detail, name="stay"),
    path("sejours/<uuid:public_id>/arrivee/", views.stay_act, {"action": "check_in"}, name="check_in"),
    path("sejours/<uuid:public_id>/depart-prevu/", views.stay_act, {"action": "extend"}, name="extend"),
    path("sejours/<uuid:public_id>/depart/", views.stay_act, {"action": "check_out"}, name="check_out"),
    path("sejours/<uuid:public_id>/annuler/", views.stay_act, {"action": "cancel"}, name="stay_cancel"),
]
