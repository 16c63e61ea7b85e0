"""``record.html`` of an archive package: the written record (biên bản) in Vietnamese.

Plain HTML with inline CSS, readable offline in any browser, printable; every value escaped.
Screenshots are ``<img>`` elements pointing at the files beside it in the ZIP.
"""

from __future__ import annotations

from html import escape
from typing import Any

from pakn_desktop.domain.labels import event_word, status_word

_STYLE = """
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#111}
h1{font-size:1.4em}h2{font-size:1.2em;border-bottom:1px solid #999;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;padding:4px 8px;
vertical-align:top;text-align:left}.content{white-space:pre-wrap;border:1px solid #ccc;
padding:.5em}img{max-width:100%;border:1px solid #888;margin:.5em 0}.hash{font-family:monospace;
font-size:.8em;word-break:break-all}.note{color:#a00}
"""


def render_record(manifest: dict[str, Any]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        "<title>Biên bản lưu trữ phản ánh, kiến nghị</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>BIÊN BẢN LƯU TRỮ PHẢN ÁNH, KIẾN NGHỊ</h1>",
        f"<p>Lập lúc: {_e(manifest['generated_at'])}. Số hồ sơ: {len(manifest['reports'])}. "
        "Mã băm SHA-256 của từng tệp có trong <code>manifest.json</code>.</p>",
    ]
    for report in manifest["reports"]:
        parts.append(_report(report))
    parts.append("</body></html>")
    return "\n".join(parts)


def _e(value: Any) -> str:
    return escape("" if value is None else str(value))


def _report(report: dict[str, Any]) -> str:
    rows = [
        ("Mã hồ sơ", report["code"]),
        ("Thời điểm tiếp nhận", report["received_at"]),
        ("Kênh", report["channel"]),
        ("Loại", report["kind"]),
        ("Lĩnh vực", report["category"]),
        ("Trạng thái", status_word(str(report["status"]))),
        ("Địa điểm", report["address"]),
        ("Thời điểm sự việc", report["event_at"]),
    ]
    intake = report.get("intake") or {}
    for key, label in (
        ("sender_name", "Người gửi"),
        ("message_url", "Liên kết tin nhắn"),
        ("message_at", "Thời điểm tin nhắn"),
    ):
        if intake.get(key):
            rows.append((label, intake[key]))
    out = [f"<h2>Hồ sơ {_e(report['code'])}: {_e(report['summary'])}</h2>", "<table>"]
    out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows if v]
    out.append("</table>")
    out.append(_reporter(report))
    out.append("<h3>Nội dung phản ánh / tin nhắn</h3>")
    out.append(f'<div class="content">{_e(report["content"])}</div>')
    if report.get("answer"):
        out.append(f'<h3>Trả lời</h3><div class="content">{_e(report["answer"])}</div>')
    out.append("<h3>Cách xử lý / đề xuất</h3>")
    note = report.get("handling_note") or "(chưa ghi)"
    out.append(f'<div class="content">{_e(note)}</div>')
    out.append(_evidence(report["evidence"]))
    out.append(_timeline(report["events"]))
    return "\n".join(out)


def _reporter(report: dict[str, Any]) -> str:
    if report.get("identity_withheld"):
        who = "người tố cáo" if report.get("identity_protected") else "người phản ánh"
        return f'<p class="note">Thông tin {who} được giữ bí mật theo quy định pháp luật.</p>'
    person = report.get("reporter")
    if not person:
        return "<p>Người phản ánh: (không ghi)</p>"
    fields = [
        ("Họ tên", person.get("full_name")),
        ("Điện thoại", person.get("phone")),
        ("Thư điện tử", person.get("email")),
        ("Địa chỉ", person.get("address")),
    ]
    cells = "".join(f"<tr><th>{k}</th><td>{_e(v)}</td></tr>" for k, v in fields if v)
    return f"<h3>Người phản ánh</h3><table>{cells}</table>"


def _evidence(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<h3>Minh chứng</h3><p>(không có)</p>"
    out = ["<h3>Minh chứng</h3>"]
    for item in items:
        label = f"{_e(item['name'])} ({_e(item['mime'])}, {item['size']:,} byte)".replace(",", ".")
        if item.get("purpose") == "redacted":
            label += " — bản đã che thông tin"
        link = _e(item["path"])
        out.append(f'<p><a href="{link}">{label}</a><br><span class="hash">SHA-256: ')
        out.append(f"{_e(item['sha256'])}</span></p>")
        if str(item["mime"]).startswith("image/"):
            out.append(f'<img src="{link}" alt="{_e(item["name"])}">')
    return "\n".join(out)


def _timeline(events: list[dict[str, Any]]) -> str:
    out = ["<h3>Diễn biến (chuỗi băm)</h3><table>"]
    out.append("<tr><th>#</th><th>Thời điểm</th><th>Sự kiện</th><th>Mã băm</th></tr>")
    for event in events:
        word = event_word(event["kind"])
        detail = event["data"].get("reason") or event["data"].get("name") or ""
        text = f"{_e(word)}{': ' + _e(detail) if detail else ''}"
        if event.get("masked"):  # its hash is of the text before the identity was masked
            text += " <em>(đã che danh tính; mã băm tính trên bản gốc)</em>"
        out.append(
            f"<tr><td>{event['seq']}</td><td>{_e(event['at'])}</td><td>{text}</td>"
            f'<td class="hash">{_e(event["hash"])}</td></tr>'
        )
    out.append("</table>")
    return "\n".join(out)
