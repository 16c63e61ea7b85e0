"""new_id / new_ids / new_id_hexes: UUIDv7 layout, strictly increasing in a process, unique."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from pakn_desktop.domain import ids
from pakn_desktop.domain.ids import new_id, new_id_hexes


def _ms(value: uuid.UUID) -> int:
    return value.int >> 80


def test_version_variant_and_timestamp() -> None:
    before = time.time_ns() // 1_000_000
    value = new_id()
    after = time.time_ns() // 1_000_000
    assert value.version == 7
    assert value.variant == uuid.RFC_4122
    assert before <= _ms(value) <= after


def test_hexes_are_the_stored_form_of_v7_ids() -> None:
    for text in new_id_hexes(500):
        assert len(text) == 32 and text == text.lower()
        value = uuid.UUID(hex=text)
        assert value.version == 7 and value.variant == uuid.RFC_4122
    assert new_id_hexes(0) == []


def test_strictly_increasing_across_both_functions() -> None:
    out: list[uuid.UUID] = []
    for _ in range(200):
        out.append(new_id())
        out += [uuid.UUID(hex=h) for h in new_id_hexes(50)]
    assert all(a < b for a, b in zip(out, out[1:], strict=False))
    assert str(out[0]) < str(out[-1])  # text order too (what SQLite compares)


def test_within_one_millisecond_and_when_the_clock_steps_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [time.time_ns() + 10**12]  # later than anything handed out so far
    monkeypatch.setattr(ids.time, "time_ns", lambda: clock[0])
    same_ms = [new_id() for _ in range(1000)]
    assert all(a < b for a, b in zip(same_ms, same_ms[1:], strict=False))
    assert {_ms(v) for v in same_ms} <= {clock[0] // 1_000_000, clock[0] // 1_000_000 + 1}
    clock[0] -= 5 * 10**9  # NTP steps the clock back five seconds
    later = [new_id() for _ in range(100)]
    assert all(a < b for a, b in zip([same_ms[-1], *later], later, strict=False))
    assert all(v.version == 7 and v.variant == uuid.RFC_4122 for v in later)


def test_unique_across_threads() -> None:
    found: list[list[uuid.UUID]] = [[] for _ in range(4)]

    def work(k: int) -> None:
        found[k] = [new_id() for _ in range(5000)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [v for chunk in found for v in chunk]
    assert len(set(every)) == len(every) == 20000
    assert all(chunk == sorted(chunk) for chunk in found)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next ids and leave at once
        os.close(read)
        os.write(write, "".join(new_id_hexes(100)).encode())
        os._exit(0)
    os.close(write)
    parent = set(new_id_hexes(100))
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.close(read)
    os.waitpid(pid, 0)
    child = {data[i : i + 32].decode() for i in range(0, len(data), 32)}
    assert len(child) == 100
    assert not parent & child


def test_new_ids_in_bulk_are_v7_and_go_on_increasing() -> None:
    first = new_id()
    bulk = ids.new_ids(300)
    last = new_id()
    assert len(bulk) == 300
    assert all(v.version == 7 and v.variant == uuid.RFC_4122 for v in bulk)
    assert [first, *bulk, last] == sorted({first, *bulk, last})  # strictly increasing
