"""Statuses and timeline events are Vietnamese words everywhere: one mapping
(domain.labels) for the screens and the archive's record, never an identifier."""

from __future__ import annotations

import re

from pakn_desktop.domain.enums import Status
from pakn_desktop.domain.labels import EVENT_WORDS, STATUS_WORDS, event_word, status_word
from pakn_desktop.domain.workflow import Action
from pakn_desktop.services.alerts import ESCALATED
from pakn_desktop.services.archive_html import render_record

_IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b|\b(forwarded|forward|escalated|closed)\b")


def test_every_status_and_event_kind_has_a_word() -> None:
    assert set(STATUS_WORDS) == set(Status)
    kinds = {a.value for a in Action} | {ESCALATED, "created", "status_changed", "merged_from"}
    assert kinds <= set(EVENT_WORDS)
    assert event_word("something_new") == "Sự kiện khác"


def test_archive_record_words_status_and_events() -> None:
    events = [
        {"seq": n, "at": "2026-12-07T03:00:00+00:00", "kind": kind, "data": {}, "hash": "ab"}
        for n, kind in enumerate(("created", "forward", "start", ESCALATED, "evidence_viewed"))
    ]
    report = {
        "code": "PA-261207-HN01-0001",
        "received_at": "2026-12-07",
        "channel": "Đường dây nóng",
        "kind": "Phản ánh",
        "category": "Giao thông",
        "status": "in_progress",
        "address": "",
        "event_at": "",
        "summary": "Ổ gà",
        "content": "Ổ gà lớn",
        "evidence": [],
        "events": events,
    }
    html = render_record({"generated_at": "2026-12-07", "reports": [report]})
    assert status_word("in_progress") == "Đang xử lý" and "Đang xử lý" in html
    for word in ("Chuyển xử lý", "Bắt đầu xử lý", "Báo cáo cấp trên do quá hạn"):
        assert word in html
    body = html.split("<body>", 1)[1].replace('class="hash"', "").replace('class="content"', "")
    assert not _IDENTIFIER.search(re.sub(r"<[^>]+>", " ", body))
