"""How the DPO's audit page finds and names the meetings app's objects (audit.dpo.labels): a meeting by its
day (« Cellule de suivi du 12/03/2026 », typed as 12/03/2026), a charter by its version."""

import datetime

from django.utils import timezone

from maillage.meetings.models import Charter, Meeting


def find_meetings(territory_id: int, text: str) -> list:
    try:
        day_text, month, year = text.strip().removeprefix("Cellule de suivi du ").strip().split("/")
        day = datetime.date(int(year), int(month), int(day_text))
    except ValueError:
        return []
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())
    return list(
        Meeting.objects.filter(
            territory_id=territory_id, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        ).values_list("public_id", flat=True)
    )


def meeting_labels(territory_id: int, public_ids: set) -> dict:
    return {
        meeting.public_id: str(meeting)
        for meeting in Meeting.objects.filter(territory_id=territory_id, public_id__in=public_ids)
    }


def find_charters(territory_id: int, text: str) -> list:
    """A charter is not looked up by name: its entries are found through the meetings' page."""
    return []


def charter_labels(territory_id: int, public_ids: set) -> dict:
    return {
        public_id: f"Charte de confidentialité, version {version}"
        for public_id, version in Charter.objects.filter(
            territory_id=territory_id, public_id__in=public_ids
        ).values_list("public_id", "version")
    }
