"""Queue test rows built for the edge cases: ties in every sort column, NULLs where allowed.

Not a demo generator (services.demo is): a small, fixed set whose shape the keyset tests need,
under its own reference codes so the tests do not depend on the reference data set.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert

from pakn_desktop.data.models import (
    Category,
    Channel,
    Commune,
    KindLabel,
    Province,
    Station,
    Ticket,
    Unit,
)
from pakn_desktop.domain.ids import new_id
from pakn_desktop.domain.text import fold

ROWS = 2500
STATUSES = ("new", "forwarded", "in_progress", "closed")


def fill_tickets(engine: Engine, rows: int = ROWS) -> None:
    """Rows built for the edge cases: many ties in every sort column, NULLs in the nullable
    ones. (Own test reference codes, so the test does not depend on the reference data set.)"""
    rnd = random.Random(7)
    base = datetime(2026, 3, 1, tzinfo=UTC)
    station = new_id()
    units = [new_id() for _ in range(4)]
    with engine.begin() as conn:
        conn.execute(insert(Station), [{"id": station, "code": "TQ01", "name": "t"}])
        conn.execute(
            insert(Province),
            [{"code": "T1", "name": "Tỉnh T", "division_type": "t", "folded": "t"}],
        )
        communes = [f"T{i:03d}" for i in range(6)]
        conn.execute(
            insert(Commune),
            [
                {"code": c, "province_code": "T1", "name": f"Phường {c}", "division_type": "p"}
                | {"folded": c}
                for c in communes
            ],
        )
        conn.execute(insert(Channel), [{"code": f"tc{i}", "name": f"Kênh {i}"} for i in range(3)])
        conn.execute(
            insert(Category), [{"code": f"tg{i}", "name": f"Lĩnh vực {i}"} for i in range(3)]
        )
        conn.execute(insert(KindLabel), [{"code": f"tk{i}", "name": f"Loại {i}"} for i in range(2)])
        conn.execute(
            insert(Unit),
            [
                {"id": u, "code": f"TU{i}", "name": f"Đơn vị {i}", "kind": "x"}
                for i, u in enumerate(units)
            ],
        )
        summaries = ["Đường phố ngập nước", "Rác thải", "Tiếng ồn", "Cây đổ", "Đèn hỏng"]
        tickets = []
        for n in range(rows):
            received = base + timedelta(minutes=rnd.randrange(300))  # heavy ties
            summary = rnd.choice(summaries)
            tickets.append(
                {
                    "id": new_id(),
                    "code": f"PA-260301-TQ01-{rnd.randrange(10**6):06d}{n:05d}",
                    "station_id": station,
                    "received_at": received,
                    "channel_code": f"tc{rnd.randrange(3)}",
                    "category_code": f"tg{rnd.randrange(3)}",
                    "kind": f"tk{rnd.randrange(2)}",
                    "commune_code": rnd.choice([*communes, None, None]),
                    "summary": summary,
                    "content": "",
                    "status": rnd.choice(STATUSES),
                    "lead_unit_id": rnd.choice([*units, None, None]),
                    "due_at": rnd.choice([None, received + timedelta(hours=rnd.randrange(3))]),
                    "search_text": fold(summary),
                }
            )
        conn.execute(insert(Ticket), tickets)
