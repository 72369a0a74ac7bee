from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "maillage.meetings"
    label = "meetings"
    verbose_name = "Cellule de suivi"

    def ready(self):
        from maillage.audit.dpo import labels as dpo_labels
        from maillage.meetings import labels

        dpo_labels.register_object_type(
            "meetings.meeting", find=labels.find_meetings, labels=labels.meeting_labels
        )
        dpo_labels.register_object_type(
            "meetings.charter", find=labels.find_charters, labels=labels.charter_labels
        )
