from django.urls import path

from maillage.notifications import views as notification_views
from maillage.situations.views import (
    coordination,
    detail,
    emergency,
    follow_up,
    listing,
    persons,
    report,
)

app_name = "situations"

urlpatterns = [
    path("", listing.situation_list, name="list"),
    path("signaler/", report.report, name="report"),
    path("signaler/confirmation/", report.report_done, name="report_done"),
    path("acces-urgence/", emergency.emergency_access, name="emergency_access"),
    path("acces-urgence/examen/", emergency.emergency_reviews, name="emergency_reviews"),
    path("acces-urgence/<uuid:access_id>/examen/", emergency.emergency_review, name="emergency_review"),
    # Alerts moved to /notifications/ (November 2026): links of e-mails already sent still lead to them.
    path("notifications/", notification_views.former_address, name="notifications"),
    path("notifications/<uuid:public_id>/", notification_views.former_address, name="notification_open"),
    path("<uuid:public_id>/", detail.situation_detail, name="detail"),
    path("<uuid:public_id>/modifier/", report.situation_edit, name="edit"),
    path("<uuid:public_id>/suivi/ajouter/", follow_up.timeline_add, name="timeline_add"),
    path("<uuid:public_id>/taches/ajouter/", follow_up.task_add, name="task_add"),
    path("<uuid:public_id>/taches/<uuid:task_id>/terminer/", follow_up.task_done, name="task_done"),
    path("<uuid:public_id>/personnes/ajouter/", persons.person_add, name="person_add"),
    path("<uuid:public_id>/personnes/<uuid:person_id>/", persons.person_edit, name="person_edit"),
    path("<uuid:public_id>/consentement/", persons.consent_edit, name="consent"),
    path("<uuid:public_id>/consultations/", detail.accesses, name="accesses"),
    path("<uuid:public_id>/coordination/", coordination.coordination, name="coordination"),
    path(
        "<uuid:public_id>/coordination/organisations/",
        coordination.coordination,
        {"action": "participant"},
        name="participant_add",
    ),
    path(
        "<uuid:public_id>/coordination/organisations/<uuid:organisation_id>/retirer/",
        coordination.participant_remove,
        name="participant_remove",
    ),
    path(
        "<uuid:public_id>/coordination/referent/",
        coordination.coordination,
        {"action": "referent"},
        name="referent_assign",
    ),
    path(
        "<uuid:public_id>/coordination/restriction/",
        coordination.coordination,
        {"action": "restrict"},
        name="restrict",
    ),
    path("<uuid:public_id>/coordination/restriction/lever/", coordination.unrestrict, name="unrestrict"),
    path(
        "<uuid:public_id>/coordination/ecarter/",
        coordination.coordination,
        {"action": "exclusion"},
        name="exclusion_add",
    ),
    path(
        "<uuid:public_id>/coordination/ecarter/<uuid:user_id>/retirer/",
        coordination.exclusion_remove,
        name="exclusion_remove",
    ),
    path(
        "<uuid:public_id>/coordination/cloturer/",
        coordination.coordination,
        {"action": "close"},
        name="close",
    ),
    path("<uuid:public_id>/coordination/rouvrir/", coordination.reopen, name="reopen"),
]
