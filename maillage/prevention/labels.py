"""How the DPO's page names prevention events and trainings in the audit trail (audit/dpo/labels.py): by
their title and date; found by their exact title."""

from maillage.prevention.models import PreventionEvent, Training


def _find(model, territory_id: int, text: str) -> list:
    return list(
        model.objects.filter(territory_id=territory_id, title__iexact=text.strip()).values_list(
            "public_id", flat=True
        )
    )


def _labels(model, what: str, territory_id: int, public_ids: set) -> dict:
    return {
        public_id: f"{what} « {title} » du {held_on:%d/%m/%Y}"
        for public_id, title, held_on in model.objects.filter(
            territory_id=territory_id, public_id__in=public_ids
        ).values_list("public_id", "title", "held_on")
    }


def find_events(territory_id: int, text: str) -> list:
    return _find(PreventionEvent, territory_id, text)


def event_labels(territory_id: int, public_ids: set) -> dict:
    return _labels(PreventionEvent, "Action de prévention", territory_id, public_ids)


def find_trainings(territory_id: int, text: str) -> list:
    return _find(Training, territory_id, text)


def training_labels(territory_id: int, public_ids: set) -> dict:
    return _labels(Training, "Formation", territory_id, public_ids)
