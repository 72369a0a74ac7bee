"""What each app tells the notifications app: the kinds of alert it raises, and how to describe a target to a
reader. Apps register in their AppConfig.ready(); the notifications app imports no feature app.

A describer answers, in one query for a whole page of alerts, which targets this reader may still open and
what to show of them: `describe(actor, target_ids) -> {target_id: Described(label, url)}`. A target left out
is shown without label or link ("no longer accessible")."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Described:
    label: str  # e.g. a pseudonym, never an identity
    url: str
    # Danger immédiat, as the reader sees it through the target's policy (shown beside the alert).
    urgent: bool = False


@dataclass(frozen=True)
class Kind:
    value: str
    label: str


Describer = Callable[[object, Iterable[UUID]], dict[UUID, Described]]

_kinds: dict[str, Kind] = {}
_describers: dict[str, Describer] = {}
_gone: dict[str, str] = {}


def register_kinds(choices) -> None:
    """Registers a TextChoices of alert kinds (value → French label)."""
    for value, label in choices.choices:
        _kinds[value] = Kind(value, label)


def register_target(target_type: str, describe: Describer, *, gone: str) -> None:
    """`target_type` is the model's `_meta.label_lower`, e.g. "situations.situation"; `gone` is what the
    list says of a target the reader can no longer open (it names nothing)."""
    _describers[target_type] = describe
    _gone[target_type] = gone


def gone(target_type: str) -> str:
    return _gone.get(target_type, "Plus accessible pour vous")


def kind(value: str) -> Kind:
    if value not in _kinds:
        raise ValueError(
            f"Unknown alert kind {value!r}: register it (notifications.registry.register_kinds)."
        )
    return _kinds[value]


def kinds() -> list[Kind]:
    """Every registered kind, in the order apps registered them (the notifications page's filter)."""
    return list(_kinds.values())


def label(value: str) -> str:
    return _kinds[value].label if value in _kinds else value


def describer(target_type: str) -> Describer:
    if target_type not in _describers:
        raise ValueError(f"No describer for {target_type!r}: register it (notifications.registry).")
    return _describers[target_type]
