"""Vietnamese words for the domain's codes (statuses, urgency), and date/time display.

``domain/`` returns codes; the UI words them, through Qt's translation system.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from pakn_desktop.domain.enums import OPEN_STATUSES, Status, Urgency
from pakn_desktop.domain.labels import STATUS_WORDS, event_word
from pakn_desktop.domain.office_time import to_office


def _tr(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


_STATUS = STATUS_WORDS  # one mapping with the files written without Qt (the archive)

_URGENCY = {
    Urgency.NORMAL: "Thường",
    Urgency.URGENT: "Khẩn",
    Urgency.EMERGENCY: "Hỏa tốc",
}


def status_label(code: str) -> str:
    try:
        return _tr(_STATUS[Status(code)])
    except ValueError:
        return code


def event_label(kind: str) -> str:
    """A timeline event's kind in Vietnamese (domain.labels), through Qt's translation."""
    return _tr(event_word(kind))


def status_choices() -> list[tuple[str, str]]:
    """(code, label) for every status, in the order of the workflow."""
    return [(s.value, _tr(label)) for s, label in _STATUS.items()]


def urgency_label(code: str) -> str:
    try:
        return _tr(_URGENCY[Urgency(code)])
    except ValueError:
        return code


def is_open(status: str) -> bool:
    try:
        return Status(status) in OPEN_STATUSES
    except ValueError:
        return False


def local_datetime(value: datetime | None, *, short: bool = False) -> str:
    """Stored UTC shown on the office's clock (domain.office_time), Vietnamese order;
    ``short`` (table cells, where the queue's few months make the year noise) leaves it out."""
    if value is None:
        return ""
    return to_office(value).strftime("%d/%m %H:%M" if short else "%d/%m/%Y %H:%M")
