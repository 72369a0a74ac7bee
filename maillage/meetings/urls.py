from django.urls import path

from maillage.meetings import views, views_group, views_minutes, views_running

app_name = "meetings"

MEETING = "reunions/<uuid:public_id>/"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("membres/", views_group.group, name="group"),
    path("membres/<uuid:membership_id>/retirer/", views_group.group_remove, name="group_remove"),
    path("charte/", views_group.charter, name="charter"),
    path("charte/publier/", views_group.charter_publish, name="charter_publish"),
    path("reunions/programmer/", views.meeting_create, name="create"),
    path(MEETING, views.meeting_detail, name="detail"),
    path(MEETING + "modifier/", views.meeting_edit, name="edit"),
    path(MEETING + "annuler/", views.meeting_cancel, name="cancel"),
    path(MEETING + "cellule-de-suivi.ics", views.meeting_calendar, name="calendar"),
    path(MEETING + "ordre-du-jour/", views_running.agenda, name="agenda"),
    path(
        MEETING + "ordre-du-jour/proposer/", views_running.agenda_act, {"action": "propose"}, name="propose"
    ),
    path(
        MEETING + "ordre-du-jour/<uuid:item_id>/retirer/",
        views_running.agenda_act,
        {"action": "remove"},
        name="item_remove",
    ),
    path(
        MEETING + "ordre-du-jour/<uuid:item_id>/monter/",
        views_running.agenda_act,
        {"action": "up"},
        name="item_up",
    ),
    path(
        MEETING + "ordre-du-jour/<uuid:item_id>/descendre/",
        views_running.agenda_act,
        {"action": "down"},
        name="item_down",
    ),
    path(MEETING + "ouvrir/", views_running.meeting_open, name="open"),
    path(MEETING + "clore/", views_running.meeting_close, name="close"),
    path(MEETING + "presences/", views_running.attendance, name="attendance"),
    path(MEETING + "points/<uuid:item_id>/", views_running.item, name="item"),
    path(MEETING + "compte-rendu/", views_minutes.minutes, name="minutes"),
    path(MEETING + "compte-rendu/preparer/", views_minutes.minutes_prepare, name="minutes_prepare"),
    path(MEETING + "compte-rendu/valider/", views_minutes.minutes_finalise, name="minutes_finalise"),
    path(MEETING + "compte-rendu.pdf", views_minutes.minutes_pdf, name="minutes_pdf"),
]
