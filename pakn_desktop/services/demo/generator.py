"""Demo report rows: one report at a time, with its reporter, timeline, assignment and units."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterator
from datetime import date
from hashlib import sha256

from sqlalchemy import Connection

from pakn_desktop.data.demo_rows import Chunk
from pakn_desktop.domain.audit_chain import GENESIS_HASH, event_hash
from pakn_desktop.domain.case_code import CaseCode
from pakn_desktop.domain.enums import OPEN_STATUSES, ChannelCode, Kind, Status
from pakn_desktop.domain.search_text import CONTENT_HEAD, phone_search_digits
from pakn_desktop.domain.text import fold

from .clock import DAY, HOUR, LOCAL_OFFSET_US, MIN, US, iso, local_day, uuid7
from .people import People
from .places import Places, Units
from .sla import DemoDeadlines, Rule
from .texts import TextMaker
from .weights import (
    ACCEPTED,
    CATEGORIES,
    CHANNELS,
    CLOSING_STEPS,
    DAY_OFF,
    HOURS,
    KINDS,
    OWN_PROCEDURE_CATEGORIES,
    STATUS_BY_AGE,
    URGENCIES,
    VERSION,
    WEEKDAYS,
    WITH_UNIT,
    Choice,
    cumulative,
)

HISTORY_DAYS = 90
RECENT_CALLS = 5  # today's reports received 49–58 minutes before "now" (see times())
# A few reports with the unit wait for the citizen (the "pause" action), clock stopped.
PAUSED_SHARE = 0.5  # of those not yet due: most open demo reports are overdue
_PAUSABLE = frozenset({Status.FORWARDED, Status.ACCEPTED, Status.IN_PROGRESS})
PAUSE_REASONS = (
    "Chờ người dân gửi ảnh hiện trường",
    "Chờ người dân bổ sung địa chỉ cụ thể",
    "Đã hẹn người dân cung cấp giấy tờ liên quan",
)
_S = Status
# Minutes after acceptance a report reaches each of these statuses (at most).
_AFTER_ACCEPTED = {_S.ACCEPTED: 0, _S.IN_PROGRESS: 30, _S.RETURNED: 60, _S.NOT_COMPETENT: 90}


class Generator:
    """Rows for demo reports received over the ``HISTORY_DAYS`` days before ``now_us``.

    Every draw comes from ``rng``, in a fixed order: the same seed gives the same rows.
    """

    def __init__(
        self,
        conn: Connection,
        rng: random.Random,
        now_us: int,
        station_id: str,
        station_code: str,
    ) -> None:
        self.rng = rng
        self.r = rng.random
        self.now = now_us
        self.station_id = station_id
        self.station_code = station_code
        self.channels = Choice.of(CHANNELS)
        self.kinds = Choice.of(KINDS)
        self.categories = Choice.of(CATEGORIES)
        self.own_categories = Choice.of(OWN_PROCEDURE_CATEGORIES)
        self.urgencies = Choice.of(URGENCIES)
        self.hours = cumulative(HOURS)
        self.status_by_age = [(limit, Choice.of(w)) for limit, w in STATUS_BY_AGE]
        local_now = now_us + LOCAL_OFFSET_US
        self.today_start = local_now - local_now % DAY - LOCAL_OFFSET_US
        self.window_start = self.today_start - (HISTORY_DAYS - 1) * DAY
        self.places = Places(conn, rng)
        self.deadlines = DemoDeadlines(conn)
        self.people = People(rng)
        self.units = Units(conn, rng, self.people, self.places, station_code, self.window_start)
        self.texts = TextMaker(rng)
        self.last_by_category: dict[str, str] = {}
        self.index = 0
        # Coverage: the first reports of a run take every status, channel and kind once.
        self.forced_status = list(Status)
        self.forced_channel = [c for c in ChannelCode if c is not ChannelCode.OTHER]
        self.forced_kind = list(Kind)
        for forced in (self.forced_status, self.forced_channel, self.forced_kind):
            rng.shuffle(forced)

    # -- the calendar of the run ------------------------------------------------------------

    def days(self, total: int) -> list[tuple[int, int, int]]:
        """(start, end, count) per local day of the window, oldest first; counts sum to total."""
        starts = [self.window_start + k * DAY for k in range(HISTORY_DAYS)]
        weights = []
        for start in starts:
            day = local_day(start)
            weights.append(DAY_OFF if self.deadlines.is_day_off(day) else WEEKDAYS[day.weekday()])
        weights[-1] *= (self.now - self.today_start) / DAY
        scale = total / sum(weights)
        exact = [w * scale for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(len(exact)), key=lambda k: counts[k] - exact[k])
        for k in order[: total - sum(counts)]:
            counts[k] += 1
        return [(s, min(s + DAY, self.now), c) for s, c in zip(starts, counts, strict=True)]

    def times(self, start: int, end: int, count: int) -> list[int]:
        r = self.r
        out = []
        hours = self.hours
        if end == self.now:
            # Today: a few calls from 49–58 minutes ago, so the demo opens with reports about
            # to break the hotline's 60-minute rule ("sắp quá hạn" in the queue, the chart and
            # the alerts), as a live console has; spread by chance they were rarely there.
            recent = min(count, RECENT_CALLS)
            low = max(start, self.now - 58 * MIN)
            high = max(low, self.now - 49 * MIN)
            out += [low + int(r() * (high - low)) for _ in range(recent)]
            count -= recent
        for _ in range(count):
            t = start + bisect(hours, r()) * HOUR + int(r() * HOUR)
            if t >= end:  # today, after "now": anywhere in the part of the day that has passed
                t = start + int(r() * (end - start))
            out.append(t)
        out.sort()
        return out

    def chunks(
        self, plan: list[tuple[int, int, int]], counters: dict[date, int], size: int
    ) -> Iterator[Chunk]:
        """The reports of ``plan`` in chunks of ``size``; ``counters`` (last case number per
        local day) moves on as codes are handed out."""
        chunk = Chunk()
        for start, end, count in plan:
            day = local_day(start)
            for received in self.times(start, end, count):
                seq = counters.get(day, 0) + 1
                counters[day] = seq
                chunk.days[day] = seq
                self.ticket(chunk, received, str(CaseCode(day, self.station_code, seq)))
                if len(chunk.tickets) >= size:
                    chunk.unit_contacts = self.units.take_contacts()
                    yield chunk
                    chunk = Chunk()
        if chunk.tickets:
            chunk.unit_contacts = self.units.take_contacts()
            yield chunk

    # -- one report -------------------------------------------------------------------------

    def status(self, age_hours: float) -> Status:
        if self.index < len(self.forced_status):
            return self.forced_status[self.index]
        r = self.r()
        for limit, choice in self.status_by_age:
            if age_hours < limit:
                return choice.pick(r)  # type: ignore[no-any-return]
        raise AssertionError("unreachable")

    def _timeline(
        self, received: int, created: int, due: int, status: Status
    ) -> tuple[int, int, int]:
        """(time of the last step, forwarded at, accepted at) on the way to ``status``; each
        step follows the one before and none is later than "now"."""
        r, now = self.r, self.now
        if status is _S.NEW:
            return created, 0, 0
        # Screened and forwarded mostly within the 5 minutes of the 1022 rule (about two in
        # three), with a long tail of late ones: a manager's demo shows both.
        screened = min(created + int(r() * MIN), now)
        if status in (_S.SCREENING, _S.DUPLICATE, _S.REJECTED):
            return screened, 0, 0
        forwarded = min(screened + int((0.3 + r() ** 4 * 14) * MIN), now)
        if status is _S.FORWARDED:
            return forwarded, forwarded, 0
        accepted = min(forwarded + int((2 + r() * 13) * MIN), now)
        if status in _AFTER_ACCEPTED:
            step = int(r() * _AFTER_ACCEPTED[status] * MIN)
            return min(accepted + step, now), forwarded, accepted
        result = max(min(received + int((due - received) * (0.3 + r() * 0.95)), now), accepted)
        last = result
        for closing, (low, spread) in CLOSING_STEPS:
            if last == now or status is closing:
                break
            last = min(last + int((low + r() * spread) * MIN), now)
        return last, forwarded, accepted

    def _forward_watch(
        self, received: int, rule: Rule | None, status: Status, forwarded: int
    ) -> dict[str, object]:
        """The forward deadline's columns as a save and the workflow set them: watched while
        waiting to be forwarded (data.forward_watch), stamped at the first forward."""
        due = received + rule.forward_us if rule else 0
        waiting = rule is not None and status in (_S.NEW, _S.SCREENING)
        share = self.deadlines.settings.at_risk_share
        risk = received - (-(due - received) * share // 1)  # ceil, as domain.sla.at_risk_at
        return {
            "forward_at_risk_at": iso(int(risk)) if waiting else None,
            "forwarded_at": iso(forwarded) if forwarded else None,
            "forward_on_time": (forwarded <= due) if forwarded and rule else None,
        }

    def ticket(self, chunk: Chunk, received: int, code: str) -> None:
        r = self.r
        i = self.index
        channel = str(
            self.forced_channel[i] if i < len(self.forced_channel) else self.channels.pick(r())
        )
        kind = str(self.forced_kind[i] if i < len(self.forced_kind) else self.kinds.pick(r()))
        own = kind in ("khieu_nai", "to_cao")
        category = self.own_categories.pick(r()) if own else self.categories.pick(r())
        urgency = self.urgencies.pick(r())
        place = self.places.pick()
        identity_protected = kind == "to_cao"
        confidential = identity_protected or r() < 0.05
        text = self.texts.make(channel, category, kind, place, confidential)
        reporter = self.people.reporter(chunk.reporters, channel, place, received)

        rule = self.deadlines.rule(channel, category, kind, urgency)
        created = min(received + int((30 + r() * 210) * US), self.now)
        # Every seeded rule matches something (``mac_dinh`` matches all); without one a report
        # gets no deadline, as at intake — the timeline then assumes an hour.
        due, at_risk = self.deadlines.resolve(received, rule) if rule else (0, 0)
        status = self.status((self.now - received) / HOUR)
        last, forwarded, accepted = self._timeline(
            received, created, due or received + HOUR, status
        )
        unit_id = (
            self.units.handling(chunk.units, category, kind, place) if status in WITH_UNIT else None
        )
        duplicate_of = self.last_by_category.get(category) if status is _S.DUPLICATE else None

        tid = uuid7(self.rng, received)
        self.last_by_category[category] = tid
        event_at = iso(received - int(r() * 48 * HOUR)) if r() < 0.5 else None
        # domain.search_text.search_text of the stored fields, from the pre-folded pieces.
        search = [fold(code)]  # "PA-…" folds to words, as search_text folds it
        # A summary taken from the content's first line is not indexed twice (search_text).
        if text.summary.rstrip("…").rstrip() not in " ".join(text.content[:CONTENT_HEAD].split()):
            search.append(text.summary_folded)
        search.append(text.content_folded[:CONTENT_HEAD].rstrip())
        if not confidential:  # a protected reporter is not searchable (search_text)
            if reporter.name_folded:
                search.append(reporter.name_folded)
            search += phone_search_digits(reporter.phone_raw, reporter.phone)
        search.append(text.address_folded)
        created_iso = iso(created)
        last_iso = iso(last)
        chunk.tickets.append(
            {
                "id": tid,
                "code": code,
                "station_id": self.station_id,
                "received_at": iso(received),
                "channel_code": channel,
                "category_code": category,
                "kind": kind,
                "urgency": urgency,
                "province_code": place.province_code,
                "commune_code": place.code,
                "address": text.address,
                "event_at": event_at,
                "summary": text.summary,
                "content": text.content,
                "reporter_id": reporter.id,
                "confidential": confidential,
                "no_publish": confidential,
                "identity_protected": identity_protected,
                "status": str(status),
                "lead_unit_id": unit_id,
                "forward_due_at": iso(received + rule.forward_us) if rule else None,
                "due_at": iso(due) if rule else None,
                "at_risk_at": iso(at_risk) if rule else None,
                "paused_at": None,
                **self._forward_watch(received, rule, status, forwarded),
                "closed_at": None if status in OPEN_STATUSES else last_iso,
                "duplicate_of_id": duplicate_of,
                "created_by_id": None,
                "created_at": created_iso,
                "updated_at": last_iso,
                "version": VERSION[status],
                "search_text": " ".join(search),
                "answer": None,
                "handling_note": None,
                "intake_meta": None,
                "state_secret": False,
                "import_key": None,  # demo reports come from no register (migration 0015)
            }
        )
        last_hash = self._events(
            chunk, tid, channel, kind, status, (created, created_iso), (last, last_iso)
        )
        # The last hour's calls are never paused: they are the ones about to break the
        # hotline's 60-minute rule (times()), and a paused report is never at risk.
        fresh = received > self.now - HOUR
        if status in _PAUSABLE and rule and due > self.now and r() < PAUSED_SHARE and not fresh:
            paused = max(last, self.now - int(r() * 3 * HOUR))  # before "now" and the due time
            row = chunk.tickets[-1]
            row["paused_at"] = row["updated_at"] = iso(paused)
            row["version"] = VERSION[status] + 1
            self._pause_event(chunk, tid, status, due, paused, last_hash)
        if unit_id is not None:
            chunk.assignments.append(
                {
                    "id": uuid7(self.rng, forwarded),
                    "ticket_id": tid,
                    "unit_id": unit_id,
                    "role": "lead",
                    "assigned_at": iso(forwarded),
                    "assigned_by_id": None,
                    "accepted_at": iso(accepted) if status in ACCEPTED else None,
                    "returned_at": last_iso if status in (_S.RETURNED, _S.NOT_COMPETENT) else None,
                    "note": None,
                }
            )
        self.index += 1

    def _pause_event(
        self, chunk: Chunk, tid: str, status: Status, due: int, at: int, prev_hash: str
    ) -> None:
        """The "pause" event of a report waiting for the citizen (as WorkflowService writes
        it), chained after "created" and "status_changed"; rare, so hashed the plain way."""
        event: dict[str, object] = {
            "id": uuid7(self.rng, at),
            "ticket_id": tid,
            "seq": 3,
            "at": iso(at),
            "kind": "pause",
            "actor_id": None,
            "station_id": self.station_id,
            "data": {
                "from": str(status),
                "to": str(status),
                "reason": PAUSE_REASONS[int(self.r() * len(PAUSE_REASONS))],
                "due_at": iso(due),
            },
        }
        chunk.events.append({**event, "prev_hash": prev_hash, "hash": event_hash(prev_hash, event)})

    def _events(
        self,
        chunk: Chunk,
        tid: str,
        channel: str,
        kind: str,
        status: Status,
        created: tuple[int, str],
        last: tuple[int, str],
    ) -> str:
        """ "created", then one "status_changed" to where the report is now, hash-chained;
        the last event's hash."""
        sid = self.station_id
        eid = uuid7(self.rng, created[0])
        # The canonical JSON written out directly (every value is plain ASCII): equal to
        # audit_chain.canonical_event_json(row), which test_demo checks, at a fraction of the cost.
        body = (
            f'{{"actor_id":null,"at":"{created[1]}","data":{{"channel":"{channel}",'
            f'"kind":"{kind}","status":"new"}},"id":"{eid}","kind":"created","seq":1,'
            f'"station_id":"{sid}","ticket_id":"{tid}"}}'
        )
        first_hash = sha256((GENESIS_HASH + body).encode()).hexdigest()
        chunk.events.append(
            {
                "id": eid,
                "ticket_id": tid,
                "seq": 1,
                "at": created[1],
                "kind": "created",
                "actor_id": None,
                "station_id": sid,
                "data": {"channel": channel, "kind": kind, "status": "new"},
                "prev_hash": GENESIS_HASH,
                "hash": first_hash,
            }
        )
        if status is _S.NEW:
            return first_hash
        eid = uuid7(self.rng, last[0])
        body = (
            f'{{"actor_id":null,"at":"{last[1]}","data":{{"from":"new","to":"{status}"}},'
            f'"id":"{eid}","kind":"status_changed","seq":2,"station_id":"{sid}",'
            f'"ticket_id":"{tid}"}}'
        )
        chunk.events.append(
            {
                "id": eid,
                "ticket_id": tid,
                "seq": 2,
                "at": last[1],
                "kind": "status_changed",
                "actor_id": None,
                "station_id": sid,
                "data": {"from": "new", "to": str(status)},
                "prev_hash": first_hash,
                "hash": (last_hash := sha256((first_hash + body).encode()).hexdigest()),
            }
        )
        return last_hash
