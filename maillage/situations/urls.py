from django.urls import path

from maillage.notifications import views as notification_views
from maillage.situations import views

app_name = "situations"

urlpatterns = [
    path("", views.situation_list, name="list"),
    path("signaler/", views.report, name="report"),
    path("signaler/confirmation/", views.report_done, name="report_done"),
    path("acces-urgence/", views.emergency_access, name="emergency_access"),
    path("acces-urgence/examen/", views.emergency_reviews, name="emergency_reviews"),
    path("acces-urgence/<uuid:access_id>/examen/", views.emergency_review, name="emergency_review"),
    # Alerts moved to /notifications/ (November 2026): links of e-mails already sent still lead to them.
    path("notifications/", notification_views.former_address, name="notifications"),
    path("notifications/<uuid:public_id>/", notification_views.former_address, name="notification_open"),
    path("<uuid:public_id>/", views.situation_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.situation_edit, name="edit"),
    path("<uuid:public_id>/suivi/ajouter/", views.timeline_add, name="timeline_add"),
    path("<uuid:public_id>/taches/ajouter/", views.task_add, name="task_add"),
    path("<uuid:public_id>/taches/<uuid:task_id>/terminer/", views.task_done, name="task_done"),
    path("<uuid:public_id>/personnes/ajouter/", views.person_add, name="person_add"),
    path("<uuid:public_id>/personnes/<uuid:person_id>/", views.person_edit, name="person_edit"),
    path("<uuid:public_id>/consentement/", views.consent_edit, name="consent"),
    path("<uuid:public_id>/consultations/", views.accesses, name="accesses"),
    path("<uuid:public_id>/coordination/", views.coordination, name="coordination"),
    path(
        "<uuid:public_id>/coordination/organisations/",
        views.coordination,
        {"action": "participant"},
        name="participant_add",
    ),
    path(
        "<uuid:public_id>/coordination/organisations/<uuid:organisation_id>/retirer/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "<uuid:public_id>/coordination/referent/",
        views.coordination,
        {"action": "referent"},
        name="referent_assign",
    ),
    path(
        "<uuid:public_id>/coordination/restriction/",
        views.coordination,
        {"action": "restrict"},
        name="restrict",
    ),
    path("<uuid:public_id>/coordination/restriction/lever/", views.unrestrict, name="unrestrict"),
    path(
        "<uuid:public_id>/coordination/ecarter/",
        views.coordination,
        {"action": "exclusion"},
        name="exclusion_add",
    ),
    path(
        "<uuid:public_id>/coordination/ecarter/<uuid:user_id>/retirer/",
        views.exclusion_remove,
        name="exclusion_remove",
    ),
    path("<uuid:public_id>/coordination/cloturer/", views.coordination, {"action": "close"}, name="close"),
    path("<uuid:public_id>/coordination/rouvrir/", views.reopen, name="reopen"),
]
