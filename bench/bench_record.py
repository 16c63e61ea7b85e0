"""Written record benchmark: ``record.pdf`` per report vs fpdf2 writing the same words plainly.

    .venv/bin/python bench/bench_record.py [--reports 200] [--events 12] [--shots 1]

The record of ``--reports`` synthetic reports (the demo's length of content, ``--events``
timeline events each) is drawn by ``reports.record_pdf`` (heading, tables, the timeline row
by row, signature blocks); the baseline writes every one of its strings with fpdf2's
``multi_cell`` in the same embedded font, full width, no layout. Prints both times per report
and the ratio (a guide, no target in the issue: ≤ 1.5 means the layout costs little over
fpdf2's own line breaking). Then once more with ``--shots`` phone screenshots (1080×2340)
per report, shrunk and drawn.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONTENT = (
    "Đề nghị xem xét tình trạng cây xanh có nguy cơ gãy đổ trên đường Yersin. Cây đổ chắn "
    "ngang đường làm ách tắc giao thông, may mắn không có thiệt hại về người. Thời gian: "
    "khoảng 9 giờ tối qua. Địa điểm: Trước số nhà 321 đường Yersin, Phường Phú Thạnh. "
    "Đề nghị kiểm tra, xử lý và thông báo kết quả cho người dân."
)


def manifest(reports: int, events: int, shots: int) -> dict[str, object]:
    kinds = ("created", "forward", "accept", "start", "record_result", "answer", "close")
    return {
        "generated_at": "2026-12-07T07:05:00+00:00",
        "reports": [
            {
                "code": f"PA-261207-HN01-{n:04d}",
                "received_at": "2026-12-07T02:15:00+00:00",
                "channel": "Đường dây nóng",
                "kind": "Phản ánh",
                "category": "Cây xanh",
                "status": "result_recorded",
                "address": "Trước số nhà 321 đường Yersin, Phường Phú Thạnh",
                "summary": "Cây xanh có nguy cơ gãy đổ trên đường Yersin",
                "content": CONTENT,
                "reporter": {"full_name": "Trần Hữu Vinh", "phone": "+84 702 963 535"},
                "handling": {"lead_unit": "UBND phường Phú Thạnh", "result": "Đã cắt tỉa."},
                "evidence": [
                    {
                        "name": f"{s}.png",
                        "mime": "image/png",
                        "size": 1,
                        "sha256": f"{s:064x}",
                        "path": f"files/{s}.png",
                    }
                    for s in range(shots)
                ],
                "events": [
                    {
                        "seq": e + 1,
                        "at": "2026-12-07T03:00:00+00:00",
                        "kind": kinds[e % len(kinds)],
                        "data": {"from": "new", "to": "forwarded"},
                        "hash": f"{random.getrandbits(256):064x}",
                    }
                    for e in range(events)
                ],
            }
            for n in range(reports)
        ],
    }


def screenshot(seed: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    picture = Image.new("RGB", (1080, 2340), (240, 242, 245))
    draw = ImageDraw.Draw(picture)
    for _ in range(30):
        top = rng.randint(0, 2200)
        draw.rectangle((rng.randint(0, 500), top, rng.randint(600, 1080), top + 120), fill="white")
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def plain(strings: list[str]) -> float:
    from fpdf import FPDF

    from pakn_desktop.reports.record_pdf import _FONT_FILES, FAMILY, _font_dir

    started = time.perf_counter()
    pdf = FPDF(unit="mm", format="A4")
    for style, name in _FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(_font_dir().joinpath(name)))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 12)
    for text in strings:
        pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--events", type=int, default=12)
    parser.add_argument("--shots", type=int, default=1)
    args = parser.parse_args()
    from pakn_desktop.reports.record import build_record
    from pakn_desktop.reports.record_pdf import _drawable, record_pdf

    _drawable()  # the font's character map, read once a process: not per record
    record = build_record(manifest(args.reports, args.events, 0))
    started = time.perf_counter()
    record_pdf(record)
    ours = time.perf_counter() - started
    strings = [record.opening]
    for report in record.reports:
        strings += [report.summary, report.content, *[f"{k}: {v}" for k, v in report.fields]]
        strings += [f"{k}: {v}" for k, v in report.handling]
        strings += [f"{e.seq} {e.at} {e.text} {e.hash}" for e in report.events]
    baseline = plain(strings)
    n = args.reports
    print(f"record.pdf: {ours:.1f} s for {n} reports, {1000 * ours / n:.0f} ms a report")
    print(f"plain fpdf2 multi_cell of the same words: {1000 * baseline / n:.0f} ms a report")
    print(f"ratio record ÷ plain: {ours / baseline:.2f}")
    if args.shots:
        pictures = [screenshot(s) for s in range(args.shots)]
        shown = build_record(manifest(20, args.events, args.shots))
        started = time.perf_counter()
        record_pdf(shown, lambda item: pictures[int(item.name.split(".")[0])])
        took = time.perf_counter() - started
        print(f"with {args.shots} screenshot(s) 1080×2340 a report: {1000 * took / 20:.0f} ms")


if __name__ == "__main__":
    main()
