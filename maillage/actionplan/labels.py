"""How the DPO's audit page finds and names the plan's objects (audit.dpo.labels): an action by its title,
an axis by « Axe N — title». The figures' entries are recorded on their action."""

from maillage.actionplan.models import Action, Axis


def find_actions(territory_id: int, text: str) -> list:
    return list(
        Action.objects.filter(territory_id=territory_id, title__iexact=text.strip()).values_list(
            "public_id", flat=True
        )
    )


def action_labels(territory_id: int, public_ids: set) -> dict:
    return {
        public_id: f"Action « {title} »"
        for public_id, title in Action.objects.filter(
            territory_id=territory_id, public_id__in=public_ids
        ).values_list("public_id", "title")
    }


def find_axes(territory_id: int, text: str) -> list:
    return list(
        Axis.objects.filter(territory_id=territory_id, title__iexact=text.strip()).values_list(
            "public_id", flat=True
        )
    )


def axis_labels(territory_id: int, public_ids: set) -> dict:
    return {
        axis.public_id: str(axis)
        for axis in Axis.objects.filter(territory_id=territory_id, public_id__in=public_ids)
    }
