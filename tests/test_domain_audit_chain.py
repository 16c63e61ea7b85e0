"""The timeline hash chain: any edit, removal, insertion or reordering shows."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pakn_desktop.domain.audit_chain import (
    GENESIS_HASH,
    canonical_event_json,
    event_hash,
    verify_chain,
)

TICKET = "0190f0a2-0000-7000-8000-000000000001"
STATION = "0190f0a2-0000-7000-8000-0000000000aa"


def _chain(n: int = 4) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        event: dict[str, Any] = {
            "id": f"0190f0a2-0000-7000-8000-{seq:012d}",
            "ticket_id": TICKET,
            "seq": seq,
            "at": f"2026-11-24T0{seq}:30:00+00:00",
            "kind": "created" if seq == 1 else "status_changed",
            "actor_id": None,
            "station_id": STATION,
            "data": {"note": f"Ghi chú số {seq}", "n": seq},
        }
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(prev, event)
        events.append(event)
    return events


def test_genesis_is_64_zeros() -> None:
    assert GENESIS_HASH == "0" * 64


def test_canonical_json_sorted_compact_unicode_without_the_hashes() -> None:
    event = {"b": 1, "a": {"z": "Đ", "y": None}, "prev_hash": "x", "hash": "y"}
    assert canonical_event_json(event) == '{"a":{"y":null,"z":"Đ"},"b":1}'


def test_hash_is_sha256_of_prev_and_canonical_json() -> None:
    event = _chain(1)[0]
    body = json.dumps(
        {k: v for k, v in event.items() if k not in ("prev_hash", "hash")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert event["hash"] == hashlib.sha256((GENESIS_HASH + body).encode()).hexdigest()


def test_a_whole_chain_verifies() -> None:
    assert verify_chain(_chain()) is None
    assert verify_chain([]) is None


FIELDS = ["id", "ticket_id", "seq", "at", "kind", "actor_id", "station_id", "data"]


@pytest.mark.parametrize("index", range(4))
@pytest.mark.parametrize("field", [*FIELDS, "prev_hash", "hash"])
def test_tampering_any_field_of_any_event_is_found_there(index: int, field: str) -> None:
    events = _chain()
    value = events[index][field]
    if isinstance(value, dict):
        events[index][field] = {**value, "note": value["note"] + "."}
    elif isinstance(value, int):
        events[index][field] = value + 10
    elif value is None:
        events[index][field] = STATION
    else:
        events[index][field] = value[:-1] + ("0" if value[-1] != "0" else "1")
    assert verify_chain(events) == index


@pytest.mark.parametrize("i, j", [(0, 1), (1, 2), (0, 3), (2, 3)])
def test_swapping_two_events_is_found(i: int, j: int) -> None:
    events = _chain()
    events[i], events[j] = events[j], events[i]
    assert verify_chain(events) == i


def test_reordering_with_renumbered_seq_is_still_found() -> None:
    events = _chain()
    events[1], events[2] = events[2], events[1]
    events[1]["seq"], events[2]["seq"] = 2, 3
    assert verify_chain(events) == 1


def test_removed_or_inserted_events_are_found() -> None:
    events = _chain()
    assert verify_chain(events[:1] + events[2:]) == 1
    assert verify_chain(events[1:]) == 0
    extra = copy.deepcopy(events[1])
    assert verify_chain(events[:2] + [extra] + events[2:]) == 2


def test_a_chain_cut_short_needs_the_last_hash() -> None:
    events = _chain()
    assert verify_chain(events[:3]) is None  # undetectable from the events alone
    assert verify_chain(events[:3], last_hash=events[3]["hash"]) == 3
    assert verify_chain(events, last_hash=events[3]["hash"]) is None


def test_a_recomputed_hash_does_not_hide_an_edit_from_the_next_event() -> None:
    events = _chain()
    events[1]["data"] = {"note": "sửa lén", "n": 2}
    events[1]["hash"] = event_hash(events[1]["prev_hash"], events[1])
    assert verify_chain(events) == 2


@given(
    n=st.integers(min_value=1, max_value=6),
    data=st.data(),
)
def test_property_any_changed_payload_value_breaks_the_chain(n: int, data: st.DataObject) -> None:
    events = _chain(n)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    note = data.draw(st.text(max_size=20))
    original = events[index]["data"]["note"]
    events[index]["data"] = {**events[index]["data"], "note": note}
    expected = None if note == original else index
    assert verify_chain(events) == expected


def test_a_rehashed_chain_with_a_gap_in_seq_is_found() -> None:
    # Someone removed event 2 and recomputed every hash after it: the numbering still shows.
    events = _chain()
    del events[1]
    prev = events[0]["hash"]
    for event in events[1:]:
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(prev, event)
    assert verify_chain(events) == 1


def test_canonical_json_is_json_dumps_text() -> None:
    """The encoder made once writes exactly what ``json.dumps`` with the chain's options
    writes (a hash over other text would break every stored chain)."""
    import json

    from pakn_desktop.domain.audit_chain import _OPTIONS, canonical_event_json

    events: list[dict[str, object]] = [
        {
            "seq": 1,
            "kind": "created",
            "at": "2026-12-07T03:00:00+00:00",
            "data": {"z": 1, "a": [1.5, None, True]},
        },
        {
            "b": "Đường “ngập” \\n\\t \u2028 ✓",
            "a": {"y": {"x": "é"}},
            "hash": "x",
            "prev_hash": "y",
        },
        {"n": 10**30, "f": -0.0, "e": 1e300, "empty": {}, "list": []},
    ]
    for event in events:
        body = {k: v for k, v in event.items() if k not in ("hash", "prev_hash")}
        assert canonical_event_json(event) == json.dumps(body, **_OPTIONS)
