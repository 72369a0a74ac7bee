from django.urls import path

from maillage.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("tout-lu/", views.notifications_read, name="read_all"),
    path("<uuid:public_id>/", views.notification_open, name="open"),
]
