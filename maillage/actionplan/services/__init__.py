"""Writes on the action plan, by activity: `plan` (axes, actions, the status machine, progress updates) and
`figures` (indicators, budget lines, contributions)."""

from maillage.actionplan.services.figures import (
    budget_line_create,
    budget_line_remove,
    budget_line_update,
    contribution_create,
    contribution_remove,
    contribution_update,
    indicator_create,
    indicator_remove,
    indicator_update,
)
from maillage.actionplan.services.plan import (
    COORDINATION_ONLY,
    TRANSITIONS,
    AlreadyRecorded,
    action_create,
    action_update,
    axes_create_default,
    axis_create,
    axis_remove,
    axis_update,
    progress_record,
    statuses_open_to,
)

__all__ = [
    "COORDINATION_ONLY",
    "TRANSITIONS",
    "AlreadyRecorded",
    "action_create",
    "action_update",
    "axes_create_default",
    "axis_create",
    "axis_remove",
    "axis_update",
    "budget_line_create",
    "budget_line_remove",
    "budget_line_update",
    "contribution_create",
    "contribution_remove",
    "contribution_update",
    "indicator_create",
    "indicator_remove",
    "indicator_update",
    "progress_record",
    "statuses_open_to",
]
