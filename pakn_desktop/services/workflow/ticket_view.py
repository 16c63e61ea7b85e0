"""A report as a client outside the window sees it (``pakn-desktop ticket``): found by its
case code as typed, its units by code or name, its detail with a protected reporter's
identity withheld, and its state in a stable JSON shape.

The detail is the queue's (``QueueService.ticket_detail``, what the detail pane shows). A
protected report (a denunciation, or a reporter who asked for confidentiality) loses its
reporter block and has every text masked as the search masks a summary
(``domain.publication.mask_personal``): a command's output lands in scripts' logs, and the
command line cannot prove that its reader has a role allowed to see who denounced whom.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pakn_desktop.data.workflow_store import ServiceRefusal
from pakn_desktop.domain.case_code import typed_case_code
from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.labels import event_word, status_word
from pakn_desktop.domain.publication import Identity, mask_personal
from pakn_desktop.domain.text import fold
from pakn_desktop.domain.workflow import Role, WorkflowRefused, actions_for

if TYPE_CHECKING:
    from pakn_desktop.data.queue_types import TicketDetail, TimelineEvent
    from pakn_desktop.services.database import Database
    from pakn_desktop.services.workflow.unit_choices import UnitChoice

TAIL = 5  # timeline events in an action's answer: the one it appended and what led to it


class LookupRefusal(StrEnum):
    UNIT_AMBIGUOUS = "unit_ambiguous"  # detail: the name as typed


def find_ticket(database: Database, typed: str) -> uuid.UUID:
    """The report with this id or case code, also typed as the search box takes it (any case,
    spaces for dashes, the sequence without its zeros); WorkflowRefused(not_found) if none."""
    from pakn_desktop.data import workflow_store as store

    canonical = typed_case_code(typed)
    with database.engine.connect() as conn:
        found = store.find_ticket(conn, typed)
        if found is None and canonical is not None:
            found = store.find_ticket(conn, canonical)
    if found is None:
        raise WorkflowRefused(ServiceRefusal.NOT_FOUND, typed.strip())
    return found


def find_unit(units: Sequence[UnitChoice], typed: str) -> uuid.UUID:
    """The active unit ``typed`` names: its code (any case), its whole name without accents,
    or words of its name and code as the forward dialog's type-ahead takes them when they fit
    one unit only. WorkflowRefused: unit_unknown, or unit_ambiguous (several fit)."""
    key = fold(typed)
    if not key:
        raise WorkflowRefused(ServiceRefusal.UNIT_UNKNOWN, typed)
    for rule in (
        lambda u: u.code.upper() == typed.strip().upper(),
        lambda u: fold(u.name) == key,
        lambda u: all(word in u.folded for word in key.split()),
    ):
        fits = [u for u in units if rule(u)]
        if len(fits) == 1:
            return fits[0].id
        if fits:
            raise WorkflowRefused(LookupRefusal.UNIT_AMBIGUOUS, typed.strip())
    raise WorkflowRefused(ServiceRefusal.UNIT_UNKNOWN, typed.strip())


def shown_detail(database: Database, ticket_id: uuid.UUID) -> TicketDetail:
    """The detail pane's report, a protected reporter withheld (see the module's text); the
    events of a protected report merged into it are masked of that report's reporter too,
    as its timeline is shown with this one's."""
    from pakn_desktop.data.ticket_detail import merged_into_tree, withheld_identities
    from pakn_desktop.services.queue import QueueService

    detail = QueueService(database).ticket_detail(ticket_id)
    with database.engine.connect() as conn:
        identities = withheld_identities(conn, ticket_id)
        merged = {
            code: found
            for merged_id, code in merged_into_tree(conn, ticket_id)
            if (found := withheld_identities(conn, merged_id)) is not None
        }
    if identities is not None:
        detail = withheld(detail, identities)
    if merged:
        events = tuple(
            replace(e, data=_masked(dict(e.data), merged[e.case])) if e.case in merged else e
            for e in detail.events
        )
        detail = replace(detail, events=events)
    return detail


def withheld(detail: TicketDetail, identities: Sequence[Identity]) -> TicketDetail:
    """``detail`` without its reporter, every text masked of ``identities``."""
    o = detail.outcome
    outcome = replace(
        o,
        result=_masked(o.result, identities),
        publication=_masked(o.publication, identities),
        handling_note=_masked(o.handling_note, identities),
        answer=_masked(o.answer, identities),
    )
    return replace(
        detail,
        reporter=None,
        summary=_masked(detail.summary, identities),
        content=_masked(detail.content, identities),
        address=_masked(detail.address, identities),
        outcome=outcome,
        events=tuple(replace(e, data=_masked(dict(e.data), identities)) for e in detail.events),
    )


def _masked(value: Any, identities: Sequence[Identity]) -> Any:
    """``value`` (a text, or JSON of texts) with every form of ``identities`` masked."""
    if isinstance(value, str):
        for identity in identities:
            value = mask_personal(value, identity)
        return value
    if isinstance(value, dict):
        return {k: _masked(v, identities) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(v, identities) for v in value]
    return value


def withholds(detail: TicketDetail) -> bool:
    """True when ``detail``'s reporter is withheld (the rule of ``withheld_identities``)."""
    return detail.identity_protected or detail.confidential


def allowed(detail: TicketDetail, role: Role | str) -> tuple[str, ...]:
    """The actions ``role`` may take on the report: the detail's buttons."""
    paused = detail.paused_at is not None
    found = actions_for(Status(detail.status), Role(role), paused, merged=detail.merged)
    return tuple(a.value for a in found)


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def event_json(event: TimelineEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "kind": event.kind,
        "label": event_word(event.kind),
        "actor": event.actor,
        "case": event.case or None,  # a report merged into this one: its case code
        "data": dict(event.data),
    }


def state_json(detail: TicketDetail, tail: int | None = TAIL) -> dict[str, Any]:
    """Where the report stands: status, version (pass it back for a stale check), unit,
    deadlines, the pause and the last ``tail`` timeline events (all of them for None)."""
    events = detail.events if tail is None else detail.events[-tail:]
    return {
        "id": str(detail.id),
        "code": detail.code,
        "status": detail.status,
        "status_label": status_word(detail.status),
        "version": detail.version,
        "unit": detail.unit or None,
        "forward_due_at": _time(detail.forward_due_at),
        "due_at": _time(detail.due_at),
        "closed_at": _time(detail.closed_at),
        "paused_at": _time(detail.paused_at),
        "duplicate_of": detail.duplicate_of[1] if detail.duplicate_of else None,
        "merged": detail.merged,
        "timeline": [event_json(e) for e in events],
    }


def detail_json(detail: TicketDetail, role: Role | str) -> dict[str, Any]:
    """``state_json`` with the whole timeline, and what the detail pane shows besides."""
    r, o = detail.reporter, detail.outcome
    return state_json(detail, None) | {
        "received_at": detail.received_at.isoformat(),
        "station": detail.station,
        "channel": detail.channel,
        "kind": detail.kind,
        "category": detail.category,
        "urgency": detail.urgency,
        "province": detail.province or None,
        "commune": detail.commune or None,
        "address": detail.address or None,
        "event_at": _time(detail.event_at),
        "summary": detail.summary,
        "content": detail.content,
        "confidential": detail.confidential,
        "no_publish": detail.no_publish,
        "identity_protected": detail.identity_protected,
        "identity_withheld": withholds(detail),
        "reporter": None
        if r is None or withholds(detail)
        else {"full_name": r.full_name, "phone": r.phone, "email": r.email, "address": r.address},
        "merged_from": list(detail.merged_from),
        "outcome": {
            "result": o.result or None,
            "result_at": _time(o.result_at),
            "publication": o.publication or None,
            "published_at": _time(o.published_at),
            "handling_note": o.handling_note or None,
            "answer": o.answer or None,
        },
        "deliveries": [
            {
                "channel": d.channel,
                "recipient": d.recipient,
                "unit": d.unit,
                "state": d.state,
                "attempts": d.attempts,
                "queued_at": _time(d.queued_at),
                "sent_at": _time(d.sent_at),
                "next_attempt_at": _time(d.next_attempt_at),
                "error": d.error or None,
            }
            for d in detail.deliveries
        ],
        "role": str(Role(role)),
        "actions": list(allowed(detail, role)),
    }
